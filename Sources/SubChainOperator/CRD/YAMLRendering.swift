import KubeCore
import Yams

/// JSON as YAML for the manifests the operator prints: keys sorted (so the output is stable and diffs
/// well), strings quoted wherever YAML would read them as something else. Yams does the emitting; this
/// only builds its node tree, because Yams' own `dump` of `Any` neither sorts nested keys nor keeps
/// 64-bit integers apart from floating-point numbers.
enum YAMLRendering {
    static func render(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value), width: -1, allowUnicode: true, sortKeys: true)
    }

    /// Whether a plain scalar would read as something other than this string: to Yams' resolver, or to
    /// YAML 1.1 readers such as kubectl's, which also take `yes`, `no`, `on`, `off`, `y` and `n` for booleans.
    private static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        if Resolver.default.resolveTag(of: Node(text)) != .str { return true }
        return yaml11Booleans.contains(text.lowercased())
    }

    private static let yaml11Booleans: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false"]

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .integer(let number): return Node(String(number), Tag(.int))
        case .double(let number): return Node(String(number), Tag(.float))
        case .string(let text): return Node(text, Tag(.str), needsQuotes(text) ? .doubleQuoted : .any)
        case .array(let elements): return Node(elements.map(node))
        case .object(let members):
            return Node(members.keys.sorted().map { (Node($0, Tag(.str)), node(members[$0] ?? .null)) })
        }
    }
}
