/// Why a replica ignored something a peer sent. Every drop is counted by reason.
public enum DropReason: String, Sendable, CaseIterable {
    /// The frame did not decode.
    case malformed
    /// The frame names another chain.
    case wrongChain = "wrong_chain"
    /// The sender is not a validator (or claims to be this replica).
    case unknownSender = "unknown_sender"
    /// The signature is not the sender's.
    case badSignature = "bad_signature"
    /// The message is for a view this replica has left.
    case staleView = "stale_view"
    /// The sequence number is outside the watermark window.
    case outsideWindow = "outside_window"
    /// The block does not hash to the digest the message names.
    case digestMismatch = "digest_mismatch"
    /// The block breaks a rule: wrong height, too large, duplicate or already-committed events.
    case invalidBlock = "invalid_block"
    /// A second, different proposal for one view and sequence.
    case conflictingProposal = "conflicting_proposal"
    /// A message only the primary may send came from a backup, or the primary sent a backup's message.
    case wrongRole = "wrong_role"
    /// A certificate does not hold a valid quorum.
    case invalidCertificate = "invalid_certificate"
    /// A view change is malformed or carries invalid proofs.
    case invalidViewChange = "invalid_view_change"
    /// A new-view message does not match what its view changes imply.
    case invalidNewView = "invalid_new_view"
    /// A state-transfer answer carries a block without a valid certificate.
    case invalidStateResponse = "invalid_state_response"
    /// The message repeats one already received, or concerns a block already committed.
    case duplicate
    /// The per-peer buffer for messages of a later view is full.
    case bufferFull = "buffer_full"
}

/// Counters a replica keeps about itself, for metrics and tests.
public struct ReplicaCounters: Sendable {
    /// Dropped inputs, by reason.
    public internal(set) var drops: [DropReason: Int] = [:]
    /// Frames received and decoded, by kind name.
    public internal(set) var received: [String: Int] = [:]
    /// View changes this replica started.
    public internal(set) var viewChangesStarted = 0
    /// New views this replica installed.
    public internal(set) var viewsInstalled = 0
    /// Blocks committed, including those fetched by state transfer.
    public internal(set) var blocksCommitted = 0
    /// Events committed for the first time.
    public internal(set) var eventsCommitted = 0
    /// Blocks fetched by state transfer.
    public internal(set) var blocksTransferred = 0

    /// The total of all drops.
    public var totalDrops: Int { drops.values.reduce(0, +) }

    mutating func drop(_ reason: DropReason) { drops[reason, default: 0] += 1 }
}
