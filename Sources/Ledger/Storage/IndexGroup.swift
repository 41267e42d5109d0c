import Consensus

/// The index rows of a run of appended blocks, held in memory until the index commits them, so that
/// lookups find them meanwhile.
struct IndexGroup {
    /// Numbers groups in the order they are handed to the indexing thread.
    var number: UInt64 = 0
    /// The blocks' rows, in height order.
    var blocks: [LedgerIndex.BlockRow] = []
    var events: [SHA256Hash: EventLocation] = [:]
    /// When the first append of the group was made.
    var opened: ContinuousClock.Instant?

    var isEmpty: Bool { blocks.isEmpty }

    /// The event rows, in no particular order (``LedgerIndex/commitGroup(blocks:events:)`` sorts them).
    var eventRows: [LedgerIndex.EventRow] { events.map { LedgerIndex.EventRow(id: $0.key, location: $0.value) } }

    mutating func add(blocks rows: [LedgerIndex.BlockRow], events eventRows: [LedgerIndex.EventRow]) {
        if opened == nil { opened = .now }
        blocks += rows
        for event in eventRows { events[event.id] = event.location }
    }
}
