import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// LimitRanger and ResourceQuota, as a kube-apiserver with its default admission plugins applies them,
/// and the quota controller's `status`. Runs against a real cluster too: quota status is awaited
/// there (its controller takes a moment), and pods are never expected to run.
@Suite struct AdmissionTests {
    /// A pod of one pause container, with the resources given.
    private func pod(_ name: String, in cluster: TestCluster, container: String = "app", resources: ResourceRequirements? = nil) -> Pod {
        Pod(
            metadata: ObjectMeta(name: name, namespace: cluster.namespace),
            spec: PodSpec(containers: [Container(name: container, image: "registry.k8s.io/pause:3.9", resources: resources)]))
    }

    /// The LimitRange the operator creates in each sub-chain namespace.
    private func operatorLimitRange(in cluster: TestCluster) -> LimitRange {
        LimitRange(
            metadata: ObjectMeta(name: "limits", namespace: cluster.namespace),
            spec: LimitRangeSpec(limits: [
                LimitRangeItem(
                    type: "Container", max: ["cpu": "1000m", "memory": "1Gi"], default: ["cpu": "1000m", "memory": "1Gi"],
                    defaultRequest: ["cpu": "500m", "memory": "512Mi"])
            ]))
    }

    private func quota(_ name: String, in cluster: TestCluster, hard: [String: Quantity]) -> ResourceQuota {
        ResourceQuota(metadata: ObjectMeta(name: name, namespace: cluster.namespace), spec: ResourceQuotaSpec(hard: hard))
    }

    /// Creates a quota and waits until its controller has measured it: until then a real server's
    /// admission does not enforce it.
    private func createMeasuredQuota(_ quota: ResourceQuota, in cluster: TestCluster) async throws {
        _ = try await cluster.client.create(quota)
        let names = Set(quota.spec?.hard?.keys.map { $0 } ?? [])
        try await eventually { await usedQuantities(quota.metadata.name ?? "", in: cluster).map { Set($0.keys) == names } ?? false }
    }

    /// The quota's `status.used` as the server wrote it (strings, to check their formatting).
    private func usedQuantities(_ name: String, in cluster: TestCluster) async -> [String: String]? {
        let quota = try? await cluster.client.get(ResourceQuota.resource, name: name, namespace: cluster.namespace)
        return strings(quota?["status"]?["used"])
    }

    /// A JSON object of strings as a dictionary; `nil` for anything else.
    private func strings(_ json: JSONValue?) -> [String: String]? {
        guard case .object(let members)? = json else { return nil }
        return members.compactMapValues(\.stringValue)
    }

    /// The code and server message of a failed call, or `nil` when it succeeds.
    private func failure(_ body: () async throws -> Void) async -> (code: KubeError.Code, message: String)? {
        do {
            try await body()
            return nil
        } catch let error as KubeError {
            return (error.code, error.status?.message ?? error.message)
        } catch {
            return (.invalidResponse, "\(error)")
        }
    }

    // MARK: - LimitRanger

    @Test func limitRangeDefaultsAreSetOnAPodWithoutResourcesAndAnnotated() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(operatorLimitRange(in: cluster))
            let created = try await cluster.client.create(pod("plain", in: cluster))
            let resources = created.spec?.containers?.first?.resources
            #expect(resources?.requests == ["cpu": "500m", "memory": "512Mi"])
            #expect(resources?.limits == ["cpu": "1", "memory": "1Gi"])
            #expect(
                created.metadata.annotations?["kubernetes.io/limit-ranger"]
                    == "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app")
            let stored = try await cluster.client.get(Pod.resource, name: "plain", namespace: cluster.namespace)
            #expect(stored["status"]?["qosClass"] == "Burstable")
            // A container that sets its own keeps them; only what it lacks is defaulted.
            let own = try await cluster.client.create(
                pod("own", in: cluster, resources: ResourceRequirements(limits: ["cpu": "800m"], requests: ["cpu": "200m"])))
            #expect(own.spec?.containers?.first?.resources?.requests == ["cpu": "200m", "memory": "512Mi"])
            #expect(own.spec?.containers?.first?.resources?.limits == ["cpu": "800m", "memory": "1Gi"])
            #expect(
                own.metadata.annotations?["kubernetes.io/limit-ranger"]
                    == "LimitRanger plugin set: memory request for container app; memory limit for container app")
        }
    }

    @Test func aPodAboveTheLimitRangeMaximumIsForbidden() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(operatorLimitRange(in: cluster))
            let one = await failure {
                _ = try await cluster.client.create(pod("big", in: cluster, resources: ResourceRequirements(limits: ["cpu": "2"])))
            }
            #expect(one?.code == .forbidden)
            #expect(one?.message == "pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2")

            // Several violations are listed together, in brackets.
            let two = await failure {
                _ = try await cluster.client.create(
                    pod("bigger", in: cluster, resources: ResourceRequirements(limits: ["cpu": "2", "memory": "2Gi"])))
            }
            #expect(two?.code == .forbidden)
            let message = two?.message ?? ""
            #expect(message.hasPrefix("pods \"bigger\" is forbidden: ["))
            #expect(message.contains("maximum cpu usage per Container is 1, but limit is 2"))
            #expect(message.contains("maximum memory usage per Container is 1Gi, but limit is 2Gi"))
            let pods = try await cluster.client.list(Pod.self, namespace: cluster.namespace)
            #expect(pods.items.isEmpty)
        }
    }

    @Test func aLimitRangeIsDefaultedAndAContradictoryOneIsInvalid() async throws {
        try await TestCluster.run { cluster in
            let onlyMax = LimitRange(
                metadata: ObjectMeta(name: "max-only", namespace: cluster.namespace),
                spec: LimitRangeSpec(limits: [LimitRangeItem(type: "Container", max: ["cpu": "2"], min: ["memory": "64Mi"])]))
            let stored = try await cluster.client.create(onlyMax)
            let item = stored.spec?.limits?.first
            // The default limit is the max; the default request the default limit, else the min.
            #expect(item?.default == ["cpu": "2"])
            #expect(item?.defaultRequest == ["cpu": "2", "memory": "64Mi"])

            let contradictory = LimitRange(
                metadata: ObjectMeta(name: "bad", namespace: cluster.namespace),
                spec: LimitRangeSpec(limits: [LimitRangeItem(type: "Container", max: ["cpu": "1"], default: ["cpu": "2"])]))
            let refused = await failure { _ = try await cluster.client.create(contradictory) }
            #expect(refused?.code == .invalid)
            #expect(refused?.message.contains("default value 2 is greater than max value 1") == true)
        }
    }

    // MARK: - ResourceQuota

    @Test func aQuotaRefusesThePodBeyondItsCount() async throws {
        try await TestCluster.run { cluster in
            try await createMeasuredQuota(quota("q", in: cluster, hard: ["pods": "2"]), in: cluster)
            _ = try await cluster.client.create(pod("p1", in: cluster))
            _ = try await cluster.client.create(pod("p2", in: cluster))
            let refused = await failure { _ = try await cluster.client.create(pod("p3", in: cluster)) }
            #expect(refused?.code == .forbidden)
            #expect(refused?.message == "pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2")
        }
    }

    @Test func aQuotaRefusesTheConfigMapBeyondItsCount() async throws {
        try await TestCluster.run { cluster in
            try await createMeasuredQuota(quota("maps", in: cluster, hard: ["configmaps": "2"]), in: cluster)
            // A real cluster publishes its root CA into every namespace as a ConfigMap: count from what is there.
            let present = Int(await usedQuantities("maps", in: cluster)?["configmaps"] ?? "0") ?? 0
            for index in 0..<max(0, 2 - present) {
                _ = try await cluster.client.create(configMap("map-\(index)", namespace: cluster.namespace))
            }
            let refused = await failure { _ = try await cluster.client.create(configMap("one-too-many", namespace: cluster.namespace)) }
            #expect(refused?.code == .forbidden)
            #expect(
                refused?.message
                    == "configmaps \"one-too-many\" is forbidden: exceeded quota: maps, requested: configmaps=1, used: configmaps=2, limited: configmaps=2"
            )
        }
    }

    @Test func quotaUsageGoesUpOnCreateAndDownOnDelete() async throws {
        try await TestCluster.run { cluster in
            let hard: [String: Quantity] = ["pods": "5", "requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "8", "limits.memory": "8Gi"]
            try await createMeasuredQuota(quota("compute", in: cluster, hard: hard), in: cluster)
            let resources = ResourceRequirements(limits: ["cpu": "1", "memory": "1Gi"], requests: ["cpu": "500m", "memory": "512Mi"])
            for index in 1...3 { _ = try await cluster.client.create(pod("w\(index)", in: cluster, resources: resources)) }
            try await eventually {
                await usedQuantities("compute", in: cluster) == [
                    "pods": "3", "requests.cpu": "1500m", "requests.memory": "1536Mi", "limits.cpu": "3", "limits.memory": "3Gi",
                ]
            }
            let status = try await cluster.client.get(ResourceQuota.self, name: "compute", namespace: cluster.namespace).status
            #expect(status?.hard == hard)

            // A fourth pod takes requests.cpu to exactly 2, which is allowed; a fifth would pass it.
            _ = try await cluster.client.create(pod("w4", in: cluster, resources: resources))
            let refused = await failure { _ = try await cluster.client.create(pod("w5", in: cluster, resources: resources)) }
            #expect(refused?.code == .forbidden)
            #expect(
                refused?.message
                    == "pods \"w5\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2"
            )

            _ = try await cluster.client.delete(Pod.self, name: "w1", namespace: cluster.namespace, options: DeleteOptions(gracePeriodSeconds: 0))
            try await eventually { await usedQuantities("compute", in: cluster)?["requests.cpu"] == "1500m" }
            #expect(await usedQuantities("compute", in: cluster)?["pods"] == "3")
        }
    }

    @Test func aQuotaOnComputeResourcesRequiresThemAfterLimitRangeDefaults() async throws {
        try await TestCluster.run { cluster in
            try await createMeasuredQuota(quota("q", in: cluster, hard: ["requests.cpu": "4", "limits.cpu": "4"]), in: cluster)
            let requestsOnly = ResourceRequirements(requests: ["cpu": "100m"])
            let refused = await failure { _ = try await cluster.client.create(pod("p", in: cluster, container: "c", resources: requestsOnly)) }
            #expect(refused?.code == .forbidden)
            // Servers before 1.27 end the message after the resource; later ones name the containers.
            #expect(refused?.message.hasPrefix("pods \"p\" is forbidden: failed quota: q: must specify limits.cpu") == true)

            // LimitRanger runs first: with a default limit, the same pod is admitted.
            _ = try await cluster.client.create(operatorLimitRange(in: cluster))
            try await eventually {
                (try? await cluster.client.create(pod("p", in: cluster, container: "c", resources: requestsOnly))) != nil
            }
            let admitted = try await cluster.client.get(Pod.self, name: "p", namespace: cluster.namespace)
            #expect(admitted.spec?.containers?.first?.resources?.limits?["cpu"] == "1")
        }
    }

    // MARK: - Sandbox only

    @Test func theQuotaControllerWritesOnlyWhatChangesAsAStatusWrite() async throws {
        try await TestCluster.run { cluster in
            guard cluster.sandboxOnly("when a real quota controller writes is its own business") != nil else { return }
            try await createMeasuredQuota(quota("q", in: cluster, hard: ["pods": "3", "requests.cpu": "1000m"]), in: cluster)
            let measured = try await cluster.client.get(ResourceQuota.resource, name: "q", namespace: cluster.namespace)
            #expect(strings(measured["status"]?["hard"]) == ["pods": "3", "requests.cpu": "1"])
            #expect(measured["metadata"]?["generation"] == nil)

            // Objects the quota does not track leave it as it is.
            _ = try await cluster.client.create(configMap("unrelated", namespace: cluster.namespace))
            let after = try await cluster.client.get(ResourceQuota.resource, name: "q", namespace: cluster.namespace)
            #expect(after["metadata"]?["resourceVersion"] == measured["metadata"]?["resourceVersion"])

            // A dry run is admitted, and counts for nothing.
            let resources = ResourceRequirements(requests: ["cpu": "250m"])
            _ = try await cluster.client.create(pod("dry", in: cluster, resources: resources), options: CreateOptions(dryRun: true))
            #expect(await usedQuantities("q", in: cluster) == ["pods": "0", "requests.cpu": "0"])
            _ = try await cluster.client.create(pod("real", in: cluster, resources: resources))
            #expect(await usedQuantities("q", in: cluster) == ["pods": "1", "requests.cpu": "250m"])
        }
    }
}
