import KubeCore

extension SandboxState {
    /// The default admission plugins that change or refuse namespaced objects, in a kube-apiserver's
    /// order: LimitRanger (defaults, then bounds), then ResourceQuota. Also the API server's own
    /// defaulting and validation of LimitRange and ResourceQuota objects, and the pod defaulting that
    /// precedes admission (requests default to limits).
    ///
    /// Runs on every create and update of the main resource (subresources are not admitted by either
    /// plugin), dry runs included; it reads the state and changes nothing in it.
    ///
    /// - Parameters:
    ///   - object: The object as it would be stored, after defaults and validation.
    ///   - old: The stored object, for an update; `nil` for a create.
    /// - Returns: The object to store.
    /// - Throws: 403 Forbidden when a plugin refuses it, 422 for an invalid LimitRange or ResourceQuota.
    func admit(
        _ object: JSONValue, old: JSONValue?, resource: ResourceType, name: String, isSubresource: Bool = false
    ) throws(APIError) -> JSONValue {
        guard !isSubresource, resource.namespaced, let namespace = ObjectView(object).namespace, !namespace.isEmpty else { return object }
        func refusal(_ message: String) -> APIError {
            .forbidden("\(resource.qualifiedResource) \"\(name)\" is forbidden: \(message)", resource: resource.storageKey, name: name)
        }
        let limitRanges = store.objects(LimitRanger.limitRanges, namespace: namespace).map(\.object)
        var admitted = object
        switch resource.storageKey {
        case LimitRanger.limitRanges:
            admitted = LimitRangeObject.defaulted(object)
            let causes = LimitRangeObject.problems(admitted)
            if !causes.isEmpty { throw .invalid(kind: resource.kind, group: resource.group, name: name, causes: causes) }
        case QuotaEvaluator.quotas:
            let causes = QuotaAdmission.problems(object)
            if !causes.isEmpty { throw .invalid(kind: resource.kind, group: resource.group, name: name, causes: causes) }
        case QuotaEvaluator.pods where old == nil:
            // A pod's containers cannot change after it is created, so LimitRanger leaves pod updates be.
            admitted = PodResources.defaultingRequestsToLimits(object)
            for limitRange in limitRanges { admitted = LimitRanger.applyingDefaults(of: limitRange, to: admitted) }
            for limitRange in limitRanges {
                let violations = LimitRanger.violations(ofPod: admitted, against: limitRange)
                if !violations.isEmpty { throw refusal(LimitRanger.aggregate(violations)) }
            }
            if admitted != object { admitted = Self.withQOSClass(admitted) }
        case QuotaEvaluator.claims where old.map({ ObjectView($0).deletionTimestamp == nil }) ?? true:
            for limitRange in limitRanges {
                let violations = LimitRanger.violations(ofClaim: admitted, against: limitRange)
                if !violations.isEmpty { throw refusal(LimitRanger.aggregate(violations)) }
            }
        default:
            break
        }
        let quotas = store.objects(QuotaEvaluator.quotas, namespace: namespace).map(\.object)
        if let message = QuotaAdmission.refusal(of: admitted, old: old, resource: resource.storageKey, quotas: quotas, now: environment.now()) {
            throw refusal(message)
        }
        return admitted
    }

    /// The pod with `status.qosClass` recomputed: the registry sets it from the resources admission
    /// leaves, and defaults may have changed them.
    private static func withQOSClass(_ pod: JSONValue) -> JSONValue {
        var view = ObjectView(pod)
        guard var status = view.status, status[member: "qosClass"] != nil else { return pod }
        status[member: "qosClass"] = .string(ResourceDefaults.qosClass(pod))
        view.status = status
        return view.json
    }
}
