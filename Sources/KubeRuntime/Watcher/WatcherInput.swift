import KubeCore

/// What happened, as the shell reports it to ``WatcherStateMachine/handle(_:at:random:)``: the outcome of
/// the last action it performed.
public enum WatcherInput<Object: KubeResource>: Sendable {
    /// Begin: the machine answers with the first list page request.
    case start
    /// A list page arrived: its items, `metadata.continue` and `metadata.resourceVersion`.
    case listPage(items: [Object], continueToken: String?, resourceVersion: String?)
    /// A list request failed.
    case listFailed(WatcherFailure)
    /// The server accepted the watch; its events follow.
    case watchStarted
    /// The watch delivered an event.
    case watchEvent(WatchEvent<Object>)
    /// The watch stream ended cleanly (the server's `timeoutSeconds`, or the server closed it).
    case watchEnded
    /// The watch could not start, or its stream broke (including KubeClient's thrown `ERROR` events).
    case watchFailed(WatcherFailure)
    /// The delay of the last ``WatcherAction/waitBackoff(_:)`` has passed.
    case backoffElapsed

    /// A list page as ``KubeClient`` returns it.
    public static func listPage(_ page: ObjectList<Object>) -> WatcherInput {
        .listPage(items: page.items, continueToken: page.metadata.continue, resourceVersion: page.metadata.resourceVersion)
    }
}

extension WatcherInput: Equatable where Object: Equatable {}
