/// What drives a replica.
public enum ReplicaInput: Sendable {
    /// The replica has just been created or restored; it asks peers for blocks it may have missed.
    case start
    /// A frame from a peer. The transport does not vouch for who sent it: the replica checks signatures.
    case receive([UInt8])
    /// Events from clients of this node.
    case submit([Event])
    /// A timer the replica started has fired.
    case timerFired(ReplicaTimer)
}

/// The timers a replica runs. Each is either running or not; starting a running timer restarts it.
public enum ReplicaTimer: Hashable, Sendable, CaseIterable {
    /// The primary's wait for a batch to fill.
    case batch
    /// Pending work has made no progress for this long: ask for a new view.
    case progress
    /// A view change has not produced a new view in time: ask for the next one.
    case viewChange
    /// A state-transfer request went unanswered: ask another peer.
    case stateTransfer
}

/// What a replica asks its shell to do. The shell performs actions in order, and a ``persist(_:)`` must be
/// durable before any later ``send(_:to:)`` or ``broadcast(_:)`` leaves the node: that ordering is what
/// stops a restarted replica from voting twice.
public enum ReplicaAction: Sendable {
    /// Send a frame to one peer.
    case send([UInt8], to: ReplicaID)
    /// Send a frame to every other validator.
    case broadcast([UInt8])
    /// Make a record durable (see ``DurableState``).
    case persist(DurableRecord)
    /// Append a block to the ledger. Blocks come in height order with no gaps. The ledger must reflect
    /// it (``LedgerReader``) before the next input is handled.
    case commit(CommittedBlock)
    /// Start, or restart, a timer.
    case startTimer(ReplicaTimer, after: Duration)
    /// Stop a timer if it is running.
    case cancelTimer(ReplicaTimer)
    /// These submitted events were not accepted; the client may retry later.
    case rejectEvents([SHA256Hash], reason: EventRejection)
    /// The replica entered `view`, whose primary is `primary`.
    case enteredView(UInt64, primary: ReplicaID)
}

/// Why submitted events were refused.
public enum EventRejection: String, Sendable {
    /// The replica already holds as many pending events as it is configured to.
    case overloaded
}

/// The replica's read-only view of the committed ledger, which the shell owns.
///
/// The ledger holds every committed block with its certificate; the replica keeps only the recent log.
/// The replica reads the ledger to refuse events that already committed, and to answer state transfer.
public protocol LedgerReader {
    /// The height of the last committed block; 0 when only genesis exists.
    var height: UInt64 { get }
    /// The hash of the last committed block, or the genesis hash.
    var headHash: SHA256Hash { get }
    /// Whether an event with this id is in a committed block.
    func containsEvent(_ id: SHA256Hash) -> Bool
    /// The ids among `ids` that are in committed blocks.
    ///
    /// The replica asks about a request's or a block's events together; a store behind an index should
    /// answer them in one query rather than one round trip each. The default asks ``containsEvent(_:)``.
    func committedEvents(among ids: [SHA256Hash]) -> Set<SHA256Hash>
    /// Up to `limit` committed blocks starting at `height`, in order.
    func committedBlocks(from height: UInt64, limit: Int) -> [CommittedBlock]
}

extension LedgerReader {
    public func committedEvents(among ids: [SHA256Hash]) -> Set<SHA256Hash> {
        Set(ids.lazy.filter { containsEvent($0) })
    }
}
