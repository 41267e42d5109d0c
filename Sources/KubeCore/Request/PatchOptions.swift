/// Query parameters of a patch request.
public struct PatchOptions: Hashable, Sendable {
    /// Validate and admit the request without persisting it (`dryRun=All`).
    public var dryRun: Bool
    /// The field manager; required for server-side apply.
    public var fieldManager: String?
    /// Server-side apply only: take ownership of fields other managers own instead of failing with
    /// a 409 conflict. A controller applying its own desired state normally sets this.
    public var force: Bool

    public init(dryRun: Bool = false, fieldManager: String? = nil, force: Bool = false) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.force = force
    }

    /// Query items in the order `dryRun`, `fieldManager`, `force`.
    func queryItems(for patch: Patch) throws(KubeCoreError) -> [KubeRequest.QueryItem] {
        if case .apply = patch {
            guard let fieldManager, !fieldManager.isEmpty else {
                throw .invalidOptions(
                    "server-side apply requires PatchOptions.fieldManager, such as \"subchain-operator\"")
            }
        } else if force {
            throw .invalidOptions(
                "PatchOptions.force is only valid for server-side apply; the API server rejects it for a "
                    + "\(patch.contentType) patch")
        }
        var items: [KubeRequest.QueryItem] = []
        if dryRun { items.append(.init(name: "dryRun", value: "All")) }
        if let fieldManager { items.append(.init(name: "fieldManager", value: fieldManager)) }
        if force { items.append(.init(name: "force", value: "true")) }
        return items
    }
}
