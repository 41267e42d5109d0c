import Foundation
import KubeCore

/// How a pod runtime reports back, and the test hooks that change a pod as a kubelet would.
extension Sandbox {
    /// Records the status a runtime observed for a pod, as a kubelet's status update does: the runtime's
    /// phase, conditions, containers, addresses and start time; the API server's `qosClass` kept.
    /// - Returns: Whether the pod (that uid) still exists; a report for a pod that is gone is dropped.
    @discardableResult
    public func reportPodStatus(_ status: PodStatus, for pod: PodReference) -> Bool {
        guard var reported = try? JSONValue(encoding: status) else { return false }
        if let podIP = status.podIP { reported[member: "podIPs"] = [["ip": .string(podIP)]] }
        if let hostIP = status.hostIP { reported[member: "hostIPs"] = [["ip": .string(hostIP)]] }
        return (try? write { state throws(APIError) -> (Bool, [StoreChange]) in
            guard let stored = state.storedPod(pod) else { return (false, []) }
            if let qos = stored.value(atPath: "status.qosClass") { reported[member: "qosClass"] = qos }
            var next = stored
            next[member: "status"] = reported
            return (true, state.storeIfChanged(SandboxState.pods, ObjectName(namespace: pod.namespace, name: pod.name), next))
        }) ?? false
    }

    /// Confirms that a pod's containers stopped, as a kubelet does by deleting the pod with a grace
    /// period of 0: the pod is removed (or waits for its finalizers).
    public func confirmPodTermination(_ pod: PodReference) {
        _ = try? write { state throws(APIError) -> (Void, [StoreChange]) in
            guard state.storedPod(pod) != nil, let resource = state.registry.resource(SandboxState.pods) else { return ((), []) }
            let options = DeleteOptions(preconditionUID: pod.uid, gracePeriodSeconds: 0)
            return ((), try state.delete(resource, namespace: pod.namespace, name: pod.name, options: options).changes)
        }
    }

    /// Test hook: the pod's readiness probes start failing; it stays Running, not Ready.
    /// - Returns: Whether there is such a pod with a status to change.
    @discardableResult
    public func makePodUnready(namespace: String, name: String) -> Bool {
        changePodStatus(namespace: namespace, name: name) { status, _, now in SimulatedPodStatus.readiness(status, ready: false, now: now) }
    }

    /// Test hook: the pod's readiness probes pass again.
    @discardableResult
    public func makePodReady(namespace: String, name: String) -> Bool {
        changePodStatus(namespace: namespace, name: name) { status, _, now in SimulatedPodStatus.readiness(status, ready: true, now: now) }
    }

    /// Test hook: a container of the pod (every one when `container` is `nil`) exits with code 1; it
    /// shows `CrashLoopBackOff`, its restart count goes up by one and the pod is not ready.
    @discardableResult
    public func crashPod(namespace: String, name: String, container: String? = nil) -> Bool {
        changePodStatus(namespace: namespace, name: name) { status, pod, now in
            SimulatedPodStatus.crashed(status, pod: pod, container: container, now: now)
        }
    }

    /// The sandbox's clock, which statuses are stamped with.
    func now() -> Date {
        (try? read { state in state.environment.now() }) ?? Date()
    }

    /// Reports a status derived from the pod's current one.
    private func changePodStatus(namespace: String, name: String, _ change: (PodStatus, Pod, Date) -> PodStatus) -> Bool {
        let found = try? read { state in state.store.object(SandboxState.pods, ObjectName(namespace: namespace, name: name)) }
        guard let found, let pod = try? found.decode(as: Pod.self), let uid = pod.metadata.uid, let status = pod.status else { return false }
        return reportPodStatus(change(status, pod, now()), for: PodReference(namespace: namespace, name: name, uid: uid))
    }

    /// Hands the waiting runtime events to the runtime, outside the lock and in order. One thread at a
    /// time delivers; events that arrive meanwhile (also those the runtime causes from within `handle`)
    /// are delivered by it before it stops.
    func deliverPodEvents() {
        guard let runtime = configuration.podRuntime else { return }
        while true {
            let batch = podEvents.withLock { queue -> [PodRuntimeEvent]? in
                guard !queue.delivering, !queue.waiting.isEmpty else { return nil }
                queue.delivering = true
                defer { queue.waiting = [] }
                return queue.waiting
            }
            guard let batch else { return }
            runtime.handle(batch, from: self)
            podEvents.withLock { $0.delivering = false }
        }
    }
}

extension SandboxState {
    /// The pod a reference names, when it still exists with that uid.
    func storedPod(_ pod: PodReference) -> JSONValue? {
        guard let stored = store.object(Self.pods, ObjectName(namespace: pod.namespace, name: pod.name)),
            ObjectView(stored).uid == pod.uid
        else { return nil }
        return stored
    }
}
