/// What a reconcile asks for once it has done its work.
public enum ReconcileAction: Sendable, Hashable {
    /// Nothing more until something changes (or the next resync).
    case done
    /// Reconcile again after this long, even if nothing changes (waiting on something outside the
    /// cluster, or polling a slow rollout).
    case requeue(after: Duration)
}
