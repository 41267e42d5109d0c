import Consensus
import Logging

/// Where a ``BlockStore`` keeps its files, which chain it holds, and how much it checks when it opens.
public struct BlockStoreConfiguration: Sendable {
    /// The data directory; created if missing. It holds `blocks.log` and `index.sqlite` (+ its WAL).
    public var directory: String
    public var chainID: String
    /// The hash block 1 links to (``ReplicaConfiguration/genesisHash``); also written into the log header.
    public var genesisHash: SHA256Hash
    /// Checks commit certificates against the validator set.
    public var verifier: SignatureVerifier
    public var limits: MessageLimits
    public var verification: Verification
    /// How many recently committed event ids ``BlockStore/containsEvent(_:)`` answers from memory
    /// (about 100 bytes each) before asking the index. Clients resubmit what they have not seen commit,
    /// which is recent; the default covers two full blocks and costs about 200 KiB. (The open index
    /// group's events, up to ``indexGroupEvents``, are answered from memory too.)
    public var recentEventCapacity: Int
    /// The store hands the index a group of rows once this many events were appended since the last
    /// group, or the first of them is ``indexGroupAge`` old at the next append; a thread of the store's
    /// writes the group in one transaction while appends go on. Until its transaction commits, a group's
    /// rows are answered from memory (about 100 bytes per event). Larger groups write fewer index pages;
    /// a crash loses nothing, since the log is fsynced on every append and the index is rebuilt from it.
    public var indexGroupEvents = 8_192
    /// Why a quarter of a second: every node of a network reaches a group boundary at about the same
    /// time, and writing a second's worth of events into a large index took each of them 50–100 ms of
    /// CPU and disk at once, which showed as a latency spike every second at 1,000 events/s; at a
    /// quarter of a second the spikes are a quarter as large and peak events/s did not change.
    public var indexGroupAge = Duration.milliseconds(250)
    /// The fewest event ids the in-memory filter in front of the index is sized for (10 bits each: the
    /// default costs 640 KiB). It answers "not committed" for new ids without an index lookup; it is
    /// sized for twice the events stored when the store opens, and rebuilt twice as large from the index
    /// whenever the chain outgrows it.
    public var eventFilterCapacity = 1 << 19
    public var logger: Logger

    /// Creates a configuration for the chain `replica` describes.
    public init(
        directory: String, replica: ReplicaConfiguration, verification: Verification = .tail(blocks: 1_024),
        recentEventCapacity: Int = 2_048, logger: Logger = Logger(label: "subchain.ledger")
    ) {
        self.directory = directory
        chainID = replica.chainID
        genesisHash = replica.genesisHash
        verifier = SignatureVerifier(validators: replica.validators, chainID: replica.chainID)
        limits = replica.limits
        self.verification = verification
        self.recentEventCapacity = recentEventCapacity
        self.logger = logger
    }

    /// The most votes a stored certificate may hold: one per validator.
    var maxVotes: Int { verifier.validators.count }

    /// The largest block record the log accepts: every event at its size limit, its length prefix and
    /// a duplicate id, plus one vote per validator.
    var maxRecordBytes: Int {
        limits.maxBlockBytes + limits.maxBlockEvents * (4 + 32) + maxVotes * 256 + 4_096
    }
}

/// How much of the stored chain a ``BlockStore`` checks when it opens.
///
/// Every open checks the hash links of the whole chain as recorded in the index (one SHA-256 per block, no
/// block bytes read), and reads the tail from the block log: record checksums, event ids and digests
/// recomputed from the stored bytes, links, and every commit certificate's signatures. Checking every
/// certificate of millions of blocks would take minutes (a quorum of Ed25519 verifications, ~0.2 ms, per
/// block), so by default only the last blocks are — those a crash can have torn. Older blocks are checked
/// again on every read (record checksum, recomputed hash against the verified index), so damage there is
/// reported when a block is served, never served silently.
public struct Verification: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case tail(Int)
        case full
    }

    private let kind: Kind

    /// Read and fully check the last `blocks` blocks (at least 1).
    public static func tail(blocks: Int) -> Self { Self(kind: .tail(max(1, blocks))) }
    /// Read the whole block log and check every block and certificate, re-indexing anything the index
    /// disagrees on. Use after disk trouble or an unclean restore; takes minutes on a long chain.
    public static let full = Self(kind: .full)

    /// The number of tail blocks to check fully; `nil` for all.
    var tailBlocks: Int? {
        switch kind {
        case .tail(let blocks): blocks
        case .full: nil
        }
    }

    public var description: String {
        switch kind {
        case .tail(let blocks): "tail(\(blocks) blocks)"
        case .full: "full"
        }
    }
}
