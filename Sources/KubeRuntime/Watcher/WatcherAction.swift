import KubeCore

/// What the shell does next, in the order ``WatcherStateMachine/handle(_:at:random:)`` returns them.
///
/// ``list(_:)``, ``watch(_:)`` and ``waitBackoff(_:)`` each replace the request in flight: before
/// performing one, the shell stops reading the current watch stream, if any. The shell reports the
/// outcome of the request (or the end of the wait) as the next ``WatcherInput``.
public enum WatcherAction<Object: KubeResource>: Sendable {
    /// Request a list page with these options (selectors, `limit`, `continue`) in the configured namespace.
    case list(ListOptions)
    /// Start a watch with these options (`resourceVersion`, selectors, `timeoutSeconds`,
    /// `allowWatchBookmarks`) in the configured namespace, with the configured idle timeout.
    case watch(WatchOptions)
    /// Hand this event to the cache and the controller.
    case emit(WatcherEvent<Object>)
    /// Wait this long, then report ``WatcherInput/backoffElapsed``.
    case waitBackoff(Duration)
    /// Record a failed list or watch: log it and count a watch restart by ``WatcherFailure/reason``.
    case failed(WatcherFailure)
}

extension WatcherAction: Equatable where Object: Equatable {}
