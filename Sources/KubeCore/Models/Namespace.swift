/// A namespace (`core/v1 Namespace`); cluster-scoped. Each SubChain owns one.
public struct Namespace: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Namespace"
    public static let plural = "namespaces"
    public static let namespaced = false

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: NamespaceSpec?
    public var status: NamespaceStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: NamespaceSpec? = nil,
        status: NamespaceStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a namespace.
public struct NamespaceSpec: Codable, Hashable, Sendable {
    /// Finalizers the namespace controller must clear before the namespace is removed.
    public var finalizers: [String]?

    public init(
        finalizers: [String]? = nil
    ) {
        self.finalizers = finalizers
    }
}

/// The observed state of a namespace.
public struct NamespaceStatus: Codable, Hashable, Sendable {
    /// `Active`, or `Terminating` once deletion has started.
    public var phase: String?
    public var conditions: [NamespaceCondition]?

    public init(
        phase: String? = nil,
        conditions: [NamespaceCondition]? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
    }
}

/// A namespace condition, such as `NamespaceContentRemaining` during deletion.
public struct NamespaceCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(
        type: String? = nil,
        status: String? = nil,
        lastTransitionTime: KubeTime? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
