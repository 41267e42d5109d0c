import Consensus
import Crypto
import Testing

@Suite("Wire format")
struct EncodingTests {
    @Test("every message kind survives an encode-decode round trip unchanged")
    func roundTrip() throws {
        let harness = try ReplicaHarness()
        let block = harness.block(height: 1, tag: "rt", events: 3)
        let prePrepare = Vote(phase: .prePrepare, view: 0, sequence: 1, digest: block.digest, signer: harness.signer(0))
        let prepares = [2, 3].map { Vote(phase: .prepare, view: 0, sequence: 1, digest: block.digest, signer: harness.signer($0)) }
        let commits = [0, 1, 2].map { Vote(phase: .commit, view: 0, sequence: 1, digest: block.digest, signer: harness.signer($0)) }
        let checkpoint = CheckpointCertificate(
            sequence: 4, stateDigest: block.digest,
            votes: [0, 1, 2].map { Vote(phase: .checkpoint, view: 0, sequence: 4, digest: block.digest, signer: harness.signer($0)) })
        let prepared = PreparedCertificate(prePrepare: prePrepare, prepares: prepares)
        let viewChange = ViewChange(newView: 1, checkpoint: checkpoint, prepared: [prepared], signer: harness.signer(2))
        let newView = NewView(view: 1, viewChanges: [viewChange], prePrepares: [prePrepare], signer: harness.signer(1))
        let response = StateResponse(
            view: 1, checkpoint: checkpoint,
            certificates: [CommitCertificate(view: 0, sequence: 1, digest: block.digest, votes: commits)],
            newView: newView, signer: harness.signer(3))
        let messages: [ConsensusMessage] = [
            .prePrepare(prePrepare, block),
            .vote(commits[0]),
            .viewChange(viewChange, blocks: [block]),
            .newView(newView, blocks: [block]),
            .stateRequest(StateRequest(view: 1, fromHeight: 7, signer: harness.signer(1))),
            .stateResponse(response, blocks: [block, block]),
            .forward(EventForward(events: makeEvents(4, tag: "fw"), signer: harness.signer(2))),
        ]
        for message in messages {
            let decoded = try ConsensusMessage.decode(
                message.encoded(chainID: harness.chainID), chainID: harness.chainID, limits: MessageLimits(), maxVotes: 4)
            #expect(decoded == message, "\(message.kindName)")
        }
    }

    @Test("decoding refuses truncation, trailing bytes, unknown kinds, versions and oversized counts with a reason")
    func decodeErrors() throws {
        let harness = try ReplicaHarness()
        let block = harness.block(height: 1, tag: "e")
        let frame = harness.frame(harness.prePrepare(block))
        func error(_ bytes: [UInt8], limits: MessageLimits = MessageLimits()) -> String {
            do {
                _ = try ConsensusMessage.decode(bytes, chainID: harness.chainID, limits: limits, maxVotes: 4)
                return "decoded"
            } catch {
                return error.description
            }
        }
        #expect(error(Array(frame.dropLast(3))).contains("ends inside"))
        #expect(error(frame + [0]).contains("unexpected bytes"))
        var version = frame
        version[0] = 9
        #expect(error(version).contains("format version"))
        #expect(error([]).contains("ends inside"))
        #expect(error(frame, limits: MessageLimits(maxFrameBytes: 10)).contains("frame is"))
        #expect(error(frame, limits: MessageLimits(maxEventBytes: 4)).contains("event payload"))
        var kind = frame
        kind[1 + 4 + harness.chainID.utf8.count] = 200
        #expect(error(kind).contains("message kind"))
        // A count field claiming four billion votes must be refused before anything is allocated.
        var writer = ByteWriter()
        writer.write(ConsensusMessage.formatVersion)
        writer.write(harness.chainID)
        writer.write(UInt8(6))  // state response
        writer.write(ReplicaID(2))
        writer.write(UInt64(0))
        writer.write(UInt64(0))
        writer.write(SHA256Hash.zero)
        writer.write(UInt32.max)
        #expect(error(writer.bytes).contains("above the limit"))
    }

    @Test("a block's digest binds chain, height and events; the chain hash binds the previous hash")
    func digests() throws {
        let events = makeEvents(3, tag: "d")
        let block = Block(chainID: "a", height: 1, events: events)
        #expect(block.digest != Block(chainID: "b", height: 1, events: events).digest)
        #expect(block.digest != Block(chainID: "a", height: 2, events: events).digest)
        #expect(block.digest != Block(chainID: "a", height: 1, events: Array(events.reversed())).digest)
        #expect(block.digest == Block(chainID: "a", height: 1, events: events).digest)
        #expect(CommittedBlock.chainHash(previous: .zero, digest: block.digest) != CommittedBlock.chainHash(previous: block.digest, digest: block.digest))
        #expect(Event(payload: Array("x".utf8)).id == SHA256Hash.sha256(Array("x".utf8)))
    }

    /// The digest's bytes, spelled out here without the writer, so that a faster writer cannot change
    /// what stored certificates signed.
    @Test("a block digest is SHA-256 over the domain tag, chain id, height, event count and event ids")
    func digestLayout() {
        let events = makeEvents(3, tag: "layout")
        var expected = Array("hierachain/block/v1".utf8)
        expected += [0, 0, 0, 5] + Array("chain".utf8)
        expected += [0, 0, 0, 0, 0, 0, 0, 9]
        expected += [0, 0, 0, 0, 0, 0, 0, 3]
        for event in events { expected += event.id.bytes }
        #expect(Block(chainID: "chain", height: 9, events: events).digest == SHA256Hash.sha256(expected))
        let emptyBlock = Array(expected.prefix(19 + 9 + 8)) + [0, 0, 0, 0, 0, 0, 0, 0]
        #expect(Block(chainID: "chain", height: 9, events: []).digest == SHA256Hash.sha256(emptyBlock))
    }

    @Test("a run of digests is written as each digest would be, and a byte string is read into an array of its own")
    func bulkDigestsAndOwnedByteStrings() throws {
        let digests = (0..<5).map { SHA256Hash.sha256(Array("bulk-\($0)".utf8)) }
        var one = ByteWriter()
        for digest in digests { one.write(digest) }
        var bulk = ByteWriter()
        bulk.write(digests)
        #expect(bulk.bytes == one.bytes)
        var empty = ByteWriter()
        empty.write([SHA256Hash]())
        #expect(empty.bytes.isEmpty)

        var writer = ByteWriter()
        writer.writeLengthPrefixed([1, 2, 3])
        writer.writeLengthPrefixed([UInt8]())
        writer.writeLengthPrefixed([9, 9])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readLengthPrefixedBytes(maximum: 3, field: "a") == [1, 2, 3])
        #expect(try reader.readLengthPrefixedBytes(maximum: 3, field: "b") == [])
        #expect(throws: WireFormatError.tooLarge(field: "c", length: 2, maximum: 1)) {
            try reader.readLengthPrefixedBytes(maximum: 1, field: "c")
        }
        var truncated = ByteReader(Array(writer.bytes.prefix(5)))
        #expect(throws: WireFormatError.truncated(field: "d")) { try truncated.readLengthPrefixedBytes(maximum: 3, field: "d") }
    }

    @Test("hashes print and parse as 64 hex digits")
    func hexRoundTrip() throws {
        let hash = SHA256Hash.sha256(Array("hex".utf8))
        #expect(SHA256Hash(hex: hash.hex) == hash)
        #expect(SHA256Hash(hex: hash.hex.uppercased()) == hash)
        #expect(SHA256Hash(hex: "xyz") == nil)
        #expect(SHA256Hash(hex: String(repeating: "g", count: 64)) == nil)
        #expect(SHA256Hash(bytes: hash.bytes) == hash)
        #expect(SHA256Hash(bytes: [1, 2, 3]) == nil)
    }
}

@Suite("Quorums, configuration and durable state")
struct ConfigurationTests {
    static func validators(_ count: Int) throws -> ValidatorSet {
        try ValidatorSet((0..<count).map { Validator(id: ReplicaID(UInt32($0)), publicKey: Curve25519.Signing.PrivateKey().publicKey) })
    }

    @Test("f and quorum sizes for n = 1…10", arguments: [
        (1, 0, 1), (2, 0, 2), (3, 0, 2), (4, 1, 3), (5, 1, 4), (6, 1, 4), (7, 2, 5), (8, 2, 6), (9, 2, 6), (10, 3, 7),
    ])
    func quorums(validatorCount: Int, faults: Int, quorum: Int) throws {
        let set = try Self.validators(validatorCount)
        #expect(set.faultTolerance == faults)
        #expect(set.quorum == quorum)
        // Two quorums always share a correct replica.
        #expect(2 * set.quorum - validatorCount >= faults + 1)
        #expect(set.primary(of: 0) == ReplicaID(0))
        #expect(set.primary(of: UInt64(validatorCount)) == ReplicaID(0))
    }

    @Test("unusable settings are refused with a message naming them")
    func invalidConfiguration() throws {
        #expect(throws: ConfigurationError.self) { try ValidatorSet([]) }
        #expect(throws: ConfigurationError.self) {
            try ValidatorSet([Validator(id: ReplicaID(1), publicKey: Curve25519.Signing.PrivateKey().publicKey)])
        }
        let set = try Self.validators(4)
        let cases: [(String, (inout ReplicaConfiguration) -> Void)] = [
            ("batch size", { $0.maxBatchEvents = 0 }),
            ("checkpoint interval", { $0.checkpointInterval = 0 }),
            ("watermark window", { $0.watermarkWindow = 1 }),
            ("view-change timeout", { $0.viewChangeTimeout = .zero }),
            ("chain id", { $0.chainID = "" }),
        ]
        for (name, breakIt) in cases {
            var configuration = ReplicaConfiguration(chainID: "c", validators: set)
            breakIt(&configuration)
            #expect(throws: ConfigurationError.self, "\(name)") { try configuration.validate() }
            do {
                try configuration.validate()
            } catch {
                #expect(error.description.contains(name), "\(error.description)")
            }
        }
        let key = Curve25519.Signing.PrivateKey()
        let ledger = InMemoryLedgerStub()
        #expect(throws: ConfigurationError.self) {
            try Replica(configuration: ReplicaConfiguration(chainID: "c", validators: set), id: ReplicaID(0), signingKey: key, ledger: ledger)
        }
        #expect(throws: ConfigurationError.self) {
            try Replica(configuration: ReplicaConfiguration(chainID: "c", validators: set), id: ReplicaID(7), signingKey: key, ledger: ledger)
        }
    }

    @Test("durable state keeps the highest view, the latest vote per slot and prunes below the checkpoint")
    func durableState() throws {
        let harness = try ReplicaHarness()
        let block = harness.block(height: 5, tag: "ds")
        var state = DurableState()
        state.apply(.view(3))
        state.apply(.view(2))
        #expect(state.view == 3)
        let vote = Vote(phase: .prepare, view: 3, sequence: 5, digest: block.digest, signer: harness.signer(1))
        state.apply(.vote(vote))
        let checkpoint = CheckpointCertificate(sequence: 4, stateDigest: block.digest, votes: [])
        state.apply(.stableCheckpoint(checkpoint))
        #expect(state.records.contains(.vote(vote)))
        state.apply(.stableCheckpoint(CheckpointCertificate(sequence: 8, stateDigest: block.digest, votes: [])))
        #expect(!state.records.contains(.vote(vote)))
        var rebuilt = DurableState()
        for record in state.records { rebuilt.apply(record) }
        #expect(rebuilt == state)
    }
}

/// A ledger with nothing in it, for constructing replicas that are expected to be refused.
final class InMemoryLedgerStub: LedgerReader {
    var height: UInt64 { 0 }
    var headHash: SHA256Hash { .zero }
    func containsEvent(_ id: SHA256Hash) -> Bool { false }
    func committedBlocks(from height: UInt64, limit: Int) -> [CommittedBlock] { [] }
}

@Suite("Storage encoding")
struct StorageEncodingTests {
    @Test("committed blocks and every kind of durable record round-trip; corrupt bytes are refused")
    func roundTrips() throws {
        let harness = try ReplicaHarness()
        let block = harness.block(height: 3, tag: "store", events: 4)
        let commits = [0, 1, 2].map { Vote(phase: .commit, view: 1, sequence: 3, digest: block.digest, signer: harness.signer($0)) }
        let committed = CommittedBlock(
            block: block, certificate: CommitCertificate(view: 1, sequence: 3, digest: block.digest, votes: commits),
            previousHash: SHA256Hash.sha256(Array("prev".utf8)), duplicateEventIDs: [block.events[1].id])
        let limits = harness.configuration.limits
        let decoded = try CommittedBlock.decode(committed.encoded(), chainID: harness.chainID, limits: limits, maxVotes: 4)
        #expect(decoded == committed)
        #expect(decoded.hash == committed.hash)
        #expect(throws: WireFormatError.self) {
            try CommittedBlock.decode(Array(committed.encoded().dropLast()), chainID: harness.chainID, limits: limits, maxVotes: 4)
        }
        let prePrepare = Vote(phase: .prePrepare, view: 1, sequence: 3, digest: block.digest, signer: harness.signer(1))
        let prepared = PreparedCertificate(
            prePrepare: prePrepare, prepares: [2, 3].map { Vote(phase: .prepare, view: 1, sequence: 3, digest: block.digest, signer: harness.signer($0)) })
        let checkpoint = CheckpointCertificate(
            sequence: 4, stateDigest: block.digest,
            votes: [0, 1, 2].map { Vote(phase: .checkpoint, view: 0, sequence: 4, digest: block.digest, signer: harness.signer($0)) })
        let viewChange = ViewChange(newView: 1, checkpoint: checkpoint, prepared: [prepared], signer: harness.signer(2))
        let newView = NewView(view: 1, viewChanges: [viewChange], prePrepares: [prePrepare], signer: harness.signer(1))
        let records: [DurableRecord] = [
            .view(7), .vote(prePrepare), .prepared(prepared, block), .stableCheckpoint(checkpoint), .installedView(newView, blocks: [block]),
        ]
        for record in records {
            #expect(try DurableRecord.decode(record.encoded(), chainID: harness.chainID, limits: limits, maxVotes: 4) == record)
        }
        #expect(throws: WireFormatError.self) { try DurableRecord.decode([99], chainID: harness.chainID, limits: limits, maxVotes: 4) }
    }
}
