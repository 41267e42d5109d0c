import Consensus
@testable import Ledger
import LedgerTesting
import Testing

@Suite("Block store: 200,000 events")
struct ScaleTests {
    @Test func lookupsUseTheIndexAtScale() throws {
        let fixture = try ChainFixture()
        let directory = try TemporaryDirectory()
        let blockCount = 400
        let eventsPerBlock = 500
        var sampled: [(id: SHA256Hash, location: EventLocation)] = []
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            var previous = fixture.genesisHash
            for batch in 0..<(blockCount / 10) {
                let blocks = fixture.blocks(
                    count: 10, eventsPerBlock: eventsPerBlock, after: UInt64(batch * 10), previousHash: previous,
                    firstEvent: batch * 10 * eventsPerBlock)
                try store.append(blocks)
                previous = blocks[9].hash
                let block = blocks[batch % 10]
                let position = (batch * 37) % eventsPerBlock
                sampled.append((block.block.events[position].id, EventLocation(height: block.height, position: position)))
            }
            #expect(store.height == UInt64(blockCount))
        }

        let log = CapturedLog()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, verification: .tail(blocks: 64), logger: log.logger))
        #expect(store.height == UInt64(blockCount))
        #expect(log.contains("ledger opened", "height=400", "certificatesCheckedFrom=337"))
        for (id, location) in sampled {
            #expect(store.containsEvent(id))
            #expect(try store.location(ofEvent: id) == location)
        }
        #expect(try store.event(withID: sampled[17].id)?.location == sampled[17].location)
        #expect(!store.containsEvent(fixture.clientEvent(blockCount * eventsPerBlock).id))

        let plans = try store.lookupQueryPlans()
        let event = try #require(plans["event"]).joined(separator: "; ")
        #expect(event.contains("SEARCH events USING PRIMARY KEY (id=?)"), "\(event)")
        let hash = try #require(plans["hash"]).joined(separator: "; ")
        #expect(hash.contains("SEARCH blocks USING") && hash.contains("blocks_by_hash (hash=?)"), "\(hash)")
        let height = try #require(plans["height"]).joined(separator: "; ")
        #expect(height.contains("SEARCH blocks USING INTEGER PRIMARY KEY (rowid>?)"), "\(height)")
        for plan in [event, hash, height] { #expect(!plan.contains("SCAN")) }
    }
}
