import Consensus
import KubeCore

/// The SubChain's OpenAPI v3 schema, field by field beside the Swift types in `API/`. What the schema
/// checks the API server refuses with the field's path; what it cannot check (a name too long for its
/// namespace, limits above the LimitRange's maximum, a missing `apiKeysSecret`) the operator reports
/// as `Ready=False` with a reason. No CEL rules: Kubernetes 1.24 ignores them.
public enum SubChainSchema {
    /// Defaults the operator's children are sized by.
    public static let defaultReplicas: Int64 = 4
    public static let defaultRequests = (cpu: "500m", memory: "512Mi")
    public static let defaultLimits = (cpu: "1000m", memory: "1Gi")
    public static let defaultP2PPort: Int64 = 5001
    public static let defaultAPIPort: Int64 = 2661

    /// The node's own bounds (what `subchain-node run` accepts), so the API server refuses what the node
    /// would refuse at start.
    public static let largestBatchSize = Int64(MessageLimits().maxBlockEvents)
    public static let largestCheckpointInterval = Int64(ReplicaConfiguration.largestCheckpointInterval())

    /// The whole object's schema.
    public static var root: StructuralSchema {
        .object(
            "A BFT sub-chain: a namespace of its own running `replicas` PBFT validators (subchain-node pods), each with its own keys, Service and Deployment.",
            [
                "apiVersion": .string("The API version: hierachain.io/v1alpha1."),
                "kind": .string("SubChain."),
                "metadata": .objectMetadata,
                "spec": spec.withDefault(.object([:])),
                "status": status,
            ])
    }

    /// `spec`.
    public static var spec: StructuralSchema {
        .object(
            "What the sub-chain should be. Changing replicas once the chain has a genesis is not applied yet (validator-set reconfiguration): the operator reports ReconfigurationPending.",
            [
                "replicas": .integer(
                    "Number of validators, n = 3f + 1 tolerating f faulty ones (4 tolerates 1, 7 tolerates 2). 1 to 3 run without fault tolerance.",
                    default: defaultReplicas, minimum: 1, maximum: 31),
                "image": .string("The subchain-node container image. Defaults to the operator's --node-image.", minLength: 1),
                "resources": resources.withDefault(.object([:])),
                "ports": ports.withDefault(.object([:])),
                "storage": storage,
                "consensus": consensus.withDefault(.object([:])),
                "apiKeysSecret": .string(
                    "Name of a Secret in the operator's namespace whose `apiKeys` entry lists the keys (one per line) clients must send in X-API-Key to submit events. The operator copies it into the sub-chain's namespace. Writes are open without it.",
                    pattern: #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#, maxLength: 253),
                "paused": .boolean("Stops reconciling the children while true; the chain keeps running as it is.", default: false),
            ])
    }

    static var resources: StructuralSchema {
        .object(
            "CPU and memory of each node container. The namespace's LimitRange caps limits at 1000m CPU and 1Gi memory, and its ResourceQuota is sized from these values.",
            [
                "requests": amounts("What each node is guaranteed.", cpu: defaultRequests.cpu, memory: defaultRequests.memory),
                "limits": amounts("The most each node may use.", cpu: defaultLimits.cpu, memory: defaultLimits.memory),
            ])
    }

    private static func amounts(_ description: String, cpu: String, memory: String) -> StructuralSchema {
        StructuralSchema.object(
            description,
            [
                "cpu": .quantity("CPU, in cores or millicores (`500m`).", default: cpu),
                "memory": .quantity("Memory, in bytes with a suffix (`512Mi`, `1Gi`).", default: memory),
            ]
        ).withDefault(.object([:]))
    }

    static var ports: StructuralSchema {
        .object(
            "The ports every node listens on, also the ports of its Service.",
            [
                "p2p": .integer("Consensus traffic between validators (ZeroMQ over TCP).", default: defaultP2PPort, minimum: 1, maximum: 65535),
                "api": .integer("The HTTP API where clients submit events and read blocks.", default: defaultAPIPort, minimum: 1, maximum: 65535),
            ])
    }

    static var storage: StructuralSchema {
        .object(
            "A PersistentVolumeClaim per node for its ledger. Without it the ledger is in an emptyDir: a replaced pod starts empty and catches up from its peers.",
            required: ["size"],
            [
                "size": .quantity("The claim's size (`10Gi`)."),
                "storageClassName": .string("The StorageClass; the cluster's default when unset.", maxLength: 253),
            ])
    }

    static var consensus: StructuralSchema {
        .object(
            "PBFT settings of every node.",
            [
                "batchSize": .integer("The most events in one block.", default: 1000, minimum: 1, maximum: largestBatchSize),
                "maxBatchWaitMilliseconds": .integer(
                    "How long the primary waits for a block to fill before proposing it; 0 proposes at once.", default: 0, minimum: 0, maximum: 60_000),
                "viewChangeTimeoutMilliseconds": .integer(
                    "How long stalled work waits before the primary is suspected and a view change starts.", default: 1000, minimum: 100,
                    maximum: 600_000),
                "checkpointInterval": .integer(
                    "Blocks between checkpoints; the log keeps blocks back to the last one.", default: 16, minimum: 1, maximum: largestCheckpointInterval),
            ])
    }

    /// `status`.
    public static var status: StructuralSchema {
        .object(
            "What the operator observed.",
            [
                "phase": .string(
                    "Pending, Provisioning (children being made), Active (every validator ready), Degraded (fewer, but a quorum of 2f + 1), Terminating, or Failed (see the Ready condition).",
                    enum: SubChainPhase.allCases.map(\.rawValue)),
                "namespace": .string("The namespace the sub-chain runs in."),
                "replicas": .integer("The validators of the chain's genesis."),
                "readyNodes": .integer("Validators whose pod is ready."),
                "ready": .string("readyNodes/replicas."),
                "quota": .object(
                    "The namespace's ResourceQuota.",
                    [
                        "hard": .map("The quota's limits.", of: .string("A quantity.")),
                        "used": .map("What the namespace uses of them.", of: .string("A quantity.")),
                    ]),
                "nodes": .array(
                    "Every validator.",
                    of: .object(
                        "One validator.", required: ["id"],
                        [
                            "id": .string("The validator id (node-0, node-1, …)."),
                            "service": .string("Its Service's DNS name."),
                            "signingKey": .string("Its Ed25519 public key, base64."),
                            "transportKey": .string("Its CURVE public key, Z85."),
                            "ready": .boolean("Whether its pod is ready."),
                        ]), listType: "map", mapKeys: ["id"]),
                "chainID": .string("The chain id of the genesis."),
                "genesisHash": .string("SHA-256 of the genesis document, hex."),
                "endpoint": .string("The api Service's in-cluster URL."),
                "conditions": .array(
                    "Ready, Progressing and Degraded, with reasons.",
                    of: .object(
                        "One condition.", required: ["type", "status"],
                        [
                            "type": .string("The condition's type."),
                            "status": .string("True, False or Unknown.", enum: ["True", "False", "Unknown"]),
                            "observedGeneration": .integer("The generation the condition was set for.", minimum: 0),
                            "lastTransitionTime": StructuralSchema(type: "string", description: "When the status last changed.", format: "date-time"),
                            "reason": .string("Why, in one CamelCase word."),
                            "message": .string("Why, for a human."),
                        ]), listType: "map", mapKeys: ["type"]),
                "observedGeneration": .integer("The metadata.generation this status describes."),
            ])
    }
}
