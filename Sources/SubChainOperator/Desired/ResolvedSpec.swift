import KubeCore

/// A SubChain's spec with every default filled in: the values the operator sizes the children by.
///
/// The API server applies the schema's defaults, so on a cluster with the committed CRD nothing here is
/// needed; the same defaults are applied again so that an object written under an older or hand-edited
/// CRD is still provisioned as documented.
public struct ResolvedSpec: Sendable, Hashable {
    public var replicas: Int
    public var image: String
    public var requests: CPUAndMemory
    public var limits: CPUAndMemory
    public var p2pPort: Int32
    public var apiPort: Int32
    /// The claim size and class, or `nil` for an emptyDir.
    public var storage: StorageRequest?
    public var batchSize: Int
    public var maxBatchWaitMilliseconds: Int
    public var viewChangeTimeoutMilliseconds: Int
    public var checkpointInterval: Int
    public var apiKeysSecret: String?
    public var paused: Bool

    /// The faults the validators tolerate: f = ⌊(n − 1) / 3⌋.
    public var faultsTolerated: Int { max(0, (replicas - 1) / 3) }
    /// The validators that must be ready for the chain to commit: 2f + 1.
    public var quorum: Int { 2 * faultsTolerated + 1 }

    /// Resolves `spec`.
    /// - Parameters:
    ///   - spec: The SubChain's spec (`nil` as if empty).
    ///   - defaultImage: The operator's `--node-image`.
    /// - Throws: ``SpecProblem`` naming the field when a value is unusable: a quantity that does not parse,
    ///   requests above limits, limits above the namespace's LimitRange maximum.
    public init(_ spec: SubChainSpec?, defaultImage: String) throws(SpecProblem) {
        let spec = spec ?? SubChainSpec()
        replicas = spec.replicas ?? Int(SubChainSchema.defaultReplicas)
        guard (1...31).contains(replicas) else { throw SpecProblem(field: "spec.replicas", message: "must be 1 to 31, not \(replicas)") }
        image = spec.image ?? defaultImage
        requests = CPUAndMemory(
            cpu: try Self.quantity(spec.resources?.requests?.cpu, SubChainSchema.defaultRequests.cpu, "spec.resources.requests.cpu"),
            memory: try Self.quantity(spec.resources?.requests?.memory, SubChainSchema.defaultRequests.memory, "spec.resources.requests.memory")
        )
        limits = CPUAndMemory(
            cpu: try Self.quantity(spec.resources?.limits?.cpu, SubChainSchema.defaultLimits.cpu, "spec.resources.limits.cpu"),
            memory: try Self.quantity(spec.resources?.limits?.memory, SubChainSchema.defaultLimits.memory, "spec.resources.limits.memory")
        )
        for (name, request, limit, maximum) in [
            ("cpu", requests.cpu, limits.cpu, NamespaceLimits.maximum.cpu), ("memory", requests.memory, limits.memory, NamespaceLimits.maximum.memory),
        ] {
            guard request <= limit else {
                throw SpecProblem(field: "spec.resources.requests.\(name)", message: "\(request) is above the limit \(limit)")
            }
            guard limit <= maximum else {
                throw SpecProblem(
                    field: "spec.resources.limits.\(name)", message: "\(limit) is above \(maximum), the most the sub-chain namespace's LimitRange allows a container")
            }
            guard request.nanoUnits > 0 else { throw SpecProblem(field: "spec.resources.requests.\(name)", message: "must be above zero") }
        }
        p2pPort = Int32(spec.ports?.p2p ?? Int(SubChainSchema.defaultP2PPort))
        apiPort = Int32(spec.ports?.api ?? Int(SubChainSchema.defaultAPIPort))
        guard p2pPort != apiPort else { throw SpecProblem(field: "spec.ports.api", message: "must differ from spec.ports.p2p (\(p2pPort))") }
        if let storage = spec.storage {
            let size = try Self.quantity(storage.size, nil, "spec.storage.size")
            guard size.nanoUnits > 0 else { throw SpecProblem(field: "spec.storage.size", message: "must be above zero") }
            self.storage = StorageRequest(size: size, storageClassName: storage.storageClassName)
        } else {
            storage = nil
        }
        batchSize = spec.consensus?.batchSize ?? 1000
        maxBatchWaitMilliseconds = spec.consensus?.maxBatchWaitMilliseconds ?? 0
        viewChangeTimeoutMilliseconds = spec.consensus?.viewChangeTimeoutMilliseconds ?? 1000
        checkpointInterval = spec.consensus?.checkpointInterval ?? 16
        apiKeysSecret = spec.apiKeysSecret
        paused = spec.paused ?? false
    }

    private static func quantity(_ text: String?, _ fallback: String?, _ field: String) throws(SpecProblem) -> Quantity {
        guard let text = text ?? fallback else { throw SpecProblem(field: field, message: "is required") }
        do {
            return try Quantity(parsing: text)
        } catch {
            throw SpecProblem(field: field, message: "\"\(text)\" is not a quantity (such as 500m or 1Gi)")
        }
    }
}

/// A spec value the operator cannot provision from, found after the API server accepted it.
public struct SpecProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field path (`spec.resources.limits.cpu`).
    public var field: String
    public var message: String

    public var description: String { "\(field): \(message)" }
}

/// The container defaults and caps of every sub-chain namespace's LimitRange (the seed's quotas).
public enum NamespaceLimits {
    public static let defaultRequest = CPUAndMemory(cpu: "500m", memory: "512Mi")
    public static let defaultLimit = CPUAndMemory(cpu: "1", memory: "1Gi")
    public static let maximum = CPUAndMemory(cpu: "1", memory: "1Gi")
}

/// A CPU and a memory quantity.
public struct CPUAndMemory: Sendable, Hashable {
    public var cpu: Quantity
    public var memory: Quantity

    public init(cpu: Quantity, memory: Quantity) {
        self.cpu = cpu
        self.memory = memory
    }

    /// `requests.cpu`-style entries of a ResourceQuota, or `cpu`/`memory` of a container, under `prefix`.
    public func entries(prefix: String = "") -> [String: Quantity] {
        ["\(prefix)cpu": cpu, "\(prefix)memory": memory]
    }

    /// Each quantity times `factor`.
    public func times(_ factor: Int) -> CPUAndMemory {
        CPUAndMemory(cpu: Quantity(nanoUnits: cpu.nanoUnits * Int128(factor), format: cpu.format), memory: Quantity(nanoUnits: memory.nanoUnits * Int128(factor), format: memory.format))
    }
}

/// A validator's ledger claim.
public struct StorageRequest: Sendable, Hashable {
    public var size: Quantity
    public var storageClassName: String?
}
