import Consensus
import Crypto
import Testing

/// Bad signatures, truncated signatures, forged senders, unknown senders and foreign chains, for every
/// message kind: each is dropped with its reason and changes nothing.
@Suite("Input validation")
struct InputValidationTests {
    /// Builds one message of every kind as replica 1 (a backup in view 0) would receive it: the
    /// pre-prepare from the primary (node 0), everything else from node 2, each signed by `signing(sender)`.
    static func messages(_ harness: ReplicaHarness, signing: (UInt32) -> MessageSigner) -> [(String, ConsensusMessage)] {
        let block = harness.block(height: 1, tag: "v")
        let signer = signing(2)
        func vote(_ phase: VotePhase) -> Vote {
            Vote(phase: phase, view: 0, sequence: 1, digest: block.digest, signer: phase == .prePrepare ? signing(0) : signer)
        }
        let genesis = CheckpointCertificate(sequence: 0, stateDigest: harness.configuration.genesisHash, votes: [])
        let viewChange = ViewChange(newView: 1, checkpoint: genesis, prepared: [], signer: signer)
        return [
            ("pre-prepare", .prePrepare(vote(.prePrepare), block)),
            ("prepare", .vote(vote(.prepare))),
            ("commit", .vote(vote(.commit))),
            ("checkpoint", .vote(Vote(phase: .checkpoint, view: 0, sequence: 4, digest: block.digest, signer: signer))),
            ("suspect", .vote(Vote(phase: .suspect, view: 1, sequence: 0, digest: .zero, signer: signer))),
            ("view-change", .viewChange(viewChange, blocks: [])),
            ("state-request", .stateRequest(StateRequest(view: 0, fromHeight: 1, signer: signer))),
            ("state-response", .stateResponse(StateResponse(view: 0, checkpoint: genesis, certificates: [], newView: nil, signer: signer), blocks: [])),
            ("forward", .forward(EventForward(events: makeEvents(2, tag: "f"), signer: signer))),
        ]
    }

    /// ``messages(_:signing:)`` plus a NEW-VIEW for view 2 from its primary (node 2), which no valid
    /// message can be here without a quorum of view changes, so it joins only the rejection tests.
    static func allKinds(_ harness: ReplicaHarness, signing: (UInt32) -> MessageSigner) -> [(String, ConsensusMessage)] {
        let newView = NewView(view: 2, viewChanges: [], prePrepares: [], signer: signing(2))
        return messages(harness, signing: signing) + [("new-view", .newView(newView, blocks: []))]
    }

    /// Shortens the last 64-byte signature in a frame to 63 bytes, keeping the rest of the frame intact.
    static func truncatingLastSignature(_ frame: [UInt8]) -> [UInt8] {
        let prefix: [UInt8] = [0, 0, 0, 64]
        let position = (0...(frame.count - 68)).last { Array(frame[$0..<$0 + 4]) == prefix }!
        var bytes = frame
        bytes[position + 3] = 63
        bytes.remove(at: position + 4)
        return bytes
    }

    @Test("a correctly signed message of each kind is accepted")
    func validMessagesAccepted() throws {
        let harness = try ReplicaHarness()
        for (name, message) in Self.messages(harness, signing: harness.signer) {
            var copy = harness
            copy.deliver(message)
            #expect(copy.replica.counters.totalDrops == 0, "\(name) was dropped: \(copy.replica.counters.drops)")
        }
    }

    @Test("a flipped signature bit is dropped as a bad signature, for every kind")
    func badSignatures() throws {
        let harness = try ReplicaHarness()
        for (name, message) in Self.allKinds(harness, signing: harness.signer) {
            var bytes = harness.frame(message)
            // The signature of a single-signature message ends the signed part; flip a bit inside it by
            // locating its last occurrence of the 64-byte length prefix.
            let prefix: [UInt8] = [0, 0, 0, 64]
            let position = (0...(bytes.count - 68)).last { Array(bytes[$0..<$0 + 4]) == prefix }!
            bytes[position + 10] ^= 0x01
            var copy = harness
            let actions = copy.handle(.receive(bytes))
            #expect(copy.replica.counters.drops[.badSignature] == 1, "\(name): \(copy.replica.counters.drops)")
            #expect(!actions.contains { $0.hasEffect }, "\(name) had an effect")
        }
    }

    @Test("a truncated signature is dropped as malformed, for every kind")
    func truncatedSignatures() throws {
        let harness = try ReplicaHarness()
        for (name, message) in Self.allKinds(harness, signing: harness.signer) {
            let bytes = Self.truncatingLastSignature(harness.frame(message))
            var copy = harness
            let actions = copy.handle(.receive(bytes))
            #expect(copy.replica.counters.drops[.malformed] == 1, "\(name): \(copy.replica.counters.drops)")
            #expect(!actions.contains { $0.hasEffect }, "\(name) had an effect")
        }
    }

    @Test("a message claiming another validator's id is dropped as a bad signature, for every kind")
    func forgedSenders() throws {
        let harness = try ReplicaHarness()
        for (name, message) in Self.allKinds(harness, signing: { harness.forger(claiming: $0, withKeyOf: 3) }) {
            var copy = harness
            let actions = copy.deliver(message)
            #expect(copy.replica.counters.drops[.badSignature] == 1, "\(name): \(copy.replica.counters.drops)")
            #expect(!actions.contains { $0.hasEffect }, "\(name) had an effect")
        }
    }

    @Test("a sender outside the validator set, or claiming to be the receiver, is dropped")
    func unknownSenders() throws {
        let harness = try ReplicaHarness()
        let outsider = MessageSigner(replica: ReplicaID(9), key: Curve25519.Signing.PrivateKey(), chainID: harness.chainID)
        for signer in [outsider, harness.forger(claiming: 1, withKeyOf: 1)] {
            for (name, message) in Self.messages(harness, signing: { _ in signer }) {
                var copy = harness
                copy.deliver(message)
                #expect(copy.replica.counters.drops[.unknownSender] == 1, "\(name): \(copy.replica.counters.drops)")
            }
        }
    }

    @Test("a frame for another chain is dropped as wrong chain")
    func wrongChain() throws {
        var harness = try ReplicaHarness()
        let block = harness.block(height: 1, tag: "x")
        let foreign = MessageSigner(replica: ReplicaID(0), key: harness.keys[0], chainID: "other")
        let vote = Vote(phase: .prePrepare, view: 0, sequence: 1, digest: block.digest, signer: foreign)
        harness.handle(.receive(ConsensusMessage.prePrepare(vote, block).encoded(chainID: "other")))
        #expect(harness.replica.counters.drops[.wrongChain] == 1)
        // A signature made for another chain fails even inside a frame that names ours.
        harness.handle(.receive(ConsensusMessage.prePrepare(vote, block).encoded(chainID: harness.chainID)))
        #expect(harness.replica.counters.drops[.badSignature] == 1)
    }

    @Test("a pre-prepare whose block does not hash to its digest, or from a backup, is dropped")
    func invalidProposals() throws {
        var harness = try ReplicaHarness()
        let block = harness.block(height: 1, tag: "a")
        let other = harness.block(height: 1, tag: "b")
        let vote = Vote(phase: .prePrepare, view: 0, sequence: 1, digest: block.digest, signer: harness.signer(0))
        #expect(!harness.deliver(.prePrepare(vote, other)).contains { $0.hasEffect })
        #expect(harness.replica.counters.drops[.digestMismatch] == 1)
        #expect(!harness.deliver(harness.prePrepare(block, by: 2)).contains { $0.hasEffect })
        #expect(harness.replica.counters.drops[.wrongRole] == 1)
        let far = harness.block(height: 10_000, tag: "far")
        #expect(!harness.deliver(harness.prePrepare(far)).contains { $0.hasEffect })
        #expect(harness.replica.counters.drops[.outsideWindow] == 1)
        let doubled = Block(chainID: harness.chainID, height: 1, events: makeEvents(1, tag: "d") + makeEvents(1, tag: "d"))
        #expect(!harness.deliver(harness.prePrepare(doubled)).contains { $0.hasEffect })
        #expect(harness.replica.counters.drops[.invalidBlock] == 1)
    }

    @Test("random corruption of valid frames never crashes a replica")
    func corruptedFramesAreDropped() throws {
        let harness = try ReplicaHarness()
        var random = SystemRandomNumberGenerator()
        let frames = Self.messages(harness, signing: harness.signer).map { harness.frame($0.1) }
        var copy = harness
        for iteration in 0..<3_000 {
            var bytes = frames[iteration % frames.count]
            switch iteration % 3 {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            default: bytes.insert(contentsOf: (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }, at: Int.random(in: 0...bytes.count, using: &random))
            }
            copy.handle(.receive(bytes))
        }
        #expect(copy.replica.counters.totalDrops > 2_500)
        #expect(copy.ledger.height == 0)
    }
}
