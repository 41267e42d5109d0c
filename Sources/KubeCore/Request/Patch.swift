import Foundation

/// A patch body together with the patch strategy that its content type selects.
public enum Patch: Hashable, Sendable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, `null` deletes,
    /// arrays are replaced whole.
    case merge(JSONValue)
    /// RFC 6902 JSON patch (`application/json-patch+json`): a list of operations.
    case json([JSONPatchOperation])
    /// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`); built-in kinds only.
    case strategicMerge(JSONValue)
    /// Server-side apply (`application/apply-patch+yaml`): the fully specified intent of one field
    /// manager, including `apiVersion`, `kind` and `metadata.name`. JSON is valid YAML, so the body
    /// is JSON. Needs ``PatchOptions/fieldManager``.
    case apply(JSONValue)

    /// The `Content-Type` that selects this strategy.
    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }

    func body() throws(KubeCoreError) -> Data {
        switch self {
        case .merge(let value), .strategicMerge(let value), .apply(let value):
            try KubeRequest.encodeBody(value)
        case .json(let operations):
            try KubeRequest.encodeBody(operations)
        }
    }
}

/// One RFC 6902 operation of a ``Patch/json(_:)`` patch.
public struct JSONPatchOperation: Codable, Hashable, Sendable {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    public var op: String
    /// A JSON pointer, such as `/metadata/finalizers/0`; `~1` escapes `/` and `~0` escapes `~`.
    public var path: String
    public var value: JSONValue?
    public var from: String?

    public init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    public static func add(_ path: String, _ value: JSONValue) -> Self { .init(op: "add", path: path, value: value) }
    public static func replace(_ path: String, _ value: JSONValue) -> Self { .init(op: "replace", path: path, value: value) }
    public static func remove(_ path: String) -> Self { .init(op: "remove", path: path) }
    /// Fails the whole patch unless the value at `path` equals `value`: an optimistic-concurrency guard,
    /// for example before removing a finalizer by index.
    public static func test(_ path: String, _ value: JSONValue) -> Self { .init(op: "test", path: path, value: value) }
    public static func move(from: String, to path: String) -> Self { .init(op: "move", path: path, from: from) }
    public static func copy(from: String, to path: String) -> Self { .init(op: "copy", path: path, from: from) }
}
