import KubeCore

/// One step of a path into an object, as server-side apply names fields: a member of a map, an element
/// of an associative list (by its key fields), an element of a set (by its value), or an element of an
/// atomic list (by its index, which only `Update` operations of older clients ever record).
///
/// The `fieldsV1` encoding is the one kube-apiserver writes in `metadata.managedFields`: `f:name`,
/// `k:{"name":"x"}`, `v:"value"`, `i:0`.
enum PathElement: Hashable, Sendable, Comparable {
    case field(String)
    /// The key fields of an associative list element, sorted by name.
    case key([KeyField])
    case value(JSONValue)
    case index(Int)

    /// One key field of an associative list element.
    struct KeyField: Hashable, Sendable {
        var name: String
        var value: JSONValue
    }

    /// An element key from its fields in any order.
    static func key(_ fields: [(String, JSONValue)]) -> PathElement {
        .key(fields.map { KeyField(name: $0.0, value: $0.1) }.sorted { $0.name < $1.name })
    }

    /// The key in `fieldsV1`.
    var fieldsV1Key: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let fields):
            return "k:{" + fields.map { Self.canonicalJSON(.string($0.name)) + ":" + Self.canonicalJSON($0.value) }.joined(separator: ",") + "}"
        case .value(let value): return "v:" + Self.canonicalJSON(value)
        case .index(let index): return "i:" + String(index)
        }
    }

    /// Reads a `fieldsV1` key; `nil` when it is not one.
    init?(fieldsV1Key text: String) {
        guard text.count >= 2, text.dropFirst().first == ":" else { return nil }
        let body = String(text.dropFirst(2))
        switch text.first {
        case "f": self = .field(body)
        case "i":
            guard let index = Int(body), index >= 0 else { return nil }
            self = .index(index)
        case "v":
            guard let value = try? JSONBody.parse(Array(body.utf8)) else { return nil }
            self = .value(value)
        case "k":
            guard case .object(let members)? = try? JSONBody.parse(Array(body.utf8)), !members.isEmpty else { return nil }
            self = .key(members.map { ($0.key, $0.value) })
        default: return nil
        }
    }

    /// The element as conflict messages print it: `.name`, `[name="x"]`, `[="v"]`, `[0]`.
    var pathDescription: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let fields): return "[" + fields.map { $0.name + "=" + Self.canonicalJSON($0.value) }.joined(separator: ",") + "]"
        case .value(let value): return "[=" + Self.canonicalJSON(value) + "]"
        case .index(let index): return "[\(index)]"
        }
    }

    /// Fields before keys before values before indexes, then by content: the order managed fields are
    /// written in, so the same set always serializes the same way.
    static func < (lhs: PathElement, rhs: PathElement) -> Bool {
        switch (lhs, rhs) {
        case (.field(let a), .field(let b)): return a < b
        case (.index(let a), .index(let b)): return a < b
        default:
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            return lhs.fieldsV1Key < rhs.fieldsV1Key
        }
    }

    private var rank: Int {
        switch self {
        case .field: return 0
        case .key: return 1
        case .value: return 2
        case .index: return 3
        }
    }

    /// Compact JSON with object members sorted, so that equal keys always print the same.
    static func canonicalJSON(_ value: JSONValue) -> String {
        String(decoding: JSONBody.serialize(value, sortingKeys: true), as: UTF8.self)
    }
}

/// A path from the object root, as conflict messages print it (`.spec.containers[name="app"].image`).
typealias FieldPathElements = [PathElement]

extension Array where Element == PathElement {
    var pathDescription: String { map(\.pathDescription).joined() }
}
