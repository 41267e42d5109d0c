import Consensus

/// A ledger kept in memory, with the same rules as the durable one: blocks arrive in height order and
/// extend the hash chain, and an event id commits at most once.
public final class InMemoryLedger: LedgerReader {
    public private(set) var blocks: [CommittedBlock] = []
    private var eventHeights: [SHA256Hash: UInt64] = [:]
    private let genesisHash: SHA256Hash

    public init(genesisHash: SHA256Hash) { self.genesisHash = genesisHash }

    /// Makes room for `count` committed events and their blocks' records, so that a run whose size is
    /// known (a benchmark) does not re-hash every committed id each time the table doubles.
    public func reserveCapacity(events count: Int, blocks blockCount: Int) {
        eventHeights.reserveCapacity(count)
        blocks.reserveCapacity(blockCount)
    }

    public var height: UInt64 { UInt64(blocks.count) }
    public var headHash: SHA256Hash { blocks.last?.hash ?? genesisHash }

    public func containsEvent(_ id: SHA256Hash) -> Bool { eventHeights[id] != nil }

    /// The height at which an event committed.
    public func height(ofEvent id: SHA256Hash) -> UInt64? { eventHeights[id] }

    public func committedBlocks(from height: UInt64, limit: Int) -> [CommittedBlock] {
        guard height >= 1, height <= self.height else { return [] }
        let start = Int(height - 1)
        return Array(blocks[start..<min(blocks.count, start + limit)])
    }

    /// Appends a committed block.
    /// - Returns: why the block does not extend this ledger, or `nil` when it was appended.
    public func append(_ block: CommittedBlock) -> String? {
        guard block.height == height + 1 else { return "block at height \(block.height) appended at height \(height)" }
        guard block.previousHash == headHash else { return "block \(block.height) does not link to the previous block's hash" }
        let events = block.block.events
        // Growing the table by doubling re-hashes every id committed so far; room for the next few blocks
        // at once keeps that rare.
        if eventHeights.capacity < eventHeights.count + events.count {
            eventHeights.reserveCapacity(max(2 * eventHeights.count, eventHeights.count + 8 * events.count))
        }
        for index in events.indices {
            let id = events[index].id
            if !block.duplicateEventIDs.isEmpty, block.duplicateEventIDs.contains(id) { continue }
            if let earlier = eventHeights.updateValue(block.height, forKey: id) {
                eventHeights[id] = earlier
                return "event \(id) committed twice"
            }
        }
        blocks.append(block)
        return nil
    }
}
