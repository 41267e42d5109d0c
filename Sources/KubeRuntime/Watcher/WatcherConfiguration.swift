import KubeCore

/// What a watcher lists and watches, and how: selectors, page size, the server-side watch timeout,
/// bookmarks and the backoff. The state machine builds every request's options from it; the shell reads
/// ``namespace`` and ``idleTimeout`` when it performs them.
public struct WatcherConfiguration: Sendable, Hashable {
    /// Which version of the collection the first page of a list may return.
    public enum ListSemantic: Sendable, Hashable {
        /// A consistent read of the latest state (no `resourceVersion`): a relist never goes back in
        /// time, and the server honours the page size.
        case mostRecent
        /// Any version the API server has cached (`resourceVersion=0`), as client-go and kube-rs
        /// default to: cheaper for etcd on large collections, but possibly older than what the
        /// watcher already saw, and older servers ignore the page size.
        case any
    }

    /// The namespace to watch; `nil` for all namespaces or a cluster-scoped kind.
    public var namespace: String?
    /// A label selector (`LabelQuery(...).description`), applied to lists and watches alike.
    public var labelSelector: String?
    /// A field selector such as `metadata.name=demo`, applied to lists and watches alike.
    public var fieldSelector: String?
    /// Objects per list page (`limit`); `nil` lists everything in one response.
    public var pageSize: Int?
    /// Asks the server to end each watch cleanly after this many seconds (`timeoutSeconds`), after which
    /// the watcher resumes from the last resource version. kube-rs uses 290 s, just under the 295 s idle
    /// limit of common load balancers; client-go draws 5–10 minutes.
    public var timeoutSeconds: Int?
    /// Asks for `BOOKMARK` events (`allowWatchBookmarks`), so that a quiet watch still advances its
    /// resource version and a resumed watch rarely finds it compacted.
    public var allowBookmarks: Bool
    /// Which version the first page of each list reads.
    public var listSemantic: ListSemantic
    /// Overrides the client's watch idle timeout; `nil` keeps the client's.
    public var idleTimeout: Duration?
    /// A watch that ends cleanly sooner than this after it started, without delivering any event, counts
    /// as a failure and backs off (client-go's reflector uses one second), so that a server closing every
    /// watch at once cannot drive a hot loop.
    public var shortWatchThreshold: Duration
    /// The delays between failed attempts; its ``ExponentialBackoff/resetAfter`` is also how long a watch
    /// must stay up to count as healthy.
    public var backoff: ExponentialBackoff

    /// A configuration; the defaults are kube-rs' (pages of 500, 290 s watches, bookmarks on) with
    /// client-go's backoff.
    public init(
        namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int? = 500,
        timeoutSeconds: Int? = 290, allowBookmarks: Bool = true, listSemantic: ListSemantic = .mostRecent,
        idleTimeout: Duration? = nil, shortWatchThreshold: Duration = .seconds(1),
        backoff: ExponentialBackoff = ExponentialBackoff()
    ) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.pageSize = pageSize
        self.timeoutSeconds = timeoutSeconds
        self.allowBookmarks = allowBookmarks
        self.listSemantic = listSemantic
        self.idleTimeout = idleTimeout
        self.shortWatchThreshold = shortWatchThreshold
        self.backoff = backoff
    }

    /// The options of a list's first page.
    public func firstPageOptions() -> ListOptions {
        ListOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector,
            resourceVersion: listSemantic == .any ? "0" : nil, limit: pageSize)
    }

    /// The options of a list's following page: the token pins the version, so none is given.
    ///
    /// - Parameter token: The previous page's `metadata.continue`.
    public func nextPageOptions(continue token: String) -> ListOptions {
        ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: pageSize, continue: token)
    }

    /// The options of a watch that streams the changes after `resourceVersion`.
    ///
    /// - Parameter resourceVersion: The list's version, or the last one an event or bookmark carried.
    public func watchOptions(from resourceVersion: String) -> WatchOptions {
        WatchOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds, allowWatchBookmarks: allowBookmarks ? true : nil)
    }
}
