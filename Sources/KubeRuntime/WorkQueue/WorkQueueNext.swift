/// What a worker does next, as ``WorkQueueState/next(now:)`` decides.
public enum WorkQueueNext<Key: Hashable & Sendable>: Sendable, Hashable {
    /// Reconcile `key` in a free worker slot, then report it with ``WorkQueueState/complete(_:with:now:)``
    /// or ``WorkQueueState/done(_:now:)``. `queuedFor` is how long it waited since it was added (the
    /// queue-latency metric).
    case process(Key, queuedFor: Duration)
    /// Nothing can be handed out now. Ask again at `until` (a delayed key becomes ready then), or when
    /// an input arrives; `nil` means only an input (an add, or a `done` freeing a slot) can change that.
    case wait(until: Duration?)
    /// Shut down, with keys still being reconciled: wait for their `done`.
    case draining
    /// Shut down and no key is being reconciled: the workers can stop.
    case drained
}
