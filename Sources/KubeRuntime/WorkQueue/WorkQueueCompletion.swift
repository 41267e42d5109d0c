/// How a reconcile of a key ended, as controller-runtime's reconcile handler sorts a `Reconcile`'s
/// `(Result, error)` (`pkg/internal/controller/controller.go`); ``WorkQueueState/complete(_:with:now:)``
/// turns it into the queue operations controller-runtime performs.
public enum WorkQueueCompletion: Sendable, Hashable {
    /// Done until something changes: the key's failures are forgotten (controller-runtime's empty
    /// `Result`).
    case success
    /// Run again after the key's backoff, without forgetting its failures (`Result{Requeue: true}`).
    case requeue
    /// Run again after this delay, with the failures forgotten (`Result{RequeueAfter: d}`); a delay that
    /// is not positive is a ``success``, as controller-runtime only acts on a positive `RequeueAfter`.
    case requeueAfter(Duration)
    /// The reconcile failed and is retried after the key's backoff (a non-nil error).
    case failure
    /// The reconcile failed and retrying cannot help (controller-runtime's `TerminalError`): not
    /// requeued, and the failures are kept, as controller-runtime neither requeues nor forgets.
    case terminalFailure
}
