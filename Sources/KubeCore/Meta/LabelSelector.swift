/// A label selector as it appears inside objects (`meta/v1 LabelSelector`): Deployment
/// `spec.selector`, NetworkPolicy `podSelector`, PodDisruptionBudget `selector`.
///
/// To build the `labelSelector` query parameter of a list or watch, use ``LabelQuery``
/// (`LabelQuery(selector)` converts this type).
public struct LabelSelector: Codable, Hashable, Sendable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }
}

/// One set-based requirement of a ``LabelSelector``.
public struct LabelSelectorRequirement: Codable, Hashable, Sendable {
    public var key: String?
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    public var `operator`: String?
    public var values: [String]?

    public init(key: String? = nil, operator: String? = nil, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}
