import Consensus
import Ledger

/// What the HTTP API needs from a node: submitting events, waiting for their commit, the node's state and
/// read access to the ledger.
///
/// The API depends on this protocol rather than on ``ReplicaDriver``, ``BlockStore`` and ``PeerTransport``
/// directly, so that a node (or a test) can put any of them behind it; ``ReplicaNodeBackend`` is the
/// production conformance over the three.
public protocol NodeBackend: Sendable {
    /// The number of validators in the genesis set: readiness derives its quorum from it.
    var validatorCount: Int { get }

    /// Hands events to the local replica, which forwards them to the primary itself.
    /// - Returns: which events it holds and which it refused as overload.
    func submit(_ events: [Event]) async -> SubmitOutcome

    /// Waits until each event is committed, or `timeout` passes.
    /// - Returns: the height each event committed at, or `nil` for those not committed in time.
    func waitForCommit(_ ids: [SHA256Hash], timeout: Duration) async -> [SHA256Hash: UInt64?]

    /// The replica's state.
    func replicaStatus() async -> ReplicaStatus

    /// The peer links' state.
    func peerStatus() -> PeerTransportStatus

    /// The block at `height`, or `nil` above the head (and for 0, genesis).
    /// - Throws: ``LedgerError`` when the block cannot be read.
    func block(atHeight height: UInt64) throws -> CommittedBlock?

    /// The head block, or `nil` when only genesis exists.
    /// - Throws: ``LedgerError`` when the block cannot be read.
    func latestBlock() throws -> CommittedBlock?

    /// Up to `limit` blocks from `height`, in order.
    /// - Throws: ``LedgerError`` when a block cannot be read.
    func blocks(from height: UInt64, limit: Int) throws -> [CommittedBlock]

    /// An event the node's replica holds but has not committed (waiting to be proposed, or being ordered),
    /// wherever it was submitted; `nil` otherwise.
    func pendingEvent(withID id: SHA256Hash) async -> Event?

    /// A committed event with its place in the chain, or `nil` if it has not committed.
    /// - Throws: ``LedgerError`` when the index cannot be read.
    func committedEvent(withID id: SHA256Hash) throws -> StoredEvent?
}
