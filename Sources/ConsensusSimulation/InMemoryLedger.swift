import Consensus

/// A ledger kept in memory, with the same rules as the durable one: blocks arrive in height order and
/// extend the hash chain, and an event id commits at most once.
///
/// Every committed id is kept in a ``Consensus/DigestTable``: an insert or a lookup of a new id costs
/// about one cache line, and a block's lines are loaded together before its ids are probed (a benchmark's
/// table is far larger than the cache), so that a benchmark measures consensus rather than its stand-in
/// ledger.
public final class InMemoryLedger: LedgerReader {
    /// The retained blocks, oldest first: every block unless ``init(genesisHash:retainedBlocks:)`` bounds them.
    public private(set) var blocks: [CommittedBlock] = []
    public private(set) var height: UInt64 = 0
    private var committedIDs: DigestTable
    /// What ``Consensus/DigestTable/warm(_:)`` returned, kept so that its loads are not optimized away.
    private var warmth: UInt64 = 0
    private let genesisHash: SHA256Hash
    private let retainedBlocks: Int?
    private var headBlockHash: SHA256Hash?

    /// - Parameter retainedBlocks: how many of the newest blocks to keep for ``committedBlocks(from:limit:)``
    ///   and ``blocks``; `nil` keeps all. A fault-free benchmark, which never transfers state, bounds them
    ///   so that its memory does not grow with the run, as a node's does not (its blocks are on disk).
    public init(genesisHash: SHA256Hash, retainedBlocks: Int? = nil) {
        self.genesisHash = genesisHash
        committedIDs = DigestTable(secret: DigestTable.secret(from: genesisHash.bytes), minimumCapacity: 1 << 12)
        self.retainedBlocks = retainedBlocks.map { max(1, $0) }
    }

    /// Makes room for `count` committed events and `blockCount` blocks, so that a run whose size is
    /// known (a benchmark) does not re-hash every committed id each time the table doubles.
    public func reserveCapacity(events count: Int, blocks blockCount: Int) {
        committedIDs.reserveCapacity(count)
        blocks.reserveCapacity(min(blockCount, retainedBlocks ?? blockCount))
    }

    public var headHash: SHA256Hash { headBlockHash ?? genesisHash }

    public func containsEvent(_ id: SHA256Hash) -> Bool { committedIDs.contains(id) }

    public func committedEvents(among ids: [SHA256Hash]) -> Set<SHA256Hash> {
        warmth &+= committedIDs.warm(ids)
        var committed = Set<SHA256Hash>()
        for id in ids where committedIDs.contains(id) { committed.insert(id) }
        return committed
    }

    /// Up to `limit` retained blocks from `height`; empty for heights no longer retained.
    public func committedBlocks(from height: UInt64, limit: Int) -> [CommittedBlock] {
        let firstRetained = self.height - UInt64(blocks.count) + 1
        guard height >= max(1, firstRetained), height <= self.height else { return [] }
        let start = Int(height - firstRetained)
        return Array(blocks[start..<min(blocks.count, start + limit)])
    }

    /// Appends a committed block.
    /// - Returns: why the block does not extend this ledger, or `nil` when it was appended.
    public func append(_ block: CommittedBlock) -> String? {
        guard block.height == height + 1 else { return "block at height \(block.height) appended at height \(height)" }
        guard block.previousHash == headHash else { return "block \(block.height) does not link to the previous block's hash" }
        let ids = block.block.eventIDs
        // Growing the table by doubling re-hashes every id committed so far; room for the next few blocks
        // at once keeps that rare.
        if committedIDs.capacity < committedIDs.count + ids.count {
            committedIDs.reserveCapacity(max(2 * committedIDs.count, committedIDs.count + 8 * ids.count))
        }
        warmth &+= committedIDs.warm(ids)
        for id in ids {
            if !block.duplicateEventIDs.isEmpty, block.duplicateEventIDs.contains(id) { continue }
            guard committedIDs.insert(id) else { return "event \(id) committed twice" }
        }
        blocks.append(block)
        if let retainedBlocks, blocks.count > retainedBlocks { blocks.removeFirst(blocks.count - retainedBlocks) }
        height = block.height
        headBlockHash = block.hash
        return nil
    }
}
