import Consensus
import ConsensusSimulation
import Crypto

/// One replica under test, driven frame by frame, with every validator's key at hand to sign (or forge)
/// messages in their names.
struct ReplicaHarness {
    let keys: [Curve25519.Signing.PrivateKey]
    let configuration: ReplicaConfiguration
    let ledger: InMemoryLedger
    var durable = DurableState()
    var replica: Replica

    init(validatorCount: Int = 4, replicaIndex: UInt32 = 1, configure: (inout ReplicaConfiguration) -> Void = { _ in }) throws {
        keys = try (0..<validatorCount).map { try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8($0 + 1), count: 32)) }
        let validators = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        var configuration = ReplicaConfiguration(chainID: "harness", validators: validators, maxBatchEvents: 10, maxBatchWait: .zero, checkpointInterval: 4)
        configure(&configuration)
        self.configuration = configuration
        ledger = InMemoryLedger(genesisHash: configuration.genesisHash)
        replica = try Replica(configuration: configuration, id: ReplicaID(replicaIndex), signingKey: keys[Int(replicaIndex)], ledger: ledger)
    }

    var chainID: String { configuration.chainID }

    func signer(_ index: UInt32) -> MessageSigner {
        MessageSigner(replica: ReplicaID(index), key: keys[Int(index)], chainID: chainID)
    }

    /// A signer that claims to be `claimed` but holds `actual`'s key: a forged sender id.
    func forger(claiming claimed: UInt32, withKeyOf actual: UInt32) -> MessageSigner {
        MessageSigner(replica: ReplicaID(claimed), key: keys[Int(actual)], chainID: chainID)
    }

    func frame(_ message: ConsensusMessage) -> [UInt8] { message.encoded(chainID: chainID) }

    func decode(_ frame: [UInt8]) -> ConsensusMessage? {
        try? ConsensusMessage.decode(frame, chainID: chainID, limits: configuration.limits, maxVotes: keys.count)
    }

    func block(height: UInt64, tag: String, events: Int = 2) -> Block {
        Block(chainID: chainID, height: height, events: makeEvents(events, tag: tag))
    }

    func prePrepare(_ block: Block, view: UInt64 = 0, by index: UInt32 = 0) -> ConsensusMessage {
        .prePrepare(Vote(phase: .prePrepare, view: view, sequence: block.height, digest: block.digest, signer: signer(index)), block)
    }

    func vote(_ phase: VotePhase, _ block: Block, view: UInt64 = 0, by index: UInt32) -> ConsensusMessage {
        .vote(Vote(phase: phase, view: view, sequence: block.height, digest: block.digest, signer: signer(index)))
    }

    /// Hands the replica an input, applies its persist and commit actions as a shell would, and returns
    /// every action.
    @discardableResult
    mutating func handle(_ input: ReplicaInput) -> [ReplicaAction] {
        let actions = replica.handle(input)
        for action in actions {
            switch action {
            case .persist(let record): durable.apply(record)
            case .commit(let block): _ = ledger.append(block)
            default: break
            }
        }
        return actions
    }

    @discardableResult
    mutating func deliver(_ message: ConsensusMessage) -> [ReplicaAction] { handle(.receive(frame(message))) }

    /// Simulates a crash and restart: a new replica from the same ledger and durable state.
    mutating func restart() throws {
        replica = try Replica(configuration: configuration, id: replica.id, signingKey: keys[Int(replica.id.index)], ledger: ledger, durableState: durable)
    }

    /// The votes this replica sent (broadcast or to one peer), decoded.
    func sentVotes(in actions: [ReplicaAction]) -> [Vote] {
        actions.compactMap { action -> Vote? in
            let frame: [UInt8]
            switch action {
            case .broadcast(let bytes), .send(let bytes, _): frame = bytes
            default: return nil
            }
            switch decode(frame) {
            case .vote(let vote)?, .prePrepare(let vote, _)?: return vote
            default: return nil
            }
        }
    }
}

extension ReplicaAction {
    /// Whether the action reaches the outside world: a frame, a record or a block.
    var hasEffect: Bool {
        switch self {
        case .send, .broadcast, .persist, .commit: true
        case .startTimer, .cancelTimer, .rejectEvents, .enteredView: false
        }
    }
}
