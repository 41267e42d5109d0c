/// A list response (`PodList`, `DeploymentList`, …) for any item type.
///
/// The API server omits `apiVersion` and `kind` on list items; when `Item` is a ``KubeResource``
/// they are filled in from the type on decoding, and each item keeps its ``UnmodelledFields``, so
/// items look the same as objects fetched one by one.
public struct ObjectList<Item: Codable & Sendable>: Codable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [Item] = []) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // An empty list may arrive as `"items": null`.
        let decoded = try container.decodeIfPresent([PreservingDecoding<Item>].self, forKey: .items) ?? []
        items = decoded.map { Self.withTypeMeta($0.value) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(items, forKey: .items)
    }

    private static func withTypeMeta(_ item: Item) -> Item {
        guard var resource = item as? any KubeResource else { return item }
        resource.fillTypeMeta()
        return resource as? Item ?? item
    }
}

extension ObjectList: Equatable where Item: Equatable {}
extension ObjectList: Hashable where Item: Hashable {}
