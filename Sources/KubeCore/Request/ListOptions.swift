/// Query parameters of a list request.
///
/// With `resourceVersion` unset, the list is a consistent read from etcd. `resourceVersion: "0"`
/// allows any cached version, which is cheaper but may be stale.
public struct ListOptions: Hashable, Sendable {
    /// A label selector, such as `LabelQuery.equals("app", "node").description`.
    public var labelSelector: String?
    /// A field selector, such as `metadata.name=demo` or `status.phase=Running`.
    public var fieldSelector: String?
    public var resourceVersion: String?
    /// Requires `resourceVersion`; not allowed with `continue`, and `.exact` not with `"0"`.
    public var resourceVersionMatch: ResourceVersionMatch?
    /// The page size; continue with the returned `metadata.continue`.
    public var limit: Int?
    /// The `metadata.continue` token of the previous page; leave `resourceVersion` and
    /// `resourceVersionMatch` unset on the following pages, as the server requires.
    public var `continue`: String?
    public var timeoutSeconds: Int?

    public init(
        labelSelector: String? = nil,
        fieldSelector: String? = nil,
        resourceVersion: String? = nil,
        resourceVersionMatch: ResourceVersionMatch? = nil,
        limit: Int? = nil,
        continue: String? = nil,
        timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continue = `continue`
        self.timeoutSeconds = timeoutSeconds
    }

    /// Query items in the order `labelSelector`, `fieldSelector`, `resourceVersion`,
    /// `resourceVersionMatch`, `limit`, `continue`, `timeoutSeconds`.
    func queryItems() throws(KubeCoreError) -> [KubeRequest.QueryItem] {
        // The API server's own ListOptions validation, caught before a round trip turns it into a 422.
        if let resourceVersionMatch {
            guard let resourceVersion else {
                throw .invalidOptions(
                    "ListOptions.resourceVersionMatch requires resourceVersion: the API server rejects it alone; "
                        + "set resourceVersion (\"0\" for any cached version) or drop resourceVersionMatch")
            }
            if `continue` != nil {
                throw .invalidOptions(
                    "ListOptions.resourceVersionMatch is forbidden with continue: later pages are always read at "
                        + "the first page's version, so drop resourceVersionMatch when paging")
            }
            if resourceVersionMatch == .exact, resourceVersion == "0" {
                throw .invalidOptions(
                    "ListOptions.resourceVersionMatch .exact is forbidden for resourceVersion \"0\"; "
                        + "use .notOlderThan to accept any cached version")
            }
        }
        if `continue` != nil, let resourceVersion, resourceVersion != "0" {
            throw .invalidOptions(
                "ListOptions.continue cannot be combined with resourceVersion \"\(resourceVersion)\": the token "
                    + "already pins the version; clear resourceVersion for the following pages")
        }
        if let limit, limit <= 0 {
            throw .invalidOptions("ListOptions.limit must be positive, got \(limit); leave it unset for no paging")
        }
        var items: [KubeRequest.QueryItem] = []
        if let labelSelector { items.append(.init(name: "labelSelector", value: labelSelector)) }
        if let fieldSelector { items.append(.init(name: "fieldSelector", value: fieldSelector)) }
        if let resourceVersion { items.append(.init(name: "resourceVersion", value: resourceVersion)) }
        if let resourceVersionMatch { items.append(.init(name: "resourceVersionMatch", value: resourceVersionMatch.rawValue)) }
        if let limit { items.append(.init(name: "limit", value: String(limit))) }
        if let `continue` { items.append(.init(name: "continue", value: `continue`)) }
        if let timeoutSeconds { items.append(.init(name: "timeoutSeconds", value: String(timeoutSeconds))) }
        return items
    }
}
