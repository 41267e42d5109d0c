/// A namespace's aggregate resource limits (`core/v1 ResourceQuota`).
public struct ResourceQuota: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "ResourceQuota"
    public static let plural = "resourcequotas"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: ResourceQuotaSpec?
    public var status: ResourceQuotaStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: ResourceQuotaSpec? = nil,
        status: ResourceQuotaStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The hard limits, keyed by names such as `requests.cpu`, `limits.memory`, `pods`.
public struct ResourceQuotaSpec: Codable, Hashable, Sendable {
    public var hard: [String: Quantity]?
    public var scopes: [String]?

    public init(
        hard: [String: Quantity]? = nil,
        scopes: [String]? = nil
    ) {
        self.hard = hard
        self.scopes = scopes
    }
}

/// The enforced limits and the current usage.
public struct ResourceQuotaStatus: Codable, Hashable, Sendable {
    public var hard: [String: Quantity]?
    public var used: [String: Quantity]?

    public init(
        hard: [String: Quantity]? = nil,
        used: [String: Quantity]? = nil
    ) {
        self.hard = hard
        self.used = used
    }
}
