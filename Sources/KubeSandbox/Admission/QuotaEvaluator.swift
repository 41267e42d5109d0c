import Foundation
import KubeCore

/// How quota measures the objects of one resource (pkg/quota/v1/evaluator/core and apiserver's
/// generic object-count evaluator): which quota resource names it tracks, what one object uses, which
/// quota scopes an object falls in, and what a pod must declare when a quota tracks compute resources.
struct QuotaEvaluator: Sendable {
    let resource: StorageKey

    init(_ resource: StorageKey) {
        self.resource = resource
    }

    static let pods = StorageKey(group: "", resource: "pods")
    static let services = StorageKey(group: "", resource: "services")
    static let claims = StorageKey(group: "", resource: "persistentvolumeclaims")
    /// Where ResourceQuotas are stored.
    static let quotas = StorageKey(group: "", resource: "resourcequotas")

    /// Core resources whose evaluators a cluster always has, served or not here: their quota names
    /// are measured (as zero) even when the sandbox stores none of them.
    static let alwaysMeasured: Set<StorageKey> = [claims, StorageKey(group: "", resource: "replicationcontrollers")]

    /// The resources quota never looks at.
    static let ignored: Set<StorageKey> = [StorageKey(group: "", resource: "events")]

    /// The quota name counting every object of a resource: `count/pods`, `count/deployments.apps`.
    static func objectCountName(_ key: StorageKey) -> String { "count/\(key)" }

    /// The older names that count objects of some core resources.
    private static let legacyCountNames: [String: StorageKey] = Dictionary(
        uniqueKeysWithValues: ["configmaps", "secrets", "resourcequotas", "replicationcontrollers"].map { ($0, StorageKey(group: "", resource: $0)) })

    /// The quota names measured from a pod's containers, besides prefixed and extended ones.
    private static let podNames: Set<String> = [
        "pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    ]

    /// The quota names a pod must declare for every container when a quota tracks them: a rule kept
    /// for compatibility, for cpu and memory alone.
    private static let requiredPodNames: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]

    private static let storageClassSuffix = ".storageclass.storage.k8s.io/"

    /// The resource whose objects a quota resource name measures (`requests.cpu` → pods,
    /// `count/deployments.apps` → deployments.apps), or `nil` for a name no evaluator knows.
    static func trackedResource(_ name: String) -> StorageKey? {
        if name.hasPrefix("count/") {
            let counted = name.dropFirst("count/".count)
            guard !counted.isEmpty else { return nil }
            let parts = counted.split(separator: ".", maxSplits: 1)
            return StorageKey(group: parts.count == 2 ? String(parts[1]) : "", resource: String(parts[0]))
        }
        if let key = legacyCountNames[name] { return key }
        if ["services", "services.loadbalancers", "services.nodeports"].contains(name) { return services }
        if ["persistentvolumeclaims", "requests.storage"].contains(name) { return claims }
        if name.contains(storageClassSuffix),
            name.hasSuffix(storageClassSuffix + "requests.storage") || name.hasSuffix(storageClassSuffix + "persistentvolumeclaims")
        {
            return claims
        }
        if podNames.contains(name) || name.hasPrefix("hugepages-") || name.hasPrefix("requests.hugepages-") { return pods }
        // Extended resources (`requests.example.com/gpu`) are quota'd by their requests alone.
        if name.hasPrefix("requests."), !isNative(name) { return pods }
        return nil
    }

    /// Names without a domain, or in kubernetes.io's, are Kubernetes' own.
    private static func isNative(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }

    /// The names among `names` this evaluator measures, sorted.
    func matchingResources(_ names: some Sequence<String>) -> [String] {
        names.filter { Self.trackedResource($0) == resource }.sorted()
    }

    /// Whether an update can change what an object uses: a service can change type, a claim can grow;
    /// pods (whose resources cannot change in place) and plain counts are charged on create alone.
    var chargesUpdates: Bool { resource == Self.services || resource == Self.claims }

    // MARK: - Usage

    /// What one object uses.
    func usage(of object: JSONValue, now: Date) -> ResourceList {
        switch resource {
        case Self.pods: return Self.podUsage(object, now: now)
        case Self.services: return Self.serviceUsage(object)
        case Self.claims: return Self.claimUsage(object)
        default:
            var usage = ResourceList([Self.objectCountName(resource): Quantity(1)])
            if let alias = Self.legacyCountNames.first(where: { $0.value == resource })?.key { usage[alias] = Quantity(1) }
            return usage
        }
    }

    /// A pod is always counted in `count/pods`; its compute resources (and `pods`) only while it may
    /// run: not once it succeeded or failed, nor once the grace period of its deletion is over.
    static func podUsage(_ pod: JSONValue, now: Date) -> ResourceList {
        let count = ResourceList([objectCountName(pods): Quantity(1)])
        guard isCharged(pod, now: now) else { return count }
        let resources = PodResources(pod: pod)
        return count.adding(computeUsage(requests: resources.chargedRequests, limits: resources.chargedLimits))
    }

    /// Whether quota still charges a pod for what it runs.
    static func isCharged(_ pod: JSONValue, now: Date) -> Bool {
        let phase = pod.value(atPath: "status.phase")?.stringValue
        if phase == "Succeeded" || phase == "Failed" { return false }
        let metadata = ObjectView(pod).metadata
        if let deletion = metadata[member: "deletionTimestamp"]?.stringValue,
            let grace = metadata[member: "deletionGracePeriodSeconds"]?.integerValue,
            let deleted = try? Date(deletion, strategy: .iso8601),
            now > deleted.addingTimeInterval(TimeInterval(grace))
        {
            return false
        }
        return true
    }

    /// The quota names that requests and limits fill (`podComputeUsageHelper`): `cpu` and `memory` are
    /// their requests under the older names; hugepages and extended resources count by request.
    static func computeUsage(requests: ResourceList, limits: ResourceList) -> ResourceList {
        var usage = ResourceList(["pods": Quantity(1)])
        for name in ["cpu", "memory", "ephemeral-storage"] {
            if let request = requests[name] {
                usage[name] = request
                usage["requests.\(name)"] = request
            }
            if let limit = limits[name] { usage["limits.\(name)"] = limit }
        }
        for (name, request) in requests.quantities {
            if name.hasPrefix("hugepages-") {
                usage[name] = request
                usage["requests.\(name)"] = request
            } else if !isNative(name), !name.hasPrefix("requests.") {
                usage["requests.\(name)"] = request
            }
        }
        return usage
    }

    /// A service counts once; a NodePort or LoadBalancer service also counts its node ports (for a
    /// load balancer without node port allocation, only the ports that name one).
    static func serviceUsage(_ service: JSONValue) -> ResourceList {
        let ports = service.value(atPath: "spec.ports")?.arrayElements ?? []
        var usage = ResourceList([
            objectCountName(services): Quantity(1), "services": Quantity(1), "services.loadbalancers": .zero, "services.nodeports": .zero,
        ])
        switch service.value(atPath: "spec.type")?.stringValue {
        case "NodePort":
            usage["services.nodeports"] = Quantity(Int64(ports.count))
        case "LoadBalancer":
            if service.value(atPath: "spec.allocateLoadBalancerNodePorts")?.boolValue == false {
                let named = ports.filter { ($0[member: "nodePort"]?.integerValue ?? 0) != 0 }.count
                usage["services.nodeports"] = Quantity(Int64(named))
            } else {
                usage["services.nodeports"] = Quantity(Int64(ports.count))
            }
            usage["services.loadbalancers"] = Quantity(1)
        default:
            break
        }
        return usage
    }

    /// A claim counts once, and its requested storage rounded up to a whole byte, in total and per
    /// storage class.
    static func claimUsage(_ claim: JSONValue) -> ResourceList {
        let storageClass =
            ObjectView(claim).metadata.value(atPath: "annotations")?[member: "volume.beta.kubernetes.io/storage-class"]?.stringValue
            ?? claim.value(atPath: "spec.storageClassName")?.stringValue ?? ""
        var usage = ResourceList([objectCountName(claims): Quantity(1), "persistentvolumeclaims": Quantity(1)])
        if !storageClass.isEmpty { usage[storageClass + storageClassSuffix + "persistentvolumeclaims"] = Quantity(1) }
        if let request = ResourceList.parse(claim.value(atPath: "spec.resources.requests"))["storage"] {
            let whole = Quantity(nanoUnits: request.value * 1_000_000_000, format: request.format)
            usage["requests.storage"] = whole
            if !storageClass.isEmpty { usage[storageClass + storageClassSuffix + "requests.storage"] = whole }
        }
        return usage
    }

    // MARK: - Constraints

    /// Why a pod may not be admitted by a quota tracking `required`: each container must declare every
    /// cpu and memory resource the quota tracks. `nil` when nothing is missing.
    func constraintViolation(required: [String], object: JSONValue) -> String? {
        guard resource == Self.pods else { return nil }
        let requiredSet = Set(required).intersection(Self.requiredPodNames)
        guard !requiredSet.isEmpty else { return nil }
        var missing: [String: Set<String>] = [:]
        for container in PodResources(pod: object).allContainers {
            let declared = Self.computeUsage(requests: container.requests, limits: container.limits).names
            for name in requiredSet.subtracting(declared) { missing[name, default: []].insert(container.name) }
        }
        guard !missing.isEmpty else { return nil }
        let parts = missing.keys.sorted().map { "\($0) for: \(missing[$0, default: []].sorted().joined(separator: ","))" }
        return "must specify " + parts.joined(separator: "; ")
    }
}
