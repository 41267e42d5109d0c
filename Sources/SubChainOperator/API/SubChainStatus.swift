import KubeCore

/// What the operator observed, written through the status subresource.
public struct SubChainStatus: Codable, Hashable, Sendable {
    public var phase: SubChainPhase?
    /// The namespace the sub-chain runs in (`hrc-subchain-<name>`).
    public var namespace: String?
    /// The validators the chain was created with.
    public var replicas: Int?
    /// Validators whose pod is ready (the seed's ACTIVE count).
    public var readyNodes: Int?
    /// `readyNodes/replicas`, for `kubectl get`.
    public var ready: String?
    public var quota: QuotaStatus?
    public var nodes: [NodeStatus]?
    public var chainID: String?
    /// The SHA-256 of the genesis document, hex.
    public var genesisHash: String?
    /// The `api` Service's in-cluster URL.
    public var endpoint: String?
    public var conditions: [Condition]?
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int64?

    public init(
        phase: SubChainPhase? = nil, namespace: String? = nil, replicas: Int? = nil, readyNodes: Int? = nil, ready: String? = nil,
        quota: QuotaStatus? = nil, nodes: [NodeStatus]? = nil, chainID: String? = nil, genesisHash: String? = nil, endpoint: String? = nil,
        conditions: [Condition]? = nil, observedGeneration: Int64? = nil
    ) {
        self.phase = phase
        self.namespace = namespace
        self.replicas = replicas
        self.readyNodes = readyNodes
        self.ready = ready
        self.quota = quota
        self.nodes = nodes
        self.chainID = chainID
        self.genesisHash = genesisHash
        self.endpoint = endpoint
        self.conditions = conditions
        self.observedGeneration = observedGeneration
    }
}

/// Where a sub-chain is in its life.
public enum SubChainPhase: String, Codable, Hashable, Sendable, CaseIterable {
    /// Accepted, nothing made yet.
    case pending = "Pending"
    /// Namespace and children being made; not every node is available yet.
    case provisioning = "Provisioning"
    /// Every validator is ready.
    case active = "Active"
    /// Fewer than all, but a quorum (2f + 1), are ready: the chain commits.
    case degraded = "Degraded"
    /// Being deleted.
    case terminating = "Terminating"
    /// A quorum has not been ready for too long, or the spec cannot be provisioned.
    case failed = "Failed"
}

/// The namespace's ResourceQuota as its status reports it (the seed's `get_namespace_resources`).
public struct QuotaStatus: Codable, Hashable, Sendable {
    public var hard: [String: String]?
    public var used: [String: String]?

    public init(hard: [String: String]? = nil, used: [String: String]? = nil) {
        self.hard = hard
        self.used = used
    }
}

/// One validator as clients and peers reach it.
public struct NodeStatus: Codable, Hashable, Sendable {
    /// `node-0` …
    public var id: String?
    /// The Service DNS name (`node-0.hrc-subchain-demo.svc`).
    public var service: String?
    /// The Ed25519 public key that verifies its consensus messages, base64.
    public var signingKey: String?
    /// Its CURVE public key, Z85.
    public var transportKey: String?
    public var ready: Bool?

    public init(id: String? = nil, service: String? = nil, signingKey: String? = nil, transportKey: String? = nil, ready: Bool? = nil) {
        self.id = id
        self.service = service
        self.signingKey = signingKey
        self.transportKey = transportKey
        self.ready = ready
    }
}
