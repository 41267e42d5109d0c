import Foundation
import KubeCore

/// The LimitRanger admission plugin (plugin/pkg/admission/limitranger): a namespace's LimitRanges
/// give containers that set no requests or limits their defaults, then bound what containers, pods
/// and claims may ask for.
///
/// Pure functions of the object and the LimitRanges; ``SandboxState/admit(_:old:resource:name:isSubresource:)``
/// runs them on pod creates and on claim creates and updates, as the plugin's `SupportsAttributes` does.
enum LimitRanger {
    /// The annotation that says which defaults were applied.
    static let annotation = "kubernetes.io/limit-ranger"
    /// Where LimitRanges are stored.
    static let limitRanges = StorageKey(group: "", resource: "limitranges")

    /// One entry of `spec.limits`.
    struct Item: Sendable {
        /// `Container`, `Pod` or `PersistentVolumeClaim`.
        var type: String
        var min: ResourceList
        var max: ResourceList
        var defaultLimit: ResourceList
        var defaultRequest: ResourceList
        var maxLimitRequestRatio: ResourceList

        init(_ json: JSONValue) {
            type = json[member: "type"]?.stringValue ?? ""
            min = ResourceList.parse(json[member: "min"])
            max = ResourceList.parse(json[member: "max"])
            defaultLimit = ResourceList.parse(json[member: "default"])
            defaultRequest = ResourceList.parse(json[member: "defaultRequest"])
            maxLimitRequestRatio = ResourceList.parse(json[member: "maxLimitRequestRatio"])
        }
    }

    static func items(of limitRange: JSONValue) -> [Item] {
        (limitRange.value(atPath: "spec.limits")?.arrayElements ?? []).map(Item.init)
    }

    // MARK: - Mutation

    /// The pod with the LimitRange's `Container` defaults set on every container (and init container)
    /// that lacks them, and the annotation naming what was set. The annotation is replaced, not added
    /// to, by each LimitRange that sets something, as the plugin does.
    static func applyingDefaults(of limitRange: JSONValue, to pod: JSONValue) -> JSONValue {
        var requests = ResourceList()
        var limits = ResourceList()
        for item in items(of: limitRange) where item.type == "Container" {
            for (name, quantity) in item.defaultRequest.quantities { requests[name] = quantity }
            for (name, quantity) in item.defaultLimit.quantities { limits[name] = quantity }
        }
        guard !requests.isEmpty || !limits.isEmpty else { return pod }
        var notes: [String] = []
        let defaulted = PodResources.updatingContainers(of: pod) { container, isInit in
            let label = (isInit ? "init container " : "container ") + (container[member: "name"]?.stringValue ?? "")
            var setLimits: [String] = []
            var setRequests: [String] = []
            var currentLimits = PodResources.resources("limits", of: container)
            for (name, quantity) in limits.quantities where currentLimits[name] == nil {
                currentLimits[name] = .string(quantity.description)
                setLimits.append(name)
            }
            var currentRequests = PodResources.resources("requests", of: container)
            for (name, quantity) in requests.quantities where currentRequests[name] == nil {
                currentRequests[name] = .string(quantity.description)
                setRequests.append(name)
            }
            if !setLimits.isEmpty { PodResources.setResources("limits", currentLimits, of: &container) }
            if !setRequests.isEmpty { PodResources.setResources("requests", currentRequests, of: &container) }
            if !setRequests.isEmpty { notes.append(setRequests.sorted().joined(separator: ", ") + " request for " + label) }
            if !setLimits.isEmpty { notes.append(setLimits.sorted().joined(separator: ", ") + " limit for " + label) }
        }
        guard !notes.isEmpty else { return pod }
        var object = ObjectView(defaulted)
        var metadata = object.metadata
        var annotations = metadata[member: "annotations"] ?? .object([:])
        annotations[member: annotation] = .string("LimitRanger plugin set: " + notes.joined(separator: "; "))
        metadata[member: "annotations"] = annotations
        object.metadata = metadata
        return object.json
    }

    // MARK: - Validation

    /// What in the pod breaks the LimitRange's `Container` and `Pod` bounds, in the plugin's order:
    /// per item, each container (then init container), min, max and ratio, resources by name.
    static func violations(ofPod pod: JSONValue, against limitRange: JSONValue) -> [String] {
        let resources = PodResources(pod: pod)
        var messages: [String] = []
        for item in items(of: limitRange) {
            switch item.type {
            case "Container":
                for container in resources.allContainers {
                    messages += violations(of: item, kind: "Container", requests: container.requests, limits: container.limits)
                }
            case "Pod":
                messages += violations(of: item, kind: "Pod", requests: resources.effective(\.requests), limits: resources.effective(\.limits))
            default:
                break
            }
        }
        return messages
    }

    /// What in a claim's `spec.resources.requests` breaks the LimitRange's `PersistentVolumeClaim`
    /// bounds (claims have no limits, and get no defaults).
    static func violations(ofClaim claim: JSONValue, against limitRange: JSONValue) -> [String] {
        let requests = ResourceList.parse(claim.value(atPath: "spec.resources.requests"))
        var messages: [String] = []
        for item in items(of: limitRange) where item.type == "PersistentVolumeClaim" {
            for (name, enforced) in item.min.sorted {
                if let message = minimumViolation(enforced, name: name, kind: item.type, requests: requests, limits: ResourceList()) {
                    messages.append(message)
                }
            }
            for (name, enforced) in item.max.sorted {
                guard let request = requests[name] else {
                    messages.append("maximum \(name) usage per \(item.type) is \(enforced).  No request is specified")
                    continue
                }
                let values = comparable(request, nil, enforced)
                if values.request > values.enforced {
                    messages.append("maximum \(name) usage per \(item.type) is \(enforced), but request is \(request)")
                }
            }
        }
        return messages
    }

    /// Messages joined as apimachinery's aggregate error joins them: one alone, several (without
    /// repeats) in brackets.
    static func aggregate(_ messages: [String]) -> String {
        var seen = Set<String>()
        let unique = messages.filter { seen.insert($0).inserted }
        return unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]"
    }

    private static func violations(of item: Item, kind: String, requests: ResourceList, limits: ResourceList) -> [String] {
        var messages: [String] = []
        for (name, enforced) in item.min.sorted {
            if let message = minimumViolation(enforced, name: name, kind: kind, requests: requests, limits: limits) {
                messages.append(message)
            }
        }
        for (name, enforced) in item.max.sorted {
            if let message = maximumViolation(enforced, name: name, kind: kind, requests: requests, limits: limits) {
                messages.append(message)
            }
        }
        for (name, enforced) in item.maxLimitRequestRatio.sorted {
            if let message = ratioViolation(enforced, name: name, kind: kind, requests: requests, limits: limits) {
                messages.append(message)
            }
        }
        return messages
    }

    private static func minimumViolation(
        _ enforced: Quantity, name: String, kind: String, requests: ResourceList, limits: ResourceList
    ) -> String? {
        guard let request = requests[name] else {
            return "minimum \(name) usage per \(kind) is \(enforced).  No request is specified"
        }
        let values = comparable(request, limits[name], enforced)
        if values.request < values.enforced {
            return "minimum \(name) usage per \(kind) is \(enforced), but request is \(request)"
        }
        if let limit = limits[name], values.limit < values.enforced {
            return "minimum \(name) usage per \(kind) is \(enforced), but limit is \(limit)"
        }
        return nil
    }

    private static func maximumViolation(
        _ enforced: Quantity, name: String, kind: String, requests: ResourceList, limits: ResourceList
    ) -> String? {
        guard let limit = limits[name] else {
            return "maximum \(name) usage per \(kind) is \(enforced).  No limit is specified"
        }
        let values = comparable(requests[name], limit, enforced)
        if values.limit > values.enforced {
            return "maximum \(name) usage per \(kind) is \(enforced), but limit is \(limit)"
        }
        if let request = requests[name], values.request > values.enforced {
            return "maximum \(name) usage per \(kind) is \(enforced), but request is \(request)"
        }
        return nil
    }

    private static func ratioViolation(
        _ enforced: Quantity, name: String, kind: String, requests: ResourceList, limits: ResourceList
    ) -> String? {
        let values = comparable(requests[name], limits[name], enforced)
        if requests[name] == nil || values.request == 0 {
            return "\(name) max limit to request ratio per \(kind) is \(enforced), but no request is specified or request is 0"
        }
        if limits[name] == nil || values.limit == 0 {
            return "\(name) max limit to request ratio per \(kind) is \(enforced), but no limit is specified or limit is 0"
        }
        let ratio = Double(values.limit) / Double(values.request)
        // The plugin compares in thousandths when the bound allows it.
        let exceeds =
            enforced.value <= maxMilliValue
            ? ratio * 1000 > Double(enforced.milliValue)
            : ratio > Double(enforced.value)
        guard exceeds else { return nil }
        return "\(name) max limit to request ratio per \(kind) is \(enforced), but provided ratio is \(String(format: "%f", ratio))"
    }

    /// The largest value whose thousandths fit in 64 bits (apimachinery's `MaxMilliValue`).
    private static let maxMilliValue = Int128(Int64.max / 1000)

    /// Request, limit and bound at a common precision: thousandths when all three allow it, whole
    /// units otherwise (the plugin's `requestLimitEnforcedValues`). A missing value is zero.
    private static func comparable(_ request: Quantity?, _ limit: Quantity?, _ enforced: Quantity) -> (request: Int128, limit: Int128, enforced: Int128) {
        let request = request ?? .zero
        let limit = limit ?? .zero
        if request.value <= maxMilliValue, limit.value <= maxMilliValue, enforced.value <= maxMilliValue {
            return (request.milliValue, limit.milliValue, enforced.milliValue)
        }
        return (request.value, limit.value, enforced.value)
    }
}
