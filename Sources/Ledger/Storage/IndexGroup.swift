import Consensus

/// The index rows of a run of appended blocks, held in memory until the index commits them, so that
/// lookups find them meanwhile.
struct IndexGroup {
    /// The blocks' rows, in height order. A group is handed on only once it holds a block, so its first
    /// height tells it from every other group.
    var blocks: [LedgerIndex.BlockRow] = []
    var events: [SHA256Hash: EventLocation] = [:]
    /// When the first append of the group was made.
    var opened: ContinuousClock.Instant?

    var isEmpty: Bool { blocks.isEmpty }

    /// Whether the group should be written: it holds `events` events, or its first append is `age` old.
    func isDue(events limit: Int, age: Duration) -> Bool {
        events.count >= limit || (opened.map { $0.duration(to: .now) >= age } ?? false)
    }

    /// The event rows, in no particular order (``LedgerIndex/commitGroup(blocks:events:)`` sorts them).
    var eventRows: [LedgerIndex.EventRow] { events.map { LedgerIndex.EventRow(id: $0.key, location: $0.value) } }

    mutating func add(blocks rows: [LedgerIndex.BlockRow], events eventRows: [LedgerIndex.EventRow]) {
        if opened == nil { opened = .now }
        blocks += rows
        for event in eventRows { events[event.id] = event.location }
    }
}
