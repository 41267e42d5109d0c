/// Per-object defaults and bounds within a namespace (`core/v1 LimitRange`).
public struct LimitRange: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "LimitRange"
    public static let plural = "limitranges"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: LimitRangeSpec?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: LimitRangeSpec? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// The limits, one item per object type.
public struct LimitRangeSpec: Codable, Hashable, Sendable {
    public var limits: [LimitRangeItem]?

    public init(
        limits: [LimitRangeItem]? = nil
    ) {
        self.limits = limits
    }
}

/// Bounds and defaults for one object type.
public struct LimitRangeItem: Codable, Hashable, Sendable {
    /// `Container`, `Pod` or `PersistentVolumeClaim`.
    public var type: String?
    public var max: [String: Quantity]?
    public var min: [String: Quantity]?
    /// Default limits for containers that set none.
    public var `default`: [String: Quantity]?
    /// Default requests for containers that set none.
    public var defaultRequest: [String: Quantity]?
    public var maxLimitRequestRatio: [String: Quantity]?

    public init(
        type: String? = nil,
        max: [String: Quantity]? = nil,
        min: [String: Quantity]? = nil,
        default: [String: Quantity]? = nil,
        defaultRequest: [String: Quantity]? = nil,
        maxLimitRequestRatio: [String: Quantity]? = nil
    ) {
        self.type = type
        self.max = max
        self.min = min
        self.default = `default`
        self.defaultRequest = defaultRequest
        self.maxLimitRequestRatio = maxLimitRequestRatio
    }
}
