/// Limits voluntary evictions of a set of pods (`policy/v1 PodDisruptionBudget`).
public struct PodDisruptionBudget: KubeResource, Hashable {
    public static let group = "policy"
    public static let version = "v1"
    public static let kind = "PodDisruptionBudget"
    public static let plural = "poddisruptionbudgets"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: PodDisruptionBudgetSpec?
    public var status: PodDisruptionBudgetStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodDisruptionBudgetSpec? = nil,
        status: PodDisruptionBudgetStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// At most one of `minAvailable` and `maxUnavailable` may be set.
public struct PodDisruptionBudgetSpec: Codable, Hashable, Sendable {
    public var minAvailable: IntOrString?
    /// A count (`1`) or a percentage (`"25%"`).
    public var maxUnavailable: IntOrString?
    public var selector: LabelSelector?
    /// `IfHealthyBudget` or `AlwaysAllow`.
    public var unhealthyPodEvictionPolicy: String?

    public init(
        minAvailable: IntOrString? = nil,
        maxUnavailable: IntOrString? = nil,
        selector: LabelSelector? = nil,
        unhealthyPodEvictionPolicy: String? = nil
    ) {
        self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable
        self.selector = selector
        self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
    }
}

/// The observed state of a disruption budget.
public struct PodDisruptionBudgetStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var disruptionsAllowed: Int32?
    public var currentHealthy: Int32?
    public var desiredHealthy: Int32?
    public var expectedPods: Int32?
    public var conditions: [Condition]?

    public init(
        observedGeneration: Int64? = nil,
        disruptionsAllowed: Int32? = nil,
        currentHealthy: Int32? = nil,
        desiredHealthy: Int32? = nil,
        expectedPods: Int32? = nil,
        conditions: [Condition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.disruptionsAllowed = disruptionsAllowed
        self.currentHealthy = currentHealthy
        self.desiredHealthy = desiredHealthy
        self.expectedPods = expectedPods
        self.conditions = conditions
    }
}
