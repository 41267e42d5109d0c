import Foundation
import KubeCore
import Testing

@testable import KubeSandbox

/// The arithmetic and messages of quota and LimitRanger, without a server: sums in the formats a real
/// server writes, usage per kind, the refusals' exact wording, and the quota controller's status.
@Suite struct QuotaUsageTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func pod(_ containers: [JSONValue], initContainers: [JSONValue] = [], phase: String = "Pending") -> JSONValue {
        var spec: JSONValue = ["containers": .array(containers)]
        if !initContainers.isEmpty { spec[member: "initContainers"] = .array(initContainers) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "ns"], "spec": spec, "status": ["phase": .string(phase)]]
    }

    private func container(_ name: String, requests: JSONValue? = nil, limits: JSONValue? = nil) -> JSONValue {
        var resources: JSONValue = [:]
        if let requests { resources[member: "requests"] = requests }
        if let limits { resources[member: "limits"] = limits }
        return ["name": .string(name), "image": "registry.k8s.io/pause:3.9", "resources": resources]
    }

    private func quota(hard: JSONValue, used: JSONValue) -> JSONValue {
        ["metadata": ["name": "q", "namespace": "ns"], "spec": ["hard": hard], "status": ["hard": hard, "used": used]]
    }

    // MARK: - Arithmetic

    @Test func sumsKeepTheFormatsARealServerPrints() {
        var memory = ResourceList(["requests.memory": .zero])
        var cpu = ResourceList(["requests.cpu": .zero])
        var pods = ResourceList(["pods": .zero])
        for _ in 0..<3 {
            memory = memory.adding(ResourceList(["requests.memory": "512Mi"]))
            cpu = cpu.adding(ResourceList(["requests.cpu": "500m"]))
            pods = pods.adding(ResourceList(["pods": Quantity(1)]))
        }
        #expect(memory["requests.memory"]?.description == "1536Mi")
        #expect(cpu["requests.cpu"]?.description == "1500m")
        #expect(pods["pods"]?.description == "3")
        #expect(ResourceList(["cpu": "1"]).adding(ResourceList(["cpu": "500m", "memory": "1Gi"])).json == ["cpu": "1500m", "memory": "1Gi"])
        #expect(ResourceList(["a": "2", "b": "1"]).raised(to: ResourceList(["a": "1", "b": "3", "c": "1"])) == ResourceList(["a": "2", "b": "3", "c": "1"]))
        #expect(
            ResourceList(["a": "1", "b": "3"]).subtractingClampedAtZero(ResourceList(["a": "2", "c": "1"]))
                == ResourceList(["a": "0", "b": "3", "c": "0"]))
        #expect(ResourceList(["requests.cpu": "2", "pods": "3", "limits.cpu": "1"]).prettyPrinted == "limits.cpu=1,pods=3,requests.cpu=2")
        #expect(ResourceList(["pods": "3", "cpu": "1"]).exceeding(ResourceList(["pods": "2", "cpu": "1"])) == ["pods"])
    }

    @Test func quotaNamesMapToTheResourcesTheyMeasure() {
        #expect(QuotaEvaluator.trackedResource("requests.cpu") == QuotaEvaluator.pods)
        #expect(QuotaEvaluator.trackedResource("memory") == QuotaEvaluator.pods)
        #expect(QuotaEvaluator.trackedResource("requests.example.com/gpu") == QuotaEvaluator.pods)
        #expect(QuotaEvaluator.trackedResource("count/deployments.apps") == StorageKey(group: "apps", resource: "deployments"))
        #expect(QuotaEvaluator.trackedResource("count/pods") == QuotaEvaluator.pods)
        #expect(QuotaEvaluator.trackedResource("services.nodeports") == QuotaEvaluator.services)
        #expect(QuotaEvaluator.trackedResource("gold.storageclass.storage.k8s.io/requests.storage") == QuotaEvaluator.claims)
        #expect(QuotaEvaluator.trackedResource("configmaps") == StorageKey(group: "", resource: "configmaps"))
        #expect(QuotaEvaluator.trackedResource("requests.storage") == QuotaEvaluator.claims)
        #expect(QuotaEvaluator.trackedResource("example.com/widgets") == nil)
    }

    // MARK: - Usage

    @Test func aPodUsesItsContainersRaisedToItsLargestInitContainer() {
        let running = pod(
            [container("a", requests: ["cpu": "250m", "memory": "256Mi"], limits: ["cpu": "500m"]), container("b", requests: ["cpu": "250m"])],
            initContainers: [container("setup", requests: ["cpu": "1", "memory": "128Mi"])])
        let usage = QuotaEvaluator(QuotaEvaluator.pods).usage(of: running, now: now)
        #expect(usage["requests.cpu"]?.description == "1")
        #expect(usage["cpu"]?.description == "1")
        #expect(usage["requests.memory"]?.description == "256Mi")
        #expect(usage["limits.cpu"]?.description == "500m")
        #expect(usage["pods"] == Quantity(1))
        #expect(usage["count/pods"] == Quantity(1))

        // A finished pod is still an object in storage, but no longer uses what it ran with.
        let finished = pod([container("a", requests: ["cpu": "1"])], phase: "Succeeded")
        #expect(QuotaEvaluator(QuotaEvaluator.pods).usage(of: finished, now: now) == ResourceList(["count/pods": Quantity(1)]))
    }

    @Test func servicesCountTheirNodePortsAndClaimsTheirStorage() {
        let service: JSONValue = ["spec": ["type": "NodePort", "ports": [["port": 80], ["port": 443]]]]
        let usage = QuotaEvaluator(QuotaEvaluator.services).usage(of: service, now: now)
        #expect(usage.json == ["count/services": "1", "services": "1", "services.nodeports": "2", "services.loadbalancers": "0"])
        let claim: JSONValue = ["spec": ["storageClassName": "gold", "resources": ["requests": ["storage": "1.5k"]]]]
        let claimed = QuotaEvaluator(QuotaEvaluator.claims).usage(of: claim, now: now)
        #expect(claimed["requests.storage"]?.description == "1500")
        #expect(claimed["gold.storageclass.storage.k8s.io/persistentvolumeclaims"] == Quantity(1))
        let map = QuotaEvaluator(StorageKey(group: "", resource: "configmaps")).usage(of: [:], now: now)
        #expect(map == ResourceList(["count/configmaps": Quantity(1), "configmaps": Quantity(1)]))
    }

    // MARK: - Refusals

    @Test func quotaRefusalsUseTheServersWording() {
        let cpuQuota = quota(hard: ["requests.cpu": "2", "pods": "10"], used: ["requests.cpu": "2", "pods": "4"])
        let small = pod([container("c", requests: ["cpu": "500m"])])
        #expect(
            QuotaAdmission.refusal(of: small, old: nil, resource: QuotaEvaluator.pods, quotas: [cpuQuota], now: now)
                == "exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2")

        let limitsQuota = quota(hard: ["limits.cpu": "4", "requests.memory": "1Gi"], used: ["limits.cpu": "0", "requests.memory": "0"])
        let bare = pod([container("c", requests: ["cpu": "100m"]), container("d")])
        #expect(
            QuotaAdmission.refusal(of: bare, old: nil, resource: QuotaEvaluator.pods, quotas: [limitsQuota], now: now)
                == "failed quota: q: must specify limits.cpu for: c,d; requests.memory for: c,d")

        let unmeasured: JSONValue = ["metadata": ["name": "new"], "spec": ["hard": ["pods": "1"]], "status": ["hard": ["pods": "1"]]]
        #expect(
            QuotaAdmission.refusal(of: small, old: nil, resource: QuotaEvaluator.pods, quotas: [unmeasured], now: now)
                == "status unknown for quota: new, resources: pods")

        // A scoped quota counts only pods in its scope; a BestEffort quota does not see this pod.
        var scoped = cpuQuota
        scoped[member: "spec"] = ["hard": ["requests.cpu": "2"], "scopes": ["BestEffort"]]
        #expect(QuotaAdmission.refusal(of: small, old: nil, resource: QuotaEvaluator.pods, quotas: [scoped], now: now) == nil)
    }

    @Test func limitRangerMessagesAndTheirJoining() throws {
        let limitRange: JSONValue = [
            "spec": [
                "limits": [
                    ["type": "Container", "min": ["memory": "64Mi"], "max": ["cpu": "1"], "maxLimitRequestRatio": ["cpu": "2"]],
                    ["type": "Pod", "max": ["cpu": "1500m"]],
                ]
            ]
        ]
        let greedy = pod([
            container("a", requests: ["cpu": "250m"], limits: ["cpu": "1"]), container("b", requests: ["cpu": "1", "memory": "32Mi"], limits: ["cpu": "1"]),
        ])
        let violations = LimitRanger.violations(ofPod: greedy, against: limitRange)
        #expect(
            violations == [
                "minimum memory usage per Container is 64Mi.  No request is specified",
                "cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000",
                "minimum memory usage per Container is 64Mi, but request is 32Mi",
                "maximum cpu usage per Pod is 1500m, but limit is 2",
            ])
        #expect(LimitRanger.aggregate(["one"]) == "one")
        #expect(LimitRanger.aggregate(["one", "two", "one"]) == "[one, two]")
    }

    @Test func limitRangeDefaultsGoToContainersThatLackThem() {
        let limitRange: JSONValue = ["spec": ["limits": [["type": "Container", "default": ["cpu": "1000m"], "defaultRequest": ["cpu": "500m"]]]]]
        let withInit = pod([container("app")], initContainers: [container("setup", limits: ["cpu": "2"])])
        let defaulted = LimitRanger.applyingDefaults(of: limitRange, to: PodResources.defaultingRequestsToLimits(withInit))
        let resources = PodResources(pod: defaulted)
        #expect(resources.containers.first?.requests == ResourceList(["cpu": "500m"]))
        #expect(resources.containers.first?.limits.json == ["cpu": "1"])
        // The init container's request came from its own limit, before LimitRanger ran.
        #expect(resources.initContainers.first?.requests == ResourceList(["cpu": "2"]))
        #expect(
            defaulted.value(atPath: "metadata.annotations")?[member: LimitRanger.annotation]
                == "LimitRanger plugin set: cpu request for container app; cpu limit for container app")
        #expect(LimitRanger.applyingDefaults(of: ["spec": ["limits": []]], to: withInit) == withInit)
    }

    // MARK: - Through the state

    @Test func podsCreatedInsideTheStateAreAdmittedAndTheQuotaControllerConverges() throws {
        var state = SandboxState()
        let namespaces = try #require(state.registry.resource(group: "", version: "v1", plural: "namespaces"))
        let pods = try #require(state.registry.resource(group: "", version: "v1", plural: "pods"))
        let quotas = try #require(state.registry.resource(group: "", version: "v1", plural: "resourcequotas"))
        let limitRanges = try #require(state.registry.resource(group: "", version: "v1", plural: "limitranges"))
        _ = try state.create(namespaces, namespace: nil, body: ["metadata": ["name": "ns"]])
        _ = try state.create(
            limitRanges, namespace: "ns",
            body: ["metadata": ["name": "l"], "spec": ["limits": [["type": "Container", "defaultRequest": ["cpu": "500m"], "default": ["cpu": "1"]]]]])
        let made = try state.create(quotas, namespace: "ns", body: ["metadata": ["name": "q"], "spec": ["hard": ["requests.cpu": "1", "pods": "5"]]]).changes
        #expect(state.runControllers(after: made).count == 1)

        for name in ["a", "b"] {
            let created = try state.create(pods, namespace: "ns", body: pod([container("c")]).replacing(name: name))
            #expect(created.object.value(atPath: "spec.containers")?[0]?.value(atPath: "resources.requests.cpu") == "500m")
            _ = state.runControllers(after: created.changes)
        }
        let stored = try #require(state.store.object(QuotaEvaluator.quotas, ObjectName(namespace: "ns", name: "q")))
        #expect(stored.value(atPath: "status.used") == ["requests.cpu": "1", "pods": "2"])
        #expect(throws: APIError.self) { try state.create(pods, namespace: "ns", body: pod([container("c")]).replacing(name: "c")) }
        // Measuring again changes nothing, so nothing is written.
        let rewritten = state.store.put(QuotaEvaluator.quotas, ObjectName(namespace: "ns", name: "q"), stored)
        #expect(state.refreshQuotas(after: [rewritten]).isEmpty)
    }
}

extension JSONValue {
    /// The object with another `metadata.name`.
    fileprivate func replacing(name: String) -> JSONValue {
        var copy = self
        var metadata = copy[member: "metadata"] ?? [:]
        metadata[member: "name"] = .string(name)
        copy[member: "metadata"] = metadata
        return copy
    }
}
