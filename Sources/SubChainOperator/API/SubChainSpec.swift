import KubeCore

/// What the user asks for. Every field is optional in Swift because the API server applies the schema's
/// defaults; ``SubChainSpec/Resolved`` gives the values the operator acts on.
public struct SubChainSpec: Codable, Hashable, Sendable {
    /// The number of validators, n = 3f + 1 for f faults tolerated (4 tolerates 1).
    public var replicas: Int?
    /// The node image; the operator's `--node-image` when unset.
    public var image: String?
    public var resources: NodeResources?
    public var ports: NodePorts?
    public var storage: NodeStorage?
    public var consensus: ConsensusSettings?
    /// A Secret in the operator's namespace holding `apiKeys` (one key per line): copied into the
    /// sub-chain's namespace, and then required in `X-API-Key` for writes.
    public var apiKeysSecret: String?
    /// Stops reconciling the children while true (the chain keeps running as it is).
    public var paused: Bool?

    public init(
        replicas: Int? = nil, image: String? = nil, resources: NodeResources? = nil, ports: NodePorts? = nil, storage: NodeStorage? = nil,
        consensus: ConsensusSettings? = nil, apiKeysSecret: String? = nil, paused: Bool? = nil
    ) {
        self.replicas = replicas
        self.image = image
        self.resources = resources
        self.ports = ports
        self.storage = storage
        self.consensus = consensus
        self.apiKeysSecret = apiKeysSecret
        self.paused = paused
    }
}

/// What each node container requests and may use, as quantities (`500m`, `512Mi`).
public struct NodeResources: Codable, Hashable, Sendable {
    public var requests: ResourceAmounts?
    public var limits: ResourceAmounts?

    public init(requests: ResourceAmounts? = nil, limits: ResourceAmounts? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// A CPU and a memory quantity.
public struct ResourceAmounts: Codable, Hashable, Sendable {
    public var cpu: String?
    public var memory: String?

    public init(cpu: String? = nil, memory: String? = nil) {
        self.cpu = cpu
        self.memory = memory
    }

    /// Reads an int-or-string quantity as its string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpu = try Self.quantity(container, .cpu)
        memory = try Self.quantity(container, .memory)
    }

    private static func quantity(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let number = try? container.decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return try container.decodeIfPresent(String.self, forKey: key)
    }

    enum CodingKeys: String, CodingKey {
        case cpu, memory
    }
}

/// The two ports every node listens on.
public struct NodePorts: Codable, Hashable, Sendable {
    /// Consensus traffic between validators (ZeroMQ).
    public var p2p: Int?
    /// The HTTP API clients use.
    public var api: Int?

    public init(p2p: Int? = nil, api: Int? = nil) {
        self.p2p = p2p
        self.api = api
    }
}

/// A persistent volume per node for its ledger; without it the ledger lives in an emptyDir and a new pod
/// catches up from its peers.
public struct NodeStorage: Codable, Hashable, Sendable {
    /// The PersistentVolumeClaim's size (`10Gi`).
    public var size: String?
    /// The StorageClass; the cluster's default when unset.
    public var storageClassName: String?

    public init(size: String? = nil, storageClassName: String? = nil) {
        self.size = size
        self.storageClassName = storageClassName
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decodeIfPresent(Int64.self, forKey: .size) {
            size = String(number)
        } else {
            size = try container.decodeIfPresent(String.self, forKey: .size)
        }
        storageClassName = try container.decodeIfPresent(String.self, forKey: .storageClassName)
    }

    enum CodingKeys: String, CodingKey {
        case size, storageClassName
    }
}

/// The node's consensus settings (its `BATCH_SIZE`, `BATCH_WAIT_MS`, `VIEW_CHANGE_TIMEOUT_MS` and
/// `CHECKPOINT_INTERVAL`).
public struct ConsensusSettings: Codable, Hashable, Sendable {
    /// The most events in one block.
    public var batchSize: Int?
    /// How long the primary waits for a batch to fill; 0 proposes at once.
    public var maxBatchWaitMilliseconds: Int?
    /// How long stalled work waits before the primary is suspected and a view change starts.
    public var viewChangeTimeoutMilliseconds: Int?
    /// Blocks between checkpoints.
    public var checkpointInterval: Int?

    public init(batchSize: Int? = nil, maxBatchWaitMilliseconds: Int? = nil, viewChangeTimeoutMilliseconds: Int? = nil, checkpointInterval: Int? = nil) {
        self.batchSize = batchSize
        self.maxBatchWaitMilliseconds = maxBatchWaitMilliseconds
        self.viewChangeTimeoutMilliseconds = viewChangeTimeoutMilliseconds
        self.checkpointInterval = checkpointInterval
    }
}
