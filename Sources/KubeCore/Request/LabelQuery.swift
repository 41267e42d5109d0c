/// Builds the `labelSelector` query parameter from equality- and set-based terms.
///
/// ```swift
/// let query = LabelQuery([.equals("app", "subchain-node"), .in("tier", ["a", "b"]), .exists("managed")])
/// query.description // "app=subchain-node,tier in (a,b),managed"
/// ListOptions(labelSelector: query.description)
/// ```
///
/// Terms are ANDed, in the order given; values of set-based terms are sorted and de-duplicated, as
/// Kubernetes prints them. Keys and values are not validated here; the API server rejects malformed
/// ones with a 400 naming the selector.
public struct LabelQuery: Hashable, Sendable, CustomStringConvertible {
    /// One requirement on a label.
    public enum Term: Hashable, Sendable {
        /// `key=value`
        case equals(String, String)
        /// `key!=value` (also matches objects without the label)
        case notEquals(String, String)
        /// `key in (v1,v2)`; needs at least one value.
        case `in`(String, [String])
        /// `key notin (v1,v2)` (also matches objects without the label); needs at least one value.
        case notIn(String, [String])
        /// `key`: the label is present with any value.
        case exists(String)
        /// `!key`: the label is absent.
        case doesNotExist(String)

        var rendered: String {
            switch self {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .in(let key, let values): "\(key) in (\(Set(values).sorted().joined(separator: ",")))"
            case .notIn(let key, let values): "\(key) notin (\(Set(values).sorted().joined(separator: ",")))"
            case .exists(let key): key
            case .doesNotExist(let key): "!\(key)"
            }
        }
    }

    /// The terms, all of which must hold.
    public var terms: [Term]

    public init(_ terms: [Term] = []) {
        self.terms = terms
    }

    /// Equality terms for each label, sorted by key so the query string is stable.
    ///
    /// - Parameter labels: Labels that must all match exactly.
    public init(matchLabels labels: [String: String]) {
        self.terms = labels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) }
    }

    /// The query equivalent of an object's ``LabelSelector``: `matchLabels` (sorted by key) then
    /// `matchExpressions` in order.
    ///
    /// - Parameter selector: A selector such as a Deployment's `spec.selector`.
    /// - Throws: ``KubeCoreError`` with code `invalidOptions` for an expression with no key, an
    ///   unknown operator, or `In`/`NotIn` without values.
    public init(_ selector: LabelSelector) throws(KubeCoreError) {
        self.init(matchLabels: selector.matchLabels ?? [:])
        for expression in selector.matchExpressions ?? [] {
            guard let key = expression.key, !key.isEmpty else {
                throw .invalidOptions("label selector expression has no key")
            }
            let values = expression.values ?? []
            switch expression.operator {
            case "In", "NotIn":
                guard !values.isEmpty else {
                    throw .invalidOptions("label selector expression \(expression.operator ?? "") on \"\(key)\" needs at least one value")
                }
                terms.append(expression.operator == "In" ? .in(key, values) : .notIn(key, values))
            case "Exists": terms.append(.exists(key))
            case "DoesNotExist": terms.append(.doesNotExist(key))
            default:
                throw .invalidOptions(
                    "label selector operator \"\(expression.operator ?? "")\" on \"\(key)\" is not one of In, NotIn, Exists, DoesNotExist")
            }
        }
    }

    /// Whether the query has no terms (and so matches everything).
    public var isEmpty: Bool { terms.isEmpty }

    /// Returns the query with one more term.
    public func and(_ term: Term) -> LabelQuery {
        LabelQuery(terms + [term])
    }

    /// The selector string, such as `a=b,c!=d,app in (a,b)`; unencoded (``KubeRequest/target`` encodes).
    public var description: String {
        terms.map(\.rendered).joined(separator: ",")
    }
}
