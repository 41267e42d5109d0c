import KubeCore

/// The requests and limits a pod's containers declare, read from its JSON.
struct PodResources: Sendable {
    /// One container's name, requests and limits.
    struct Container: Sendable {
        var name: String
        var requests: ResourceList
        var limits: ResourceList
    }

    var containers: [Container]
    var initContainers: [Container]
    /// `spec.overhead`: what the runtime class charges per pod on top of its containers.
    var overhead: ResourceList

    init(pod: JSONValue) {
        func read(_ path: String) -> [Container] {
            (pod.value(atPath: path)?.arrayElements ?? []).map { container in
                Container(
                    name: container[member: "name"]?.stringValue ?? "",
                    requests: ResourceList.parse(container.value(atPath: "resources.requests")),
                    limits: ResourceList.parse(container.value(atPath: "resources.limits")))
            }
        }
        containers = read("spec.containers")
        initContainers = read("spec.initContainers")
        overhead = ResourceList.parse(pod.value(atPath: "spec.overhead"))
    }

    /// Every container, app containers first.
    var allContainers: [Container] { containers + initContainers }

    /// What the pod needs at most at once of requests or limits: the sum of its app containers,
    /// raised to any single init container's (they run one at a time, before the others).
    func effective(_ part: KeyPath<Container, ResourceList>) -> ResourceList {
        let apps = containers.reduce(ResourceList()) { $0.adding($1[keyPath: part]) }
        return initContainers.reduce(apps) { $0.raised(to: $1[keyPath: part]) }
    }

    /// The requests the scheduler and quota charge: ``effective(_:)`` plus the pod overhead.
    var chargedRequests: ResourceList { effective(\.requests).adding(overhead) }

    /// The limits quota charges: ``effective(_:)`` with the overhead added to each limit that is set
    /// (an unset limit stays unbounded).
    var chargedLimits: ResourceList {
        let limits = effective(\.limits)
        return limits.adding(overhead.masked(to: limits.names.intersection(overhead.names)))
    }
}

extension PodResources {
    /// The pod with `transform` applied to each of its containers: app containers, then init containers
    /// (`isInit` true).
    static func updatingContainers(of pod: JSONValue, _ transform: (_ container: inout JSONValue, _ isInit: Bool) -> Void) -> JSONValue {
        var pod = pod
        guard var spec = pod[member: "spec"] else { return pod }
        for (field, isInit) in [("containers", false), ("initContainers", true)] {
            guard var elements = spec[member: field]?.arrayElements else { continue }
            for index in elements.indices { transform(&elements[index], isInit) }
            spec[member: field] = .array(elements)
        }
        pod[member: "spec"] = spec
        return pod
    }

    /// A container's `resources.requests` or `resources.limits` as JSON members, set back with
    /// ``setResources(_:_:of:)``.
    static func resources(_ part: String, of container: JSONValue) -> [String: JSONValue] {
        container.value(atPath: "resources.\(part)")?.objectMembers ?? [:]
    }

    static func setResources(_ part: String, _ members: [String: JSONValue], of container: inout JSONValue) {
        var resources = container[member: "resources"] ?? .object([:])
        resources[member: part] = .object(members)
        container[member: "resources"] = resources
    }

    /// The pod as the API server's defaulting leaves it: a container that sets a limit but no request
    /// for a resource requests its limit (`SetDefaults_Pod`). Runs before admission, so LimitRanger and
    /// quota see those requests.
    static func defaultingRequestsToLimits(_ pod: JSONValue) -> JSONValue {
        updatingContainers(of: pod) { container, _ in
            let limits = resources("limits", of: container)
            guard !limits.isEmpty else { return }
            var requests = resources("requests", of: container)
            let missing = limits.filter { requests[$0.key] == nil }
            guard !missing.isEmpty else { return }
            requests.merge(missing) { current, _ in current }
            setResources("requests", requests, of: &container)
        }
    }
}
