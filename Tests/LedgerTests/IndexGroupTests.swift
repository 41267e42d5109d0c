import Consensus
import Dispatch
import Foundation
import GRDB
import LedgerTesting
import Testing

@testable import Ledger

@Suite("Block store: index groups written beside the appends")
struct IndexGroupTests {
    let fixture: ChainFixture

    init() throws { fixture = try ChainFixture() }

    /// A store whose index seals a group once it holds `eventsPerGroup` events.
    private func store(_ directory: TemporaryDirectory, eventsPerGroup: Int) throws -> BlockStore {
        var configuration = fixture.configuration(directory: directory.path)
        configuration.indexGroupEvents = eventsPerGroup
        configuration.recentEventCapacity = 0  // every lookup goes to the groups or the index
        return try BlockStore(configuration: configuration)
    }

    @Test func appendsGoOnWhileAGroupIsWrittenAndLookupsFindItsRows() throws {
        let directory = try TemporaryDirectory()
        let store = try store(directory, eventsPerGroup: 4)
        let blocks = fixture.blocks(count: 6, eventsPerBlock: 3)
        try store.append(Array(blocks[0..<2]))  // 6 events: sealed and written
        store.waitForIndexing()

        let gate = DispatchSemaphore(value: 0)
        store.holdIndexing(until: gate)
        // Should an expectation throw, the store must still be able to close.
        defer { gate.signal() }
        // Two more groups sealed and one left open, all while the indexing thread is held: the appends
        // return without it.
        try store.append(Array(blocks[2..<4]))
        try store.append(blocks[4])
        try store.append(blocks[5])
        let open = fixture.block(height: 7, previousHash: blocks[5].hash, events: fixture.events(100..<101))
        try store.append(open)

        func expectEverythingFound() throws {
            #expect(try store.blocks(from: 1, limit: 10).map(\.height) == [1, 2, 3, 4, 5, 6, 7])
            #expect(try store.blocks(from: 2, limit: 3).map(\.height) == [2, 3, 4])
            #expect(try store.blocks(from: 6, limit: 10).map(\.hash) == [blocks[5].hash, open.hash])
            #expect(try store.blocks(from: 8, limit: 5).isEmpty)
            #expect(try store.block(withHash: blocks[3].hash)?.height == 4)
            #expect(try store.block(withHash: open.hash)?.height == 7)
            #expect(try store.latestBlock()?.hash == open.hash)
            #expect(try store.location(ofEvent: blocks[4].block.events[2].id) == EventLocation(height: 5, position: 2))
            #expect(try store.location(ofEvent: open.block.events[0].id) == EventLocation(height: 7, position: 0))
            #expect(store.containsEvent(blocks[2].block.events[0].id))
            #expect(!store.containsEvent(fixture.clientEvent(999).consensusEvent.id))
            // A sealed group's event is refused again before the index has it.
            let again = fixture.block(height: 8, previousHash: open.hash, events: [blocks[3].block.events[1]])
            #expect(throws: LedgerError.duplicateEvent(blocks[3].block.events[1].id, height: 8)) { try store.append(again) }
        }
        try expectEverythingFound()
        gate.signal()
        store.waitForIndexing()
        try expectEverythingFound()
        #expect(store.height == 7)
    }

    @Test func theGroupsSurviveAReopen() throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 10, eventsPerBlock: 3)
        do {
            let store = try store(directory, eventsPerGroup: 4)
            try store.append(blocks)
        }
        let reopened = try store(directory, eventsPerGroup: 4)
        #expect(reopened.height == 10)
        #expect(try reopened.location(ofEvent: blocks[9].block.events[2].id) == EventLocation(height: 10, position: 2))
        #expect(try reopened.blocks(from: 1, limit: 20).count == 10)
    }

    @Test func aGroupTheIndexRefusesStopsTheStoreAndKeepsItsRowsFindable() throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 3, eventsPerBlock: 3)
        do {
            let store = try store(directory, eventsPerGroup: 4)
            try store.append(blocks[0])
            // Break the index behind the store's back, so that writing the next group fails.
            let other = try DatabaseQueue(path: directory.file("index.sqlite"))
            try other.write { db in try db.execute(sql: "DROP TABLE events") }
            try other.close()

            try store.append(blocks[1])  // 6 events: the group is sealed, and writing it fails
            store.waitForIndexing()
            #expect(try store.location(ofEvent: blocks[1].block.events[0].id) == EventLocation(height: 2, position: 0))
            #expect {
                try store.append(blocks[2])
            } throws: { error in
                (error as? LedgerError)?.description.contains("restart the node") == true
            }
            #expect(store.height == 2)
        }
        // The blocks were durable in the log: a reopen rebuilds the index from it.
        let reopened = try store(directory, eventsPerGroup: 4)
        #expect(reopened.height == 2)
        #expect(try reopened.location(ofEvent: blocks[1].block.events[2].id) == EventLocation(height: 2, position: 2))
        try reopened.append(blocks[2])
    }
}
