import KubeCore

/// What a watcher tells the cache: one object changed or went away, or here is the whole current list.
///
/// The events kube-rs' watcher emitted before it split the initial list into pages (`Applied`, `Deleted`,
/// `Restarted`). A ``restarted(_:)`` always carries a complete list: the watcher buffers the pages of a
/// list and emits them together, so a cache that swaps its content for the list never shows a partial one.
public enum WatcherEvent<Object: KubeResource>: Sendable {
    /// The object was created or changed (a watch `ADDED` or `MODIFIED`).
    case applied(Object)
    /// The object was deleted; this is its state just before deletion.
    case deleted(Object)
    /// Every object that exists, after a (re)list: objects not in it no longer exist, including those
    /// whose deletion happened while the watcher was disconnected.
    case restarted([Object])
}

extension WatcherEvent: Equatable where Object: Equatable {}
