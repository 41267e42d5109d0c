import Foundation

/// Non-sensitive configuration (`core/v1 ConfigMap`), such as a sub-chain's genesis document.
public struct ConfigMap: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "ConfigMap"
    public static let plural = "configmaps"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var data: [String: String]?
    public var binaryData: [String: Data]?
    public var immutable: Bool?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        data: [String: String]? = nil,
        binaryData: [String: Data]? = nil,
        immutable: Bool? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.data = data
        self.binaryData = binaryData
        self.immutable = immutable
    }
}
