import Foundation

/// Sensitive data (`core/v1 Secret`).
/// `data` values are raw bytes, base64-encoded in JSON by `JSONEncoder`'s default data strategy, which
/// is the encoding the API server uses.
public struct Secret: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Secret"
    public static let plural = "secrets"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    /// `Opaque` unless another type is needed.
    public var type: String?
    public var data: [String: Data]?
    /// Write-only convenience: merged into `data` by the server, never returned.
    public var stringData: [String: String]?
    public var immutable: Bool?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        type: String? = nil,
        data: [String: Data]? = nil,
        stringData: [String: String]? = nil,
        immutable: Bool? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.type = type
        self.data = data
        self.stringData = stringData
        self.immutable = immutable
    }
}
