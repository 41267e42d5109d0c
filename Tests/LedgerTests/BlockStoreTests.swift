import Consensus
import Foundation
import Ledger
import LedgerTesting
import Testing

@Suite("Block store: append, reopen, lookups, rejections")
struct BlockStoreTests {
    let fixture: ChainFixture

    init() throws { fixture = try ChainFixture() }

    @Test(arguments: [Verification.tail(blocks: 3), .full])
    func appendedBlocksAreFoundAfterReopen(verification: Verification) throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 8, eventsPerBlock: 5)
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            #expect(store.height == 0)
            #expect(store.headHash == fixture.genesisHash)
            #expect(try store.latestBlock() == nil)
            try store.append(blocks[0])
            try store.append(Array(blocks[1..<5]))
            try store.append(Array(blocks[5...]))
            #expect(store.height == 8)
        }
        let log = CapturedLog()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, verification: verification, logger: log.logger))
        #expect(log.contains("ledger opened", "height=8"))
        #expect(!log.contains("warning"))
        #expect(store.height == 8)
        #expect(store.headHash == blocks[7].hash)
        #expect(try store.latestBlock() == blocks[7])
        for block in blocks {
            #expect(try store.block(atHeight: block.height) == block)
            #expect(try store.block(withHash: block.hash) == block)
            for (position, event) in block.block.events.enumerated() {
                #expect(store.containsEvent(event.id))
                let stored = try #require(try store.event(withID: event.id))
                #expect(stored.location == EventLocation(height: block.height, position: position))
                #expect(stored.payload == event.payload)
                #expect(try stored.clientEvent().consensusEvent.id == event.id)
            }
        }
        #expect(store.committedBlocks(from: 3, limit: 4) == Array(blocks[2..<6]))
        #expect(store.committedBlocks(from: 7, limit: 10) == Array(blocks[6...]))
        #expect(store.committedBlocks(from: 9, limit: 10).isEmpty)
        #expect(try store.block(atHeight: 0) == nil)
        #expect(try store.block(atHeight: 9) == nil)
        let unknown = fixture.clientEvent(999_999).id
        #expect(!store.containsEvent(unknown))
        #expect(try store.event(withID: unknown) == nil)
        #expect(try store.block(withHash: unknown) == nil)
    }

    @Test func refusesBlocksThatDoNotExtendTheChain() throws {
        let directory = try TemporaryDirectory()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        let first = fixture.blocks(count: 2, eventsPerBlock: 3)
        try store.append(first)
        let sizeBefore = try directory.size(of: "blocks.log")

        let skipping = fixture.block(height: 4, previousHash: first[1].hash, events: fixture.events(100..<101))
        #expect(throws: LedgerError.wrongHeight(got: 4, expected: 3)) { try store.append(skipping) }
        let repeated = fixture.block(height: 2, previousHash: first[0].hash, events: fixture.events(100..<101))
        #expect(throws: LedgerError.wrongHeight(got: 2, expected: 3)) { try store.append(repeated) }
        let unlinked = fixture.block(height: 3, previousHash: first[0].hash, events: fixture.events(100..<101))
        #expect(throws: LedgerError.brokenLink(height: 3)) { try store.append(unlinked) }

        let again = first[0].block.events[1]
        let duplicate = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events(100..<101) + [again])
        #expect(throws: LedgerError.duplicateEvent(again.id, height: 3)) { try store.append(duplicate) }
        let twiceInBlock = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events([100, 100]))
        #expect(throws: LedgerError.duplicateEvent(fixture.clientEvent(100).id, height: 3)) { try store.append(twiceInBlock) }

        // A bad block later in a batch refuses the whole batch.
        let good = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events(200..<202))
        let badAfterGood = fixture.block(height: 4, previousHash: good.hash, events: [again])
        #expect(throws: LedgerError.duplicateEvent(again.id, height: 4)) { try store.append([good, badAfterGood]) }

        let mismatched = CommittedBlock(
            block: good.block, certificate: first[1].certificate, previousHash: good.previousHash, duplicateEventIDs: [])
        #expect(throws: LedgerError.certificateMismatch(height: 3)) { try store.append(mismatched) }

        #expect(store.height == 2)
        #expect(!store.containsEvent(fixture.clientEvent(200).id))
        #expect(try directory.size(of: "blocks.log") == sizeBefore)
        do {
            try store.append(skipping)
        } catch {
            #expect(error.isRejection)
            #expect(error.description.contains("expects height 3"))
        }

        // Listed as duplicates, repeated events are stored but not committed again.
        let listed = fixture.block(height: 3, previousHash: first[1].hash, events: fixture.events(100..<101) + [again], duplicates: [again.id])
        try store.append(listed)
        #expect(store.height == 3)
        #expect(try store.location(ofEvent: again.id) == EventLocation(height: 1, position: 1))
        #expect(try store.location(ofEvent: fixture.clientEvent(100).id) == EventLocation(height: 3, position: 0))
    }

    @Test func rebuildsALostIndexFromTheLog() throws {
        let directory = try TemporaryDirectory()
        let blocks = fixture.blocks(count: 5, eventsPerBlock: 4)
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            try store.append(blocks)
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory.file("index.sqlite" + suffix)) }
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        #expect(store.height == 5)
        #expect(store.headHash == blocks[4].hash)
        #expect(try store.location(ofEvent: blocks[3].block.events[2].id) == EventLocation(height: 4, position: 2))
        #expect(try store.block(withHash: blocks[1].hash) == blocks[1])
    }

    @Test func refusesTheDirectoryOfAnotherChain() throws {
        let directory = try TemporaryDirectory()
        _ = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        let other = try ChainFixture(chainID: "another-chain")
        #expect {
            try BlockStore(configuration: other.configuration(directory: directory.path))
        } throws: { error in
            (error as? LedgerError)?.description.contains("another genesis hash") == true
        }
    }
}
