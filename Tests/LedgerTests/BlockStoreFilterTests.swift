import Consensus
import Ledger
import LedgerTesting
import Testing

@Suite("Block store: the event-id filter in front of the index")
struct BlockStoreFilterTests {
    let fixture: ChainFixture

    init() throws { fixture = try ChainFixture() }

    /// A store whose filter starts tiny and whose recent memory is off, so that every answer goes through
    /// the filter, the open group's rows and the index, and the filter is rebuilt several times, sometimes
    /// with rows of the group not yet in the index (a group commits every 25 events here).
    private func store(_ directory: TemporaryDirectory, log: CapturedLog = CapturedLog()) throws -> BlockStore {
        var configuration = fixture.configuration(directory: directory.path, logger: log.logger)
        configuration.recentEventCapacity = 0
        configuration.eventFilterCapacity = 8
        configuration.indexGroupEvents = 25
        return try BlockStore(configuration: configuration)
    }

    @Test func answersAndRefusesCorrectlyAcrossRebuildsAndReopens() throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 12, eventsPerBlock: 10)
        let committed = blocks.flatMap { $0.block.events.map(\.id) }
        let unknown = (5_000..<5_050).map { fixture.clientEvent($0).id }
        do {
            let log = CapturedLog()
            let store = try store(directory, log: log)
            for block in blocks { try store.append(block) }
            // 120 events, ten per append, into a filter sized for 8: each rebuild sizes for twice the ids
            // held, so after 10, 30 and 70 ids (for 20, 60 and 140).
            #expect(log.contains("rebuilt the event-id filter", "events=10", "capacity=20"))
            #expect(log.contains("rebuilt the event-id filter", "events=70", "capacity=140"))
            #expect(store.committedEvents(among: committed + unknown) == Set(committed))
            #expect(try store.locations(ofEvents: unknown).isEmpty)
            #expect(try store.location(ofEvent: committed[57]) == EventLocation(height: 6, position: 7))
        }
        // Reopened, the filter is built from the index: an old event is still refused as a duplicate.
        let store = try store(directory)
        #expect(store.committedEvents(among: committed + unknown) == Set(committed))
        let again = blocks[2].block.events[4]
        let duplicate = fixture.block(height: 13, previousHash: blocks[11].hash, events: fixture.events(6_000..<6_002) + [again])
        #expect(throws: LedgerError.duplicateEvent(again.id, height: 13)) { try store.append(duplicate) }
        #expect(store.height == 12)
        #expect(!store.containsEvent(fixture.clientEvent(6_000).id))
    }
}
