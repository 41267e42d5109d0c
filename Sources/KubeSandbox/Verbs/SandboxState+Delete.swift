import Foundation
import KubeCore

/// The body of a `DELETE` (`meta.k8s.io/v1` `DeleteOptions`), as far as the sandbox honours it.
struct DeleteOptions: Sendable, Equatable {
    enum Propagation: String, Sendable {
        case background = "Background"
        case foreground = "Foreground"
        case orphan = "Orphan"
    }

    var preconditionUID: String?
    var preconditionResourceVersion: String?
    /// `nil`: the kind's default (background, for every kind the sandbox serves).
    var propagation: Propagation?
    var dryRun = false
    /// `gracePeriodSeconds`: how long a pod's containers get to stop (`nil`: the pod's own).
    var gracePeriodSeconds: Int?

    /// Reads `DeleteOptions` from a body (may be empty) and the query's `propagationPolicy`,
    /// `gracePeriodSeconds` and `dryRun`.
    static func parse(body: JSONValue?, query: [String: String]) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions()
        let policy = query["propagationPolicy"] ?? body?[member: "propagationPolicy"]?.stringValue
        if let policy {
            guard let propagation = Propagation(rawValue: policy) else {
                throw .invalid(
                    kind: "DeleteOptions", group: "meta.k8s.io", name: "",
                    causes: [
                        .init(
                            type: "FieldValueNotSupported",
                            message: "Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                            field: "propagationPolicy")
                    ])
            }
            options.propagation = propagation
        } else if let orphan = body?[member: "orphanDependents"]?.boolValue {
            options.propagation = orphan ? .orphan : .background
        }
        options.preconditionUID = body?.value(atPath: "preconditions.uid")?.stringValue
        options.preconditionResourceVersion = body?.value(atPath: "preconditions.resourceVersion")?.stringValue
        if let text = query["gracePeriodSeconds"] {
            guard let seconds = Int(text) else { throw .badRequest("invalid gracePeriodSeconds \"\(text)\": it must be an integer") }
            options.gracePeriodSeconds = seconds
        } else if let seconds = body?[member: "gracePeriodSeconds"]?.integerValue {
            options.gracePeriodSeconds = Int(seconds)
        }
        options.dryRun = try WriteOptions.isDryRun(query["dryRun"] ?? body?[member: "dryRun"]?.arrayElements?.first?.stringValue)
        return options
    }
}

/// What a delete did.
enum DeleteOutcome: Sendable {
    /// The object is gone; this is how it last was.
    case removed(JSONValue)
    /// Deletion started: the object has a deletionTimestamp and waits for its finalizers.
    case pending(JSONValue)
}

extension SandboxState {
    /// The finalizers the garbage collector acts on.
    static let foregroundFinalizer = "foregroundDeletion"
    static let orphanFinalizer = "orphan"

    /// `DELETE` of one object.
    ///
    /// An object without finalizers (and not asked for foreground or orphan propagation) is removed at
    /// once. Otherwise its deletion starts: it gets a deletionTimestamp (and the propagation's
    /// finalizer) and stays until its finalizers are removed. Deleting an object whose deletion has
    /// already started changes nothing.
    mutating func delete(
        _ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()
    ) throws(APIError) -> (outcome: DeleteOutcome, changes: [StoreChange]) {
        if resource.storageKey == Self.namespaces { return try deleteNamespace(resource, name: name, options: options) }
        let key = objectName(resource, namespace: namespace, name: name)
        guard let stored = store.object(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
        var object = ObjectView(stored)
        if let uid = options.preconditionUID, uid != object.uid {
            throw .conflict(resource.storageKey, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.uid ?? "")")
        }
        if let version = options.preconditionResourceVersion, version != object.resourceVersion {
            throw .conflict(
                resource.storageKey, name,
                "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(object.resourceVersion ?? "")")
        }
        var finalizers = object.finalizers
        switch options.propagation {
        case .foreground?:
            finalizers.removeAll { $0 == Self.orphanFinalizer }
            if !finalizers.contains(Self.foregroundFinalizer) { finalizers.append(Self.foregroundFinalizer) }
        case .orphan?:
            finalizers.removeAll { $0 == Self.foregroundFinalizer }
            if !finalizers.contains(Self.orphanFinalizer) { finalizers.append(Self.orphanFinalizer) }
        case .background?:
            // Background takes back a foreground or orphan request made before.
            finalizers.removeAll { $0 == Self.foregroundFinalizer || $0 == Self.orphanFinalizer }
        case nil:
            break
        }
        // A CRD's objects go before it does (see cleanUpCustomResources).
        if resource.storageKey == Self.customResourceDefinitions, object.deletionTimestamp == nil {
            if !finalizers.contains(Self.customResourceCleanupFinalizer) { finalizers.append(Self.customResourceCleanupFinalizer) }
            Self.markTerminating(&object, now: timestamp())
        }
        // A pod bound to a node is deleted gracefully: it gets a deletionTimestamp and stays until the
        // node's kubelet has stopped its containers and deletes it again with a grace period of 0.
        let grace = resource.storageKey == Self.pods ? Self.podGracePeriod(stored, requested: options.gracePeriodSeconds) : 0
        if finalizers.isEmpty, grace == 0 {
            guard !options.dryRun else { return (.removed(stored), []) }
            guard let removal = store.remove(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
            return (.removed(removal.object), [removal] + finishNamespaceIfEmpty(namespace ?? "").changes)
        }
        if object.deletionTimestamp == nil {
            object.deletionTimestamp = timestamp()
            var metadata = object.metadata
            metadata[member: "deletionGracePeriodSeconds"] = 0
            object.metadata = metadata
            // Starting deletion is a change of the object's desired state.
            if resource.tracksGeneration { object.generation = (object.generation ?? 0) + 1 }
        }
        if resource.storageKey == Self.pods {
            let running = stored.value(atPath: "metadata.deletionGracePeriodSeconds")?.integerValue.map { Int($0) } ?? 0
            // A shorter grace period than the one running replaces it; a longer one changes nothing.
            if ObjectView(stored).deletionTimestamp == nil || running > grace {
                object.deletionTimestamp = environment.now().addingTimeInterval(TimeInterval(grace)).formatted(Date.ISO8601FormatStyle())
                var metadata = object.metadata
                metadata[member: "deletionGracePeriodSeconds"] = .integer(Int64(grace))
                object.metadata = metadata
            }
        }
        object.finalizers = finalizers
        guard object.json != stored else { return (.pending(stored), []) }
        guard !options.dryRun else { return (.pending(object.json), []) }
        let change = store.put(resource.storageKey, key, object.json)
        return (.pending(change.object), [change])
    }
}

extension SandboxState {
    /// The grace period a pod's deletion gets (the pod strategy's `CheckGracefulDelete`): the one asked
    /// for, else the pod's `terminationGracePeriodSeconds` (30 by default); 0 for a pod no node runs
    /// (not scheduled, or finished), which goes at once; a negative one is 1.
    static func podGracePeriod(_ pod: JSONValue, requested: Int?) -> Int {
        guard !(pod.value(atPath: "spec.nodeName")?.stringValue?.isEmpty ?? true) else { return 0 }
        let phase = pod.value(atPath: "status.phase")?.stringValue
        guard phase != "Succeeded", phase != "Failed" else { return 0 }
        let grace = requested ?? pod.value(atPath: "spec.terminationGracePeriodSeconds")?.integerValue.map { Int($0) } ?? 30
        // A negative period (kubectl's --grace-period=-1 means "the pod's own" client-side) counts as 1.
        return grace < 0 ? 1 : grace
    }
}

extension WriteOptions {
    /// `dryRun=All` is the one value; anything else is refused as the API server refuses it.
    static func isDryRun(_ value: String?) throws(APIError) -> Bool {
        guard let value else { return false }
        guard value == "All" else {
            throw .badRequest("Invalid dryRun value \"\(value)\": the only supported value is \"All\"")
        }
        return true
    }
}
