/// Metadata of a list response (`meta/v1 ListMeta`).
public struct ListMeta: Codable, Hashable, Sendable {
    /// The version to start a watch from so that no change after this list is missed.
    public var resourceVersion: String?
    /// Pass as `ListOptions.continue` to fetch the next page; absent on the last page.
    public var `continue`: String?
    /// An estimate of the items not yet returned; may be absent even when more pages follow.
    public var remainingItemCount: Int64?

    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}
