import KubeCore

/// What the shell tells a ``LeaderElectionState``: that time passed, what became of the request the
/// machine asked for, or that the process is stopping.
///
/// Each request action (``LeaderElectionAction/get``, ``LeaderElectionAction/create(_:)``,
/// ``LeaderElectionAction/update(_:)``) is answered by exactly one result event; the shell bounds each
/// request with a timeout (client-go uses the renew deadline) and reports a timeout as a failure.
public enum LeaderElectionEvent: Sendable, Hashable {
    /// Time passed: the first tick starts the election, later ones arrive at ``LeaderElectionAction/waitUntil(_:)``.
    /// Ticks that come early or twice are harmless.
    case tick
    /// The GET answered with the Lease.
    case observed(Lease)
    /// The GET answered 404: there is no Lease yet (or someone deleted it).
    case notFound
    /// The GET failed otherwise (timeout, 5xx, 429, connection lost).
    case readFailed
    /// The create or update was accepted; the Lease is the server's answer, with its new `resourceVersion`.
    case writeSucceeded(Lease)
    /// The create or update answered 409: someone else created or changed the Lease first.
    case writeConflicted
    /// The create or update failed otherwise; it may or may not have been applied.
    case writeFailed
    /// The process is stopping: stop leading and give the Lease up so a successor need not wait it out.
    case shutdown
}
