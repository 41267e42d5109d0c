/// Where a watcher is, for logs, metrics and tests: the states of kube-rs' watcher (`Empty`, `InitPage`,
/// `InitListed`, `Watching`) plus the wait between a failure and the next attempt.
public enum WatcherPhase: Hashable, Sendable {
    /// Not started.
    case idle
    /// A list is in progress; this many pages have arrived and are buffered.
    case listing(pagesReceived: Int)
    /// A watch from this version was requested and has not been accepted yet.
    case startingWatch(resourceVersion: String)
    /// A watch is streaming; this is the last version seen (from the list, an event or a bookmark).
    case watching(resourceVersion: String)
    /// Waiting after a failure; then it lists afresh or resumes the watch.
    case backingOff(then: Resumption)

    /// What a watcher does once its backoff elapses.
    public enum Resumption: Hashable, Sendable {
        /// List from the first page, as after a list failure or an expired version.
        case freshList
        /// Watch from this version, as after a watch failure.
        case watch(resourceVersion: String)
    }
}
