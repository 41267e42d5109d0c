import Consensus
import Foundation
import Ledger
import LedgerTesting
import Testing

@Suite("Block store: the index answers what recent memory does not")
struct BlockStoreIndexTests {
    let fixture: ChainFixture

    init() throws { fixture = try ChainFixture() }

    /// A store that remembers no recent event ids, so every question goes to the SQLite index.
    private func storeWithoutRecentMemory(_ directory: TemporaryDirectory, recent: Int = 0) throws -> BlockStore {
        var configuration = fixture.configuration(directory: directory.path)
        configuration.recentEventCapacity = recent
        return try BlockStore(configuration: configuration)
    }

    @Test func refusesAnEventTheIndexHoldsAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try storeWithoutRecentMemory(directory)
        let first = fixture.blocks(count: 2, eventsPerBlock: 3)
        try store.append(first)
        let logSize = try directory.size(of: "blocks.log")

        let again = first[0].block.events[2]
        let duplicate = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events(300..<302) + [again])
        #expect(throws: LedgerError.duplicateEvent(again.id, height: 3)) { try store.append(duplicate) }
        #expect(store.height == 2)
        #expect(try directory.size(of: "blocks.log") == logSize)
        // The refused batch's other events were not indexed either.
        #expect(!store.containsEvent(fixture.clientEvent(300).id))
        #expect(try store.location(ofEvent: again.id) == EventLocation(height: 1, position: 2))

        // The store carries on: the next good block appends and survives a reopen.
        let good = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events(300..<302))
        try store.append(good)
        #expect(store.height == 3)
        #expect(try store.location(ofEvent: fixture.clientEvent(301).id) == EventLocation(height: 3, position: 1))
    }

    @Test func refusesADuplicateAfterReopen() throws {
        let directory = try TemporaryDirectory()
        let first = fixture.blocks(count: 3, eventsPerBlock: 2)
        do {
            let store = try storeWithoutRecentMemory(directory)
            try store.append(first)
        }
        let store = try storeWithoutRecentMemory(directory)
        let again = first[1].block.events[0]
        let duplicate = fixture.block(height: 4, previousHash: first[2].hash, events: [again])
        #expect(throws: LedgerError.duplicateEvent(again.id, height: 4)) { try store.append(duplicate) }
        #expect(store.height == 3)
    }

    @Test func answersBatchLookupsFromMemoryAndTheIndex() throws {
        let directory = try TemporaryDirectory()
        // Two ids of recent memory: the newest events are answered from it, older ones from the index.
        let store = try storeWithoutRecentMemory(directory, recent: 2)
        let blocks = fixture.blocks(count: 4, eventsPerBlock: 3)
        try store.append(blocks)
        let committed = blocks.flatMap { $0.block.events.map(\.id) }
        let unknown = (900..<905).map { fixture.clientEvent($0).id }
        let asked = Array((committed + unknown).reversed())

        #expect(store.committedEvents(among: asked) == Set(committed))
        #expect(store.committedEvents(among: unknown).isEmpty)
        #expect(store.committedEvents(among: []).isEmpty)

        let locations = try store.locations(ofEvents: asked)
        #expect(locations.count == committed.count)
        for block in blocks {
            for (position, event) in block.block.events.enumerated() {
                #expect(locations[event.id] == EventLocation(height: block.height, position: position))
            }
        }
    }

    @Test func anOpenIndexGroupAnswersAndARefusedAppendLeavesItAlone() throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 4, eventsPerBlock: 3)
        do {
            var configuration = fixture.configuration(directory: directory.path)
            configuration.recentEventCapacity = 0
            configuration.indexGroupEvents = 1_000_000
            configuration.indexGroupAge = .seconds(3_600)
            let store = try BlockStore(configuration: configuration)
            try store.append(Array(blocks[0..<3]))
            // Nothing has committed to the index yet; the store still finds every row of the group.
            #expect(try store.location(ofEvent: blocks[1].block.events[2].id) == EventLocation(height: 2, position: 2))
            #expect(try store.block(withHash: blocks[2].hash) == blocks[2])
            let again = blocks[0].block.events[0]
            let duplicate = fixture.block(height: 4, previousHash: blocks[2].hash, events: fixture.events(400..<401) + [again])
            #expect(throws: LedgerError.duplicateEvent(again.id, height: 4)) { try store.append(duplicate) }
            // The refused append wrote nothing; the group's earlier rows stayed.
            #expect(!store.containsEvent(fixture.clientEvent(400).id))
            #expect(store.containsEvent(again.id))
            try store.append(blocks[3])
        }
        let reopened = try storeWithoutRecentMemory(directory)
        #expect(reopened.height == 4)
        #expect(try reopened.location(ofEvent: blocks[3].block.events[1].id) == EventLocation(height: 4, position: 1))
    }

    @Test func refusesASecondOpenOfTheSameDirectory() throws {
        let directory = try TemporaryDirectory()
        var first: BlockStore? = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        try first?.append(fixture.blocks(count: 1, eventsPerBlock: 1))
        #expect {
            try BlockStore(configuration: fixture.configuration(directory: directory.path))
        } throws: { error in
            (error as? LedgerError)?.description.contains("locked") == true
        }
        first = nil
        let reopened = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        #expect(reopened.height == 1)
    }
}
