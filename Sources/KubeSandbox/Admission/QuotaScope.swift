import KubeCore

/// One scope a quota is limited to: a name of `spec.scopes` (operator `Exists`) or an expression of
/// `spec.scopeSelector.matchExpressions`. Only pods fall in scopes; a scoped quota counts nothing else.
struct QuotaScope: Sendable, Equatable {
    /// `Terminating`, `NotTerminating`, `BestEffort`, `NotBestEffort`, `PriorityClass`,
    /// `CrossNamespacePodAffinity`.
    var name: String
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    var `operator`: String
    var values: [String]

    /// The scopes of a quota: its `spec.scopes`, then its `spec.scopeSelector` expressions.
    static func scopes(of quota: JSONValue) -> [QuotaScope] {
        let named = (quota.value(atPath: "spec.scopes")?.arrayElements ?? []).compactMap(\.stringValue).map {
            QuotaScope(name: $0, operator: "Exists", values: [])
        }
        let selected = (quota.value(atPath: "spec.scopeSelector.matchExpressions")?.arrayElements ?? []).map {
            QuotaScope(
                name: $0[member: "scopeName"]?.stringValue ?? "", operator: $0[member: "operator"]?.stringValue ?? "",
                values: $0[member: "values"]?.arrayElements?.compactMap(\.stringValue) ?? [])
        }
        return named + selected
    }

    /// Whether an object of `resource` falls in every one of `scopes` (no scope: everything does).
    static func matches(_ scopes: [QuotaScope], object: JSONValue, resource: StorageKey) -> Bool {
        scopes.allSatisfy { resource == QuotaEvaluator.pods && $0.matches(pod: object) }
    }

    /// Whether a pod falls in this scope (the pod evaluator's `podMatchesScopeFunc`).
    func matches(pod: JSONValue) -> Bool {
        switch name {
        case "Terminating": return Self.isTerminating(pod)
        case "NotTerminating": return !Self.isTerminating(pod)
        case "BestEffort": return Self.isBestEffort(pod)
        case "NotBestEffort": return !Self.isBestEffort(pod)
        case "PriorityClass":
            let priorityClass = pod.value(atPath: "spec.priorityClassName")?.stringValue ?? ""
            // A pod without a priority class has no value for the selector to match.
            let value: String? = priorityClass.isEmpty ? nil : priorityClass
            switch self.operator {
            case "Exists": return value != nil
            case "DoesNotExist": return value == nil
            case "In": return value.map(values.contains) ?? false
            case "NotIn": return !(value.map(values.contains) ?? false)
            default: return false
            }
        case "CrossNamespacePodAffinity": return Self.usesCrossNamespaceAffinity(pod)
        default: return false
        }
    }

    /// A pod with an active deadline is one that ends by itself.
    private static func isTerminating(_ pod: JSONValue) -> Bool {
        (pod.value(atPath: "spec.activeDeadlineSeconds")?.integerValue ?? -1) >= 0
    }

    /// No container (nor init container) requests or limits cpu or memory.
    private static func isBestEffort(_ pod: JSONValue) -> Bool {
        PodResources(pod: pod).allContainers.allSatisfy { container in
            ["cpu", "memory"].allSatisfy { container.requests[$0] == nil && container.limits[$0] == nil }
        }
    }

    /// Some pod (anti-)affinity term names other namespaces or selects them.
    private static func usesCrossNamespaceAffinity(_ pod: JSONValue) -> Bool {
        var terms: [JSONValue] = []
        for kind in ["podAffinity", "podAntiAffinity"] {
            guard let affinity = pod.value(atPath: "spec.affinity.\(kind)") else { continue }
            terms += affinity[member: "requiredDuringSchedulingIgnoredDuringExecution"]?.arrayElements ?? []
            terms += (affinity[member: "preferredDuringSchedulingIgnoredDuringExecution"]?.arrayElements ?? []).compactMap {
                $0[member: "podAffinityTerm"]
            }
        }
        return terms.contains { term in
            !(term[member: "namespaces"]?.arrayElements?.isEmpty ?? true) || (term[member: "namespaceSelector"].map { $0 != .null } ?? false)
        }
    }
}
