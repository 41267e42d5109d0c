import KubeCore

/// What a ``LeaderElectionState`` asks its shell to do, in the order given.
///
/// ``stopLeading`` must have taken effect (reconcilers cancelled and finished) before the shell performs
/// the actions after it: the release that may follow lets a successor start at once.
public enum LeaderElectionAction: Sendable, Hashable {
    /// GET the Lease; answer with ``LeaderElectionEvent/observed(_:)``, ``LeaderElectionEvent/notFound`` or
    /// ``LeaderElectionEvent/readFailed``.
    case get
    /// POST this Lease; answer with a write result event (409 AlreadyExists is a conflict).
    case create(Lease)
    /// PUT this Lease; its `metadata.resourceVersion` is the precondition, so the server answers 409 when
    /// anyone wrote since. Answer with a write result event.
    case update(Lease)
    /// This process now leads: start reconciling.
    case startLeading
    /// This process no longer leads: stop reconciling at once.
    case stopLeading
    /// Send ``LeaderElectionEvent/tick`` once the monotonic time reaches this (same origin as `now`);
    /// replaces any earlier wait.
    case waitUntil(Duration)
    /// The election is over (after ``LeaderElectionEvent/shutdown``): the Lease was given up, or was not
    /// ours. The machine answers nothing from now on.
    case released
}
