import Foundation
import KubeCore

/// The desired children of one SubChain: a pure function of the SubChain, its resolved spec and its
/// genesis (which fixes the validators), tested without I/O.
///
/// Every object carries the sub-chain's labels and a controller owner reference to the SubChain, and only
/// the fields the operator means to own: the API server's defaults and other managers' fields are left to
/// them (server-side apply under ``SubChainNames/fieldManager``).
public struct SubChainBlueprint: Sendable {
    public let names: SubChainNames
    public let spec: ResolvedSpec
    public let genesis: GenesisDocument
    public let settings: BlueprintSettings
    let owner: OwnerReference

    /// The mount points inside the node container.
    static let keysDirectory = "/etc/subchain/keys"
    static let genesisDirectory = "/etc/subchain/genesis"
    static let apiKeysDirectory = "/etc/subchain/api-keys"
    static let dataDirectory = "/var/lib/subchain"

    /// - Parameters:
    ///   - subChain: The owner; its name and uid go into every child.
    ///   - spec: Its spec with defaults.
    ///   - genesis: The chain's genesis; its validators (not `spec.replicas`, which may have changed since)
    ///     decide how many nodes there are.
    ///   - settings: The operator's flags.
    public init(subChain: SubChain, spec: ResolvedSpec, genesis: GenesisDocument, settings: BlueprintSettings) {
        names = SubChainNames(subChain: subChain.metadata.name ?? "")
        self.spec = spec
        self.genesis = genesis
        self.settings = settings
        owner = OwnerReference(
            apiVersion: SubChain.apiVersion, kind: SubChain.kind, name: subChain.metadata.name, uid: subChain.metadata.uid, controller: true,
            blockOwnerDeletion: true)
    }

    /// The number of validators the genesis lists.
    public var validatorCount: Int { genesis.genesis.validators.count }

    // MARK: Namespace and its limits

    public var namespace: Namespace {
        var labels = names.labels
        // The restricted Pod Security Standard, enforced by the built-in PodSecurity admission (1.23+):
        // the node pods are written to pass it, and nothing else may run there that does not.
        for mode in ["enforce", "audit", "warn"] { labels["pod-security.kubernetes.io/\(mode)"] = "restricted" }
        return Namespace(metadata: ObjectMeta(name: names.namespace, labels: labels, ownerReferences: [owner]))
    }

    /// Container defaults and caps: a container that sets no resources gets the seed's 500m / 512Mi
    /// requests and 1000m / 1Gi limits, and none may be limited above 1000m / 1Gi.
    public var limitRange: LimitRange {
        LimitRange(
            metadata: metadata("limits"),
            spec: LimitRangeSpec(limits: [
                LimitRangeItem(
                    type: "Container", max: NamespaceLimits.maximum.entries(), default: NamespaceLimits.defaultLimit.entries(),
                    defaultRequest: NamespaceLimits.defaultRequest.entries())
            ]))
    }

    /// Room for every validator plus one pod more (a pod being replaced while its successor starts), and
    /// for exactly the objects the operator makes; no LoadBalancer or NodePort Services, so that only the
    /// `api` Service's ClusterIP exposes the chain unless an administrator adds an Ingress.
    public var resourceQuota: ResourceQuota {
        let pods = validatorCount + 1
        var hard = spec.requests.times(pods).entries(prefix: "requests.").merging(spec.limits.times(pods).entries(prefix: "limits.")) { a, _ in a }
        hard["pods"] = Quantity(Int64(pods))
        hard["services"] = Quantity(Int64(validatorCount + 1))
        hard["services.loadbalancers"] = Quantity(0)
        hard["services.nodeports"] = Quantity(0)
        // The genesis, and kube-root-ca.crt that the controller manager puts into every namespace.
        hard["configmaps"] = Quantity(2)
        // The key Secrets, the API keys' copy, and the default ServiceAccount's token Secret that clusters
        // before 1.24 create.
        hard["secrets"] = Quantity(Int64(validatorCount + 2))
        if let storage = spec.storage {
            hard["persistentvolumeclaims"] = Quantity(Int64(validatorCount))
            hard["requests.storage"] = Quantity(nanoUnits: storage.size.nanoUnits * Int128(validatorCount), format: storage.size.format)
        } else {
            hard["persistentvolumeclaims"] = Quantity(0)
        }
        return ResourceQuota(metadata: metadata("quota"), spec: ResourceQuotaSpec(hard: hard))
    }

    // MARK: Keys and genesis

    /// Validator `index`'s key Secret, made once with new keys; the public halves ride along as
    /// annotations (see ``ValidatorIdentity``).
    public func keySecret(_ index: Int, keys: ValidatorKeys) -> Secret {
        var meta = metadata(SubChainNames.keySecret(index), labels: names.nodeLabels(index))
        meta.annotations = keys.identity.annotations
        return Secret(metadata: meta, type: "Opaque", data: keys.secretData)
    }

    public var genesisConfigMap: ConfigMap {
        var meta = metadata(SubChainNames.genesisConfigMap)
        meta.annotations = [GenesisDocument.hashAnnotation: genesis.hash]
        return ConfigMap(metadata: meta, data: [GenesisDocument.entry: genesis.text])
    }

    // MARK: Network

    /// Validator `index`'s stable address. Not-ready pods stay behind it (`publishNotReadyAddresses`):
    /// a node is ready only once it reaches a quorum of peers, so peers must reach it before then.
    public func nodeService(_ index: Int) -> Service {
        Service(
            metadata: metadata(SubChainNames.node(index), labels: names.nodeLabels(index)),
            spec: ServiceSpec(
                type: "ClusterIP", selector: names.nodeSelector(index), ports: servicePorts(includingP2P: true), publishNotReadyAddresses: true))
    }

    /// Where clients submit events and read blocks: every ready validator's API.
    public var apiService: Service {
        Service(
            metadata: metadata(SubChainNames.apiService),
            spec: ServiceSpec(type: "ClusterIP", selector: podSelector, ports: servicePorts(includingP2P: false)))
    }

    /// The seed's firewall rules: consensus traffic only from this sub-chain's own pods, the API from
    /// anywhere. Egress is not restricted (nodes reach each other and DNS, and the seed allows outbound
    /// HTTP(S) for integrations).
    public var networkPolicy: NetworkPolicy {
        NetworkPolicy(
            metadata: metadata(SubChainNames.networkPolicy),
            spec: NetworkPolicySpec(
                podSelector: LabelSelector(matchLabels: podSelector), policyTypes: ["Ingress"],
                ingress: [
                    NetworkPolicyIngressRule(
                        from: [NetworkPolicyPeer(podSelector: LabelSelector(matchLabels: podSelector))],
                        ports: [NetworkPolicyPort(protocol: "TCP", port: .int(spec.p2pPort))]),
                    NetworkPolicyIngressRule(ports: [NetworkPolicyPort(protocol: "TCP", port: .int(spec.apiPort))]),
                ]))
    }

    /// At most f validators down by a voluntary disruption (a drain, an upgrade), so a quorum of 2f + 1
    /// keeps committing. With fewer than 4 validators f is 0; a budget of 0 would block every drain of
    /// their nodes for good, while the chain stops on any disruption either way, so those chains allow one.
    public var disruptionBudget: PodDisruptionBudget {
        PodDisruptionBudget(
            metadata: metadata(SubChainNames.disruptionBudget),
            spec: PodDisruptionBudgetSpec(maxUnavailable: .int(Int32(Self.maxUnavailable(validators: validatorCount))), selector: LabelSelector(matchLabels: podSelector)))
    }

    /// f = ⌊(n − 1) / 3⌋, or 1 when that is 0 (see ``disruptionBudget``).
    public static func maxUnavailable(validators: Int) -> Int { max(1, (validators - 1) / 3) }

    // MARK: Nodes

    /// Validator `index`'s ledger claim, when `spec.storage` asks for one.
    public func dataClaim(_ index: Int) -> PersistentVolumeClaim? {
        guard let storage = spec.storage else { return nil }
        return PersistentVolumeClaim(
            metadata: metadata(SubChainNames.dataClaim(index), labels: names.nodeLabels(index)),
            spec: PersistentVolumeClaimSpec(
                accessModes: ["ReadWriteOnce"], resources: VolumeResourceRequirements(requests: ["storage": storage.size]),
                storageClassName: storage.storageClassName))
    }

    /// Validator `index`: one pod at a time (`Recreate`, so two pods of one validator never sign at once).
    public func deployment(_ index: Int) -> Deployment {
        let selector = names.nodeSelector(index)
        let template = PodTemplateSpec(
            metadata: ObjectMeta(labels: names.nodeLabels(index), annotations: [GenesisDocument.hashAnnotation: genesis.hash]),
            spec: podSpec(index))
        return Deployment(
            metadata: metadata(SubChainNames.node(index), labels: names.nodeLabels(index)),
            spec: DeploymentSpec(
                replicas: 1, selector: LabelSelector(matchLabels: selector), template: template, strategy: DeploymentStrategy(type: "Recreate"),
                revisionHistoryLimit: 3))
    }

    /// The value of validator `index`'s `PEERS`: every other validator's Service name, port and CURVE key.
    public func peers(of index: Int) -> String {
        genesis.validators.enumerated().filter { $0.offset != index }.map { peer, identity in
            let key = identity.transportKey.isEmpty ? "" : ":\(identity.transportKey)"
            return "\(SubChainNames.node(peer))@\(names.serviceHost(peer, clusterDomain: settings.clusterDomain)):\(spec.p2pPort)\(key)"
        }.joined(separator: ",")
    }

    /// Every child except the key Secrets, in the order they are made: the namespace, its limits (before
    /// any pod), the genesis, the network, the budget, the claims, and the nodes last.
    /// - Throws: ``KubeCoreError`` when an object cannot be encoded.
    public func children() throws(KubeCoreError) -> [ChildObject] {
        var children = [try ChildObject(namespace), try ChildObject(limitRange), try ChildObject(resourceQuota), try ChildObject(genesisConfigMap)]
        for index in 0..<validatorCount { children.append(try ChildObject(nodeService(index))) }
        children.append(try ChildObject(apiService))
        children.append(try ChildObject(networkPolicy))
        children.append(try ChildObject(disruptionBudget))
        for index in 0..<validatorCount {
            if let claim = dataClaim(index) { children.append(try ChildObject(claim)) }
        }
        for index in 0..<validatorCount { children.append(try ChildObject(deployment(index))) }
        return children
    }

    // MARK: Helpers

    /// Every validator pod of this sub-chain.
    var podSelector: [String: String] {
        [SubChainNames.subChainLabel: names.subChain, "app.kubernetes.io/name": "subchain-node"]
    }

    private func metadata(_ name: String, labels: [String: String]? = nil) -> ObjectMeta {
        ObjectMeta(name: name, namespace: names.namespace, labels: labels ?? names.labels, ownerReferences: [owner])
    }

    private func servicePorts(includingP2P: Bool) -> [ServicePort] {
        var ports = [ServicePort(name: "api", protocol: "TCP", port: spec.apiPort, targetPort: .string("api"))]
        if includingP2P { ports.insert(ServicePort(name: "p2p", protocol: "TCP", port: spec.p2pPort, targetPort: .string("p2p")), at: 0) }
        return ports
    }
}
