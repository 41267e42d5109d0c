import Consensus
import Foundation
@testable import Ledger
import LedgerTesting
import Testing

@Suite("Consensus state store")
struct ConsensusStateStoreTests {
    let fixture: ChainFixture

    init() throws { fixture = try ChainFixture() }

    private func vote(_ phase: VotePhase, view: UInt64, sequence: UInt64, signer: Int = 0) -> Vote {
        Vote(phase: phase, view: view, sequence: sequence, digest: SHA256Hash.sha256([UInt8(sequence & 0xff), UInt8(view & 0xff)]), signer: fixture.signers[signer])
    }

    private func records(sequences: ClosedRange<UInt64>, view: UInt64 = 0) -> [DurableRecord] {
        sequences.flatMap { sequence -> [DurableRecord] in
            let block = fixture.block(height: sequence, previousHash: .zero, events: fixture.events([Int(sequence)])).block
            let prePrepare = Vote(phase: .prePrepare, view: view, sequence: sequence, digest: block.digest, signer: fixture.signers[0])
            let prepares = (1...2).map { Vote(phase: .prepare, view: view, sequence: sequence, digest: block.digest, signer: fixture.signers[$0]) }
            return [
                .vote(prePrepare),
                .prepared(PreparedCertificate(prePrepare: prePrepare, prepares: prepares), block),
                .vote(vote(.commit, view: view, sequence: sequence)),
            ]
        }
    }

    private func checkpoint(_ sequence: UInt64) -> DurableRecord {
        let digest = SHA256Hash.sha256([UInt8(sequence)])
        let votes = (0..<3).map { Vote(phase: .checkpoint, view: 0, sequence: sequence, digest: digest, signer: fixture.signers[$0]) }
        return .stableCheckpoint(CheckpointCertificate(sequence: sequence, stateDigest: digest, votes: votes))
    }

    @Test func recordsSurviveReopen() throws {
        let directory = try TemporaryDirectory()
        var expected = DurableState()
        let written = [DurableRecord.view(1)] + records(sequences: 1...5, view: 1) + [checkpoint(3)]
        do {
            let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
            try store.append(written[0])
            try store.append(records: Array(written[1...]))
            for record in written { expected.apply(record) }
            #expect(store.state == expected)
        }
        let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
        #expect(store.state == expected)
        #expect(store.state.view == 1)
        #expect(store.state.stableCheckpoint?.sequence == 3)
        #expect(store.recordCount == UInt64(written.count))
    }

    @Test func compactionKeepsTheState() throws {
        let directory = try TemporaryDirectory()
        let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
        for round in UInt64(0)..<20 {
            try store.append(records: records(sequences: round * 10 + 1...round * 10 + 10) + [checkpoint(round * 10 + 5)])
        }
        let before = store.state
        let sizeBefore = try directory.size(of: "consensus.log")
        try store.compact()
        #expect(store.state == before)
        #expect(store.recordCount == UInt64(before.records.count))
        #expect(try directory.size(of: "consensus.log") < sizeBefore / 5)
        #expect(!FileManager.default.fileExists(atPath: directory.file("consensus.log.compacting")))
        // Appends continue on the compacted log and everything survives a reopen.
        try store.append(.view(4))
        let reopened = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
        #expect(reopened.state == store.state)
        #expect(reopened.state.view == 4)
    }

    @Test func theLogCompactsItselfWhenItGrows() throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica, logger: log.logger)
        var expected = DurableState()
        for view in UInt64(1)...UInt64(ConsensusStateStore.minimumCompactionRecords) + 10 {
            try store.append(.view(view))
            expected.apply(.view(view))
        }
        #expect(log.contains("compacted"))
        #expect(store.recordCount < 100)
        #expect(try ConsensusStateStore(directory: directory.path, replica: fixture.replica).state == expected)
    }

    @Test(arguments: [UInt64(1), 20, 60])
    func aTornLastRecordIsIgnored(droppingLast bytes: UInt64) throws {
        let directory = try TemporaryDirectory()
        var expected = DurableState()
        do {
            let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica)
            let kept = records(sequences: 1...3)
            try store.append(records: kept)
            for record in kept { expected.apply(record) }
            try store.append(.vote(vote(.commit, view: 0, sequence: 4)))
        }
        try directory.truncate("consensus.log", droppingLast: bytes)
        let log = CapturedLog()
        let store = try ConsensusStateStore(directory: directory.path, replica: fixture.replica, logger: log.logger)
        #expect(store.state == expected)
        #expect(store.recordCount == 9)
        #expect(log.contains("warning", "damaged tail"))
        // The next append lands after the cut and reads back.
        try store.append(.view(2))
        expected.apply(.view(2))
        #expect(try ConsensusStateStore(directory: directory.path, replica: fixture.replica).state == expected)
    }
}
