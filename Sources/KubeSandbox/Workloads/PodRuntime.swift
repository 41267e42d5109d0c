import KubeCore

/// Which pod an event or a report is about: its namespace, name and uid (a pod deleted and created
/// again under the same name is another pod).
public struct PodReference: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var name: String
    public var uid: String

    public init(namespace: String, name: String, uid: String) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    public var description: String { "\(namespace)/\(name) (\(uid))" }
}

/// What the sandbox tells the pod runtime (the kubelet's part): a pod to run, a pod to stop, a pod
/// that is gone.
public struct PodRuntimeEvent: Sendable {
    public enum Kind: Sendable, Equatable {
        /// The pod was bound to the sandbox's node: start its containers and report its status with
        /// ``Sandbox/reportPodStatus(_:for:)``.
        case run
        /// The pod's graceful deletion started: stop its containers within `gracePeriodSeconds` (SIGTERM,
        /// then SIGKILL), then confirm with ``Sandbox/confirmPodTermination(_:)``, which removes it.
        case stop(gracePeriodSeconds: Int)
        /// The pod left the API: stop at once whatever of it still runs (after a force deletion); a pod
        /// already stopped needs nothing. Nothing to confirm.
        case removed
    }

    public var kind: Kind
    public var pod: PodReference
    /// The pod as stored when the event arose.
    public var object: JSONValue

    /// The pod as the typed model, when it decodes.
    public var typed: Pod? { try? object.decode(as: Pod.self) }
}

/// The part of the cluster that runs pods: the simulated one (``SimulatedPodRuntime``, the default)
/// or one that runs containers as local processes.
///
/// The sandbox calls ``handle(_:from:)`` after each write, outside its lock and in the order of the
/// writes, so a runtime may call back into the sandbox (``Sandbox/reportPodStatus(_:for:)``,
/// ``Sandbox/confirmPodTermination(_:)``) from within the call or at any later time from any task.
/// A runtime that does real work should return at once and do it asynchronously.
public protocol PodRuntime: Sendable {
    /// Events from one or more writes, oldest first.
    func handle(_ events: [PodRuntimeEvent], from sandbox: Sandbox)
}

extension PodRuntimeEvent {
    /// The events a list of changes gives the runtime of the sandbox's node: a pod newly bound to it
    /// runs; a bound pod whose deletion started (or whose grace period was shortened) stops; a bound
    /// pod that was removed while it had not been told to stop is gone.
    static func events(in changes: [StoreChange]) -> [PodRuntimeEvent] {
        var events: [PodRuntimeEvent] = []
        for change in changes where change.key == SandboxState.pods {
            let pod = ObjectView(change.object)
            let before = change.previous.map(ObjectView.init)
            func bound(_ view: ObjectView?) -> Bool { view?.json.value(atPath: "spec.nodeName")?.stringValue == SandboxState.nodeName }
            guard bound(pod), let name = pod.name, let uid = pod.uid else { continue }
            let reference = PodReference(namespace: change.name.namespace, name: name, uid: uid)
            let grace = change.object.int(atPath: "metadata.deletionGracePeriodSeconds")
            switch change.type {
            case .deleted:
                events.append(PodRuntimeEvent(kind: .removed, pod: reference, object: change.object))
            case .added, .modified:
                if pod.deletionTimestamp == nil {
                    if !bound(before) { events.append(PodRuntimeEvent(kind: .run, pod: reference, object: change.object)) }
                } else {
                    let previousGrace = before?.json.value(atPath: "metadata.deletionGracePeriodSeconds")?.integerValue
                    if before?.deletionTimestamp == nil || previousGrace.map({ Int($0) > grace }) == true {
                        events.append(PodRuntimeEvent(kind: .stop(gracePeriodSeconds: grace), pod: reference, object: change.object))
                    }
                }
            }
        }
        return events
    }
}

/// Runtime events waiting to be handed over, and whether a thread is handing them over now (which makes
/// delivery ordered and keeps a runtime that writes from within ``PodRuntime/handle(_:from:)`` from
/// starting a second delivery inside the first).
struct PodEventQueue: Sendable {
    var waiting: [PodRuntimeEvent] = []
    var delivering = false
}
