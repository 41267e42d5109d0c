import Foundation
import KubeCore

/// The ResourceQuota admission plugin (apiserver's admission/plugin/resourcequota, `CheckRequest`):
/// refuses a write whose object would take a namespace's usage past a quota's hard limit, or a pod
/// that leaves out a cpu or memory resource a quota tracks.
///
/// It reads each quota's `status` (what the quota controller last measured), as the plugin does; a
/// quota whose status does not cover what it tracks refuses until it does.
enum QuotaAdmission {
    /// Why the quotas refuse the object, in the plugin's words (the caller prefixes
    /// `pods "p" is forbidden: `), or `nil` when they admit it.
    ///
    /// - Parameters:
    ///   - object: The object as it would be stored (after LimitRanger's defaults).
    ///   - old: The stored object for an update; `nil` for a create.
    ///   - quotas: The ResourceQuotas of the object's namespace.
    static func refusal(of object: JSONValue, old: JSONValue?, resource: StorageKey, quotas: [JSONValue], now: Date) -> String? {
        guard !quotas.isEmpty, !QuotaEvaluator.ignored.contains(resource) else { return nil }
        let evaluator = QuotaEvaluator(resource)
        if old != nil, !evaluator.chargesUpdates { return nil }

        // The quotas that apply, each checked for the object's constraints and a known usage first.
        var applying: [(name: String, hard: ResourceList, used: ResourceList)] = []
        for quota in quotas.sorted(by: { (ObjectView($0).name ?? "") < (ObjectView($1).name ?? "") }) {
            let name = ObjectView(quota).name ?? ""
            let hard = ResourceList.parse(quota.value(atPath: "status.hard"))
            let used = ResourceList.parse(quota.value(atPath: "status.used"))
            let tracked = evaluator.matchingResources(hard.names)
            guard !tracked.isEmpty, QuotaScope.matches(QuotaScope.scopes(of: quota), object: object, resource: resource) else { continue }
            if let violation = evaluator.constraintViolation(required: tracked, object: object) {
                return "failed quota: \(name): \(violation)"
            }
            if tracked.contains(where: { used[$0] == nil }) {
                return "status unknown for quota: \(name), resources: \(tracked.joined(separator: ","))"
            }
            applying.append((name, hard, used))
        }

        var delta = evaluator.usage(of: object, now: now)
        let negative = delta.negativeNames
        if !negative.isEmpty { return "quota usage is negative for resource(s): \(negative.joined(separator: ","))" }
        // An update is charged what it adds to what the object used before.
        if let old { delta = delta.subtractingClampedAtZero(evaluator.usage(of: old, now: now)) }
        if delta.isZero { return nil }

        for quota in applying {
            let requested = delta.masked(to: quota.hard.names)
            let exceeded = quota.used.adding(requested).masked(to: requested.names).exceeding(quota.hard)
            guard exceeded.isEmpty else {
                return "exceeded quota: \(quota.name), requested: \(requested.masked(to: exceeded).prettyPrinted), "
                    + "used: \(quota.used.masked(to: exceeded).prettyPrinted), limited: \(quota.hard.masked(to: exceeded).prettyPrinted)"
            }
        }
        return nil
    }

    /// The field errors of a ResourceQuota's spec: a hard limit may not be negative.
    static func problems(_ quota: JSONValue) -> [APIError.Cause] {
        ResourceList.parse(quota.value(atPath: "spec.hard")).sorted.compactMap { name, quantity in
            guard quantity < .zero else { return nil }
            return .init(type: "FieldValueInvalid", message: "Invalid value: \"\(quantity)\": must be greater than or equal to 0", field: "spec.hard[\(name)]")
        }
    }
}
