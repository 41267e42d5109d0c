/// A standard status condition (`meta/v1 Condition`), as PodDisruptionBudget and custom resources use.
public struct Condition: Codable, Hashable, Sendable {
    /// The condition type in CamelCase, such as `Ready` or `DisruptionAllowed`.
    public var type: String?
    /// `True`, `False` or `Unknown`.
    public var status: String?
    /// The `metadata.generation` the condition was computed from.
    public var observedGeneration: Int64?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(
        type: String? = nil,
        status: String? = nil,
        observedGeneration: Int64? = nil,
        lastTransitionTime: KubeTime? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
