import Consensus
import Foundation
@testable import Ledger
import LedgerTesting
import Testing

/// The logs are extended ahead of their records with zeros, so that appends only sync data. What a reader
/// must make of that tail: zeros are the end of the log, not damage; anything else there is the rest of a
/// write that never became durable, and goes.
@Suite("Logs: the reserved tail")
struct ReservedTailTests {
    let fixture: ChainFixture
    let blocks: [CommittedBlock]
    let next: CommittedBlock

    init() throws {
        fixture = try ChainFixture()
        blocks = fixture.blocks(count: 6, eventsPerBlock: 4)
        next = fixture.blocks(count: 1, eventsPerBlock: 4, after: 6, previousHash: blocks[5].hash, firstEvent: 24)[0]
    }

    /// The size of a log holding exactly these blocks.
    private func contentSize(_ blocks: ArraySlice<CommittedBlock>) -> UInt64 {
        blocks.reduce(RecordFraming.fileHeaderSize) { size, block in
            size + UInt64(RecordFraming.frame(sequence: block.height, payload: block.encoded()).count)
        }
    }

    @Test func anOpenBlockLogIsReservedAheadAndClosingTrimsIt() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            try store.append(Array(blocks[0..<3]))
            try store.append(Array(blocks[3...]))
            let size = try directory.size(of: "blocks.log")
            #expect(size > contentSize(blocks[...]))
            #expect(size % BlockStore.reservationChunk == 0)
        }
        #expect(try directory.size(of: "blocks.log") == contentSize(blocks[...]))
    }

    @Test func zerosAfterTheLastBlockAreTheEndNotDamage() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            try store.append(blocks)
        }
        // What a crash leaves: the reservation, untouched.
        try directory.append("blocks.log", [UInt8](repeating: 0, count: 70_000))
        let reservedSize = try directory.size(of: "blocks.log")
        do {
            let log = CapturedLog()
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
            #expect(store.height == 6)
            #expect(!log.contains("warning"))
            #expect(try directory.size(of: "blocks.log") == reservedSize)
            try store.append(next)
        }
        let reopened = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        #expect(reopened.height == 7)
        #expect(reopened.headHash == next.hash)
    }

    /// A crash in the middle of a write into the reservation can leave its later bytes on disk and its
    /// first ones still zero. Those bytes were never acknowledged; left there, a later write of a
    /// different length could line a stale record up as the next one.
    @Test func anUnfinishedWriteAfterTheLastBlockIsCut() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path))
            try store.append(blocks)
        }
        let size = try directory.size(of: "blocks.log")
        let stale = RecordFraming.frame(sequence: 7, payload: next.encoded())
        try directory.append("blocks.log", [UInt8](repeating: 0, count: 16) + stale.dropFirst(16))

        do {
            let log = CapturedLog()
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, logger: log.logger))
            #expect(store.height == 6)
            #expect(log.contains("warning", "unfinished write", "droppedBytes=\(stale.count)"))
            #expect(try directory.size(of: "blocks.log") == size)
            try store.append(next)
        }
        let reopened = try BlockStore(configuration: fixture.configuration(directory: directory.path))
        #expect(reopened.height == 7)
        #expect(try reopened.block(atHeight: 7) == next)
    }

    @Test func theStateLogTreatsItsTailTheSameWay() throws {
        let directory = try TemporaryDirectory()
        var expected = DurableState()
        let records: [DurableRecord] = [.view(1), .view(2), .view(3)]
        do {
            let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
            try store.append(records: records)
            for record in records { expected.apply(record) }
            #expect(try directory.size(of: "consensus.log") % ConsensusStateStore.reservationChunk == 0)
        }
        let size = try directory.size(of: "consensus.log")
        #expect(size < ConsensusStateStore.reservationChunk)

        // Zeros: the end of the log, kept as they are.
        try directory.append("consensus.log", [UInt8](repeating: 0, count: 4_096))
        do {
            let log = CapturedLog()
            let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica, logger: log.logger)
            #expect(store.state == expected)
            #expect(!log.contains("warning"))
        }

        // The rest of an unfinished write: cut, and the next record lands where it belongs.
        let stale = RecordFraming.frame(sequence: 4, payload: DurableRecord.view(9).encoded())
        try directory.append("consensus.log", [UInt8](repeating: 0, count: 16) + stale.dropFirst(16))
        do {
            let log = CapturedLog()
            let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica, logger: log.logger)
            #expect(store.state == expected)
            #expect(log.contains("warning", "unfinished write"))
            #expect(try directory.size(of: "consensus.log") == size)
            try store.append(.view(4))
            expected.apply(.view(4))
        }
        #expect(try ConsensusStateStore(directory: directory.path, replica: fixture.replica).state == expected)
    }
}
