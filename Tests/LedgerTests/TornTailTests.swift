import Consensus
import Foundation
@testable import Ledger
import LedgerTesting
import Testing

@Suite("Block store: torn and damaged tails")
struct TornTailTests {
    let fixture: ChainFixture
    let blocks: [CommittedBlock]

    init() throws {
        fixture = try ChainFixture()
        blocks = fixture.blocks(count: 6, eventsPerBlock: 4)
    }

    private func storeWithBlocks(in directory: TemporaryDirectory) throws {
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        try store.append(Array(blocks[0..<3]))
        try store.append(Array(blocks[3...]))
    }

    private var lastRecordSize: UInt64 {
        UInt64(RecordFraming.frame(sequence: 6, payload: blocks[5].encoded()).count)
    }

    @Test(arguments: [UInt64(1), 32, 100, 0])
    func aTornLastRecordIsCutBack(droppingLast bytes: UInt64) throws {
        let directory = try TemporaryDirectory()
        try storeWithBlocks(in: directory)
        // 0 stands for "all but the record header".
        try directory.truncate("blocks.log", droppingLast: bytes == 0 ? lastRecordSize - 10 : bytes)

        do {
            let log = CapturedLog()
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
            #expect(store.height == 5)
            #expect(store.headHash == blocks[4].hash)
            #expect(log.contains("warning", "cut back", "damagedHeight=6", "cutBackTo=5"))
            #expect(!store.containsEvent(blocks[5].block.events[0].id))
            #expect(try store.block(atHeight: 6) == nil)
            #expect(try store.block(withHash: blocks[5].hash) == nil)

            // The chain continues from the cut, and survives another reopen (once this store is closed:
            // one store at a time holds a directory).
            try store.append(blocks[5])
        }
        let reopened = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        #expect(reopened.height == 6)
        #expect(reopened.headHash == blocks[5].hash)
        #expect(try reopened.location(ofEvent: blocks[5].block.events[3].id) == EventLocation(height: 6, position: 3))
    }

    @Test func aFlippedByteInTheLastRecordIsCutBack() throws {
        let directory = try TemporaryDirectory()
        try storeWithBlocks(in: directory)
        let size = try directory.size(of: "blocks.log")
        try directory.overwrite("blocks.log", at: size - lastRecordSize / 2, with: [0xA5, 0x5A])

        let log = CapturedLog()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
        #expect(store.height == 5)
        #expect(log.contains("cut back", "checksum"))
        #expect(try directory.size(of: "blocks.log") == size - lastRecordSize)
    }

    @Test func garbageAfterTheLastRecordIsCut() throws {
        let directory = try TemporaryDirectory()
        try storeWithBlocks(in: directory)
        let size = try directory.size(of: "blocks.log")
        try directory.append("blocks.log", Array(RecordFraming.frame(sequence: 7, payload: [1, 2, 3]).prefix(20)))

        let log = CapturedLog()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
        #expect(store.height == 6)
        #expect(log.contains("cut back", "damagedHeight=7"))
        #expect(try directory.size(of: "blocks.log") == size)
    }

    @Test func aForgedCertificateInTheTailIsDetected() throws {
        let directory = try TemporaryDirectory()
        try storeWithBlocks(in: directory)
        // Rewrite block 6 as an intact record whose certificate carries a corrupted signature.
        let original = blocks[5]
        var votes = original.certificate.votes
        var signature = votes[1].signature
        signature[7] ^= 0x01
        votes[1] = Vote(phase: .commit, view: 0, sequence: 6, digest: original.block.digest, sender: votes[1].sender, signature: signature)
        let forged = CommittedBlock(
            block: original.block,
            certificate: CommitCertificate(view: 0, sequence: 6, digest: original.block.digest, votes: votes),
            previousHash: original.previousHash, duplicateEventIDs: [])
        let record = RecordFraming.frame(sequence: 6, payload: forged.encoded())
        #expect(UInt64(record.count) == lastRecordSize)
        try directory.overwrite("blocks.log", at: try directory.size(of: "blocks.log") - lastRecordSize, with: record)

        let log = CapturedLog()
        let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
        #expect(store.height == 5)
        #expect(log.contains("cut back", "invalid commit certificate", "node-1"))
    }

    @Test func damageBeforeTheTailIsReportedOnReadAndCutByAFullCheck() throws {
        let directory = try TemporaryDirectory()
        try storeWithBlocks(in: directory)
        // Flip a byte inside block 2's record; the default check only reads the last 2 blocks.
        let firstRecord = UInt64(RecordFraming.frame(sequence: 1, payload: blocks[0].encoded()).count)
        try directory.overwrite("blocks.log", at: RecordFraming.fileHeaderSize + firstRecord + 40, with: [0xFF])

        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, verification: .tail(blocks: 2)))
            #expect(store.height == 6)
            #expect(throws: LedgerError.self) { try store.block(atHeight: 2) }
            #expect(store.committedBlocks(from: 1, limit: 6) == [])
            #expect(try store.block(atHeight: 3) == blocks[2])
        }

        let log = CapturedLog()
        let checked = try BlockStore(configuration: fixture.configuration(directory: directory.path, verification: .full, logger: log.logger))
        #expect(checked.height == 1)
        #expect(log.contains("cut back", "damagedHeight=2"))
        #expect(!checked.containsEvent(blocks[2].block.events[0].id))
    }
}
