/// Query parameters of a watch request (a list with `watch=true`).
///
/// Resume a watch from the `resourceVersion` of the last event or list seen. A watch from a version
/// the server has compacted ends with an `ERROR` event carrying a 410 ``Status``: relist then.
public struct WatchOptions: Hashable, Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Changes after this version are streamed; unset means "start at the most recent version" after
    /// synthetic `ADDED` events for every existing object.
    public var resourceVersion: String?
    /// Only allowed together with `sendInitialEvents`, and then it must be `.notOlderThan`.
    public var resourceVersionMatch: ResourceVersionMatch?
    /// How long the server keeps the watch open; it closes the stream cleanly afterwards.
    public var timeoutSeconds: Int?
    /// Ask for `BOOKMARK` events, which advance the resource version without a change so a
    /// restarted watch need not relist.
    public var allowWatchBookmarks: Bool?
    /// Streaming list: start with `ADDED` events for the current state, then a bookmark annotated
    /// `k8s.io/initial-events-end`. Requires `resourceVersionMatch: .notOlderThan` (an API server
    /// rule) and `allowWatchBookmarks: true` (a KubeCore rule: without bookmarks the end of the
    /// initial events is never signalled), and a server with the WatchList feature enabled; older
    /// servers answer 422 Invalid, and the caller should fall back to list-then-watch.
    public var sendInitialEvents: Bool?

    public init(
        labelSelector: String? = nil,
        fieldSelector: String? = nil,
        resourceVersion: String? = nil,
        resourceVersionMatch: ResourceVersionMatch? = nil,
        timeoutSeconds: Int? = nil,
        allowWatchBookmarks: Bool? = nil,
        sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
    }

    /// Query items in the order `watch`, `labelSelector`, `fieldSelector`, `resourceVersion`,
    /// `resourceVersionMatch`, `timeoutSeconds`, `allowWatchBookmarks`, `sendInitialEvents`.
    func queryItems() throws(KubeCoreError) -> [KubeRequest.QueryItem] {
        if let sendInitialEvents {
            guard resourceVersionMatch == .notOlderThan else {
                throw .invalidOptions(
                    "WatchOptions.sendInitialEvents requires resourceVersionMatch: .notOlderThan")
            }
            // The API server accepts this without bookmarks (for backward compatibility), but then the
            // end of the initial events is never signalled and a streaming list could not complete.
            if sendInitialEvents, allowWatchBookmarks != true {
                throw .invalidOptions(
                    "WatchOptions.sendInitialEvents: true requires allowWatchBookmarks: true, because the end "
                        + "of the initial events is signalled by a bookmark")
            }
        } else if resourceVersionMatch != nil {
            throw .invalidOptions(
                "WatchOptions.resourceVersionMatch is only allowed with sendInitialEvents; drop it for a plain watch")
        }
        var items: [KubeRequest.QueryItem] = [.init(name: "watch", value: "true")]
        if let labelSelector { items.append(.init(name: "labelSelector", value: labelSelector)) }
        if let fieldSelector { items.append(.init(name: "fieldSelector", value: fieldSelector)) }
        if let resourceVersion { items.append(.init(name: "resourceVersion", value: resourceVersion)) }
        if let resourceVersionMatch { items.append(.init(name: "resourceVersionMatch", value: resourceVersionMatch.rawValue)) }
        if let timeoutSeconds { items.append(.init(name: "timeoutSeconds", value: String(timeoutSeconds))) }
        if let allowWatchBookmarks { items.append(.init(name: "allowWatchBookmarks", value: String(allowWatchBookmarks))) }
        if let sendInitialEvents { items.append(.init(name: "sendInitialEvents", value: String(sendInitialEvents))) }
        return items
    }
}
