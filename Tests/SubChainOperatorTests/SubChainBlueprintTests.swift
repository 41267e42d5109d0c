import Foundation
import KubeCore
import SubChainNode
import Testing

@testable import SubChainOperator

/// The desired children of a SubChain, as a pure function: names, sizes, the node's configuration (read
/// back by the node's own settings parser) and the security settings the restricted profile requires.
@Suite struct SubChainBlueprintTests {
    static let settings = BlueprintSettings(defaultImage: "ghcr.io/hierachain/subchain-node:0.1.0")

    static func blueprint(name: String = "demo", _ spec: SubChainSpec = SubChainSpec(), validators: Int = 4) throws -> (SubChainBlueprint, [ValidatorKeys]) {
        let subChain = SubChain(metadata: ObjectMeta(name: name, uid: "0b4b1a3e-7d5e-4c1e-9a43-2f8f1d2c3b4a"), spec: spec)
        let keys = try (0..<validators).map { _ in try ValidatorKeys.generate() }
        let genesis = GenesisDocument(chainID: name, validators: keys.map(\.identity))
        let resolved = try ResolvedSpec(spec, defaultImage: settings.defaultImage)
        return (SubChainBlueprint(subChain: subChain, spec: resolved, genesis: genesis, settings: settings), keys)
    }

    @Test func theNamespaceIsTheSubChainsAndEnforcesTheRestrictedProfile() throws {
        let (blueprint, _) = try Self.blueprint()
        let namespace = blueprint.namespace
        #expect(namespace.metadata.name == "hrc-subchain-demo")
        let labels = try #require(namespace.metadata.labels)
        #expect(labels["hierachain.io/subchain"] == "demo")
        #expect(labels["app.kubernetes.io/managed-by"] == "subchain-operator")
        #expect(labels["pod-security.kubernetes.io/enforce"] == "restricted")
        let owner = try #require(namespace.metadata.ownerReferences?.first)
        #expect(owner.kind == "SubChain" && owner.name == "demo" && owner.uid == "0b4b1a3e-7d5e-4c1e-9a43-2f8f1d2c3b4a" && owner.controller == true)
    }

    @Test func limitsAreTheSeedsAndTheQuotaHasRoomForOnePodMore() throws {
        let (blueprint, _) = try Self.blueprint()
        let item = try #require(blueprint.limitRange.spec?.limits?.first)
        #expect(item.type == "Container")
        #expect(item.defaultRequest == ["cpu": "500m", "memory": "512Mi"])
        #expect(item.default == ["cpu": "1000m", "memory": "1Gi"])
        #expect(item.max == ["cpu": "1", "memory": "1Gi"])

        let hard = try #require(blueprint.resourceQuota.spec?.hard)
        #expect(hard["requests.cpu"] == "2500m")
        #expect(hard["requests.memory"] == "2560Mi")
        #expect(hard["limits.cpu"] == "5")
        #expect(hard["limits.memory"] == "5Gi")
        #expect(hard["pods"] == "5")
        #expect(hard["services"] == "5")
        #expect(hard["services.nodeports"] == "0" && hard["services.loadbalancers"] == "0")
        #expect(hard["persistentvolumeclaims"] == "0")
        // Printed as Kubernetes prints them, so that comparing with the stored object finds no change.
        let encoded = try JSONValue(encoding: blueprint.resourceQuota)
        #expect(encoded["spec"]?["hard"]?["requests.memory"] == "2560Mi")
        #expect(encoded["spec"]?["hard"]?["limits.cpu"] == "5")
    }

    @Test func theQuotaFollowsTheRequestedResources() throws {
        let spec = SubChainSpec(
            replicas: 7, resources: NodeResources(requests: ResourceAmounts(cpu: "250m", memory: "256Mi"), limits: ResourceAmounts(cpu: "500m", memory: "512Mi")))
        let (blueprint, _) = try Self.blueprint(spec, validators: 7)
        let hard = try #require(blueprint.resourceQuota.spec?.hard)
        #expect(hard["requests.cpu"] == "2")
        #expect(hard["requests.memory"] == "2Gi")
        #expect(hard["limits.cpu"] == "4")
        #expect(hard["limits.memory"] == "4Gi")
        #expect(hard["pods"] == "8")
    }

    @Test func everyNodeRunsWithTheEnvironmentTheNodeReads() throws {
        let (blueprint, keys) = try Self.blueprint()
        for index in 0..<4 {
            let deployment = blueprint.deployment(index)
            #expect(deployment.metadata.name == "node-\(index)")
            #expect(deployment.spec?.replicas == 1)
            #expect(deployment.spec?.strategy?.type == "Recreate")
            #expect(deployment.spec?.selector?.matchLabels == ["hierachain.io/subchain": "demo", "hierachain.io/node": "node-\(index)"])
            let template = try #require(deployment.spec?.template)
            #expect(template.metadata?.annotations?["hierachain.io/genesis-hash"] == blueprint.genesis.hash)
            for (key, value) in deployment.spec?.selector?.matchLabels ?? [:] { #expect(template.metadata?.labels?[key] == value) }
            let container = try #require(template.spec?.containers?.first)
            #expect(container.image == Self.settings.defaultImage)
            #expect(container.command == ["subchain-node", "run"])
            #expect(container.resources?.requests == ["cpu": "500m", "memory": "512Mi"])
            #expect(container.resources?.limits == ["cpu": "1", "memory": "1Gi"])
            #expect(container.readinessProbe?.httpGet?.path == "/readyz")
            #expect(container.livenessProbe?.httpGet?.path == "/healthz")

            var environment: [String: String] = [:]
            for variable in container.env ?? [] {
                if let value = variable.value { environment[variable.name ?? ""] = value }
                if variable.valueFrom?.fieldRef?.fieldPath == "status.podIP" { environment[variable.name ?? ""] = "10.244.0.\(index + 10)" }
            }
            #expect(environment["BIND_HOST"] == "10.244.0.\(index + 10)")
            let settings = try NodeSettings(environment: environment)
            #expect(settings.nodeID.index == UInt32(index))
            #expect(settings.chainID == "demo")
            #expect(settings.nodePort == 5001 && settings.apiPort == 2661)
            #expect(settings.batchSize == 1000 && settings.checkpointInterval == 16)
            #expect(settings.apiKeysFile == nil)
            let peers = settings.peers.addresses
            #expect(peers.map(\.id.index).sorted() == (0..<4).filter { $0 != index }.map(UInt32.init))
            for peer in peers {
                #expect(peer.host == "node-\(peer.id.index).hrc-subchain-demo.svc.cluster.local")
                #expect(peer.port == 5001)
                #expect(peer.curveKey?.z85 == keys[Int(peer.id.index)].identity.transportKey)
            }
            // Mounted where the environment says.
            let mounts = Dictionary(uniqueKeysWithValues: (container.volumeMounts ?? []).map { ($0.name ?? "", $0) })
            #expect(settings.genesisFile.hasPrefix(mounts["genesis"]?.mountPath ?? "?"))
            #expect(settings.signingKeyFile.hasPrefix(mounts["keys"]?.mountPath ?? "?"))
            #expect(settings.dataDirectory == mounts["data"]?.mountPath)
            #expect(mounts["keys"]?.readOnly == true && mounts["genesis"]?.readOnly == true)
            let volumes = Dictionary(uniqueKeysWithValues: (template.spec?.volumes ?? []).map { ($0.name ?? "", $0) })
            #expect(volumes["keys"]?.secret?.secretName == "node-\(index)-keys")
            #expect(volumes["genesis"]?.configMap?.name == "genesis")
            #expect(volumes["data"]?.emptyDir != nil)
        }
    }

    @Test func podsMeetTheRestrictedPodSecurityStandard() throws {
        let (blueprint, _) = try Self.blueprint()
        let pod = blueprint.podSpec(0)
        #expect(pod.securityContext?.runAsNonRoot == true)
        #expect(pod.securityContext?.seccompProfile?.type == "RuntimeDefault")
        #expect(pod.automountServiceAccountToken == false)
        #expect(pod.enableServiceLinks == false)
        for container in pod.containers ?? [] {
            let context = try #require(container.securityContext)
            #expect(context.allowPrivilegeEscalation == false)
            #expect(context.readOnlyRootFilesystem == true)
            #expect(context.capabilities?.drop == ["ALL"])
            #expect(context.runAsNonRoot == true)
        }
    }

    @Test func theKeySecretHoldsFilesTheNodeLoads() throws {
        let (blueprint, keys) = try Self.blueprint()
        let secret = blueprint.keySecret(2, keys: keys[2])
        #expect(secret.metadata.name == "node-2-keys")
        #expect(secret.metadata.labels?["hierachain.io/node"] == "node-2")
        #expect(ValidatorIdentity(annotations: secret.metadata.annotations) == keys[2].identity)
        #expect(!"\(keys[2])".contains(keys[2].identity.signingKey))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blueprint-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (entry, data) in secret.data ?? [:] { try data.write(to: directory.appendingPathComponent(entry)) }
        let signing = try NodeKeys.loadSigningKey(from: directory.appendingPathComponent("signing.key").path)
        let transport = try NodeKeys.loadTransportKey(from: directory.appendingPathComponent("transport.key").path)
        #expect(signing.publicKey.rawRepresentation.base64EncodedString() == keys[2].identity.signingKey)
        #expect(transport.publicKey.z85 == keys[2].identity.transportKey)
    }

    @Test func theGenesisReadsBackFromItsConfigMap() throws {
        let (blueprint, keys) = try Self.blueprint()
        let configMap = blueprint.genesisConfigMap
        #expect(configMap.metadata.annotations?["hierachain.io/genesis-hash"] == blueprint.genesis.hash)
        let read = try GenesisDocument(configMap: configMap)
        #expect(read == blueprint.genesis)
        #expect(read.hash == blueprint.genesis.hash && read.hash.count == 64)
        #expect(read.validators == keys.map(\.identity))
        #expect(try read.genesis.validatorSet().count == 4)

        var broken = configMap
        broken.data = ["genesis.json": #"{"chainId": "demo", "validators": [{"id": "node-1", "signingKey": "x"}]}"#]
        #expect(throws: GenesisProblem.self) { try GenesisDocument(configMap: broken) }
        broken.data = [:]
        #expect(throws: GenesisProblem.self) { try GenesisDocument(configMap: broken) }
    }

    @Test func servicesKeepNotReadyPeersReachableAndThePolicyAdmitsConsensusOnlyFromTheChain() throws {
        let (blueprint, _) = try Self.blueprint()
        let node = blueprint.nodeService(1)
        #expect(node.metadata.name == "node-1")
        #expect(node.spec?.publishNotReadyAddresses == true)
        #expect(node.spec?.selector == ["hierachain.io/subchain": "demo", "hierachain.io/node": "node-1"])
        #expect(node.spec?.ports?.map(\.name) == ["p2p", "api"])
        #expect(node.spec?.ports?.map(\.port) == [5001, 2661])
        #expect(blueprint.apiService.spec?.ports?.map(\.port) == [2661])
        #expect(blueprint.apiService.spec?.publishNotReadyAddresses == nil)

        let policy = try #require(blueprint.networkPolicy.spec)
        #expect(policy.policyTypes == ["Ingress"])
        let rules = try #require(policy.ingress)
        #expect(rules.count == 2)
        #expect(rules[0].ports?.first?.port == .int(5001))
        #expect(rules[0].from?.first?.podSelector?.matchLabels?["hierachain.io/subchain"] == "demo")
        #expect(rules[1].ports?.first?.port == .int(2661))
        #expect(rules[1].from == nil)
    }

    @Test(arguments: [(1, 1), (3, 1), (4, 1), (6, 1), (7, 2), (10, 3), (31, 10)])
    func theBudgetAllowsFFaultsAndOneBelowFour(validators: Int, allowed: Int) throws {
        #expect(SubChainBlueprint.maxUnavailable(validators: validators) == allowed)
        let (blueprint, _) = try Self.blueprint(SubChainSpec(replicas: validators), validators: validators)
        #expect(blueprint.disruptionBudget.spec?.maxUnavailable == .int(Int32(allowed)))
    }

    @Test func storageMakesAClaimPerNode() throws {
        let (blueprint, _) = try Self.blueprint(SubChainSpec(storage: NodeStorage(size: "10Gi", storageClassName: "fast")))
        let claim = try #require(blueprint.dataClaim(3))
        #expect(claim.metadata.name == "node-3-data")
        #expect(claim.spec?.resources?.requests == ["storage": "10Gi"])
        #expect(claim.spec?.storageClassName == "fast")
        #expect(claim.spec?.accessModes == ["ReadWriteOnce"])
        let volume = blueprint.podSpec(3).volumes?.first { $0.name == "data" }
        #expect(volume?.persistentVolumeClaim?.claimName == "node-3-data")
        #expect(blueprint.resourceQuota.spec?.hard?["persistentvolumeclaims"] == "4")
        #expect(blueprint.resourceQuota.spec?.hard?["requests.storage"] == "40Gi")
        #expect(try Self.blueprint().0.dataClaim(0) == nil)
    }

    @Test func childrenComeInTheOrderTheyMustExist() throws {
        let (blueprint, _) = try Self.blueprint()
        let children = try blueprint.children()
        let kinds = children.map(\.resource.kind)
        #expect(kinds.first == "Namespace")
        let firstDeployment = try #require(kinds.firstIndex(of: "Deployment"))
        for kind in ["LimitRange", "ResourceQuota", "ConfigMap", "Service"] { #expect(try #require(kinds.firstIndex(of: kind)) < firstDeployment) }
        #expect(kinds.filter { $0 == "Deployment" }.count == 4)
        #expect(kinds.filter { $0 == "Service" }.count == 5)
        #expect(!kinds.contains("Secret"))
        for child in children {
            #expect(child.body["status"] == nil, "\(child.reference)")
            #expect(child.body["metadata"]?["labels"]?["hierachain.io/subchain"] == "demo", "\(child.reference)")
            #expect(!child.name.isEmpty)
            #expect(child.namespace == (child.resource.kind == "Namespace" ? nil : "hrc-subchain-demo"))
        }
    }

    @Test func specsTheServerAcceptedButTheOperatorCannotProvisionAreNamed() {
        let cases: [(SubChainSpec, String)] = [
            (SubChainSpec(resources: NodeResources(limits: ResourceAmounts(cpu: "2"))), "spec.resources.limits.cpu"),
            (SubChainSpec(resources: NodeResources(requests: ResourceAmounts(memory: "2Gi"))), "spec.resources.requests.memory"),
            (SubChainSpec(resources: NodeResources(requests: ResourceAmounts(cpu: "lots"))), "spec.resources.requests.cpu"),
            (SubChainSpec(ports: NodePorts(p2p: 2661)), "spec.ports.api"),
            (SubChainSpec(storage: NodeStorage(size: "0")), "spec.storage.size"),
        ]
        for (spec, field) in cases {
            #expect(throws: SpecProblem.self, "\(field)") { try ResolvedSpec(spec, defaultImage: "x") }
            do {
                _ = try ResolvedSpec(spec, defaultImage: "x")
            } catch {
                #expect(error.field == field)
            }
        }
    }

    @Test func namesThatMakeNoNamespaceAreNamed() {
        #expect(SubChainNames(subChain: "demo").namespaceProblem == nil)
        #expect(SubChainNames(subChain: String(repeating: "a", count: 50)).namespaceProblem == nil)
        #expect(SubChainNames(subChain: String(repeating: "a", count: 51)).namespaceProblem?.contains("63") == true)
        #expect(SubChainNames(subChain: "a.b").namespaceProblem?.contains("dot") == true)
    }
}
