/// Query parameters of a create (POST) or replace (PUT) request.
public struct CreateOptions: Hashable, Sendable {
    /// Validate and admit the request without persisting it (`dryRun=All`).
    public var dryRun: Bool
    /// The name recorded in `managedFields` as the owner of the written fields.
    public var fieldManager: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }

    /// Query items in the order `dryRun`, `fieldManager`.
    func queryItems() -> [KubeRequest.QueryItem] {
        var items: [KubeRequest.QueryItem] = []
        if dryRun { items.append(.init(name: "dryRun", value: "All")) }
        if let fieldManager { items.append(.init(name: "fieldManager", value: fieldManager)) }
        return items
    }
}
