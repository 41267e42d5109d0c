import Consensus
import Crypto

/// Random delays, loss and duplication applied to every frame.
public struct NetworkConditions: Sendable {
    public var dropRate: Double
    public var duplicateRate: Double
    public var minDelay: Duration
    public var maxDelay: Duration

    public init(dropRate: Double = 0, duplicateRate: Double = 0, minDelay: Duration = .microseconds(200), maxDelay: Duration = .milliseconds(2)) {
        self.dropRate = dropRate
        self.duplicateRate = duplicateRate
        self.minDelay = minDelay
        self.maxDelay = maxDelay
    }

    /// A network that delivers every frame once, in a short random delay.
    public static let reliable = NetworkConditions()
}

/// A seeded, deterministic network of real replicas with real signatures, in virtual time.
///
/// The simulation owns a clock, a queue of scheduled deliveries and timer firings, and one
/// ``SimulatedNode`` per replica. It delays, drops, duplicates and reorders frames, partitions and
/// heals the network, crashes and restarts replicas from their durable state, and lets some replicas
/// misbehave. After every commit it checks the safety invariants: no two correct replicas commit
/// different blocks at one height, every committed block carries a valid commit certificate, blocks link
/// into a hash chain and no event commits twice. The same seed replays the same run.
public final class Simulation {
    public let seed: UInt64
    public let configuration: ReplicaConfiguration
    public private(set) var nodes: [SimulatedNode] = []
    /// Virtual time, in microseconds.
    public private(set) var now: UInt64 = 0
    public var conditions: NetworkConditions
    /// Inputs handled so far.
    public private(set) var steps = 0
    /// Safety violations seen, with the step and time at which they happened. Empty in a correct run.
    public private(set) var violations: [String] = []
    /// Whether each committed block's certificate signatures are verified (the benchmark turns this off
    /// to measure consensus alone; tests leave it on).
    public var verifiesCertificates = true
    /// Decides, for each frame about to be sent, whether the network carries it: `false` drops it. Tests
    /// use it to cut particular messages.
    public var frameFilter: ((_ from: SimulatedNode, _ to: SimulatedNode, _ frame: [UInt8]) -> Bool)?
    /// Sees every action every replica returns, in order, before it is performed.
    public var actionObserver: ((_ node: SimulatedNode, _ action: ReplicaAction) -> Void)?
    /// Events refused by replicas as overload.
    public private(set) var rejectedEvents = 0

    private var queue = EventQueue<Scheduled>()
    private var random: SeededRandom
    private var partition: [ReplicaID: Int]?
    private var agreedDigests: [UInt64: SHA256Hash] = [:]
    private var verifiedSignatures: Set<[UInt8]> = []
    private let verifier: SignatureVerifier

    private enum Scheduled {
        case deliver([UInt8], to: Int, from: ReplicaID)
        case timer(ReplicaTimer, node: Int, generation: UInt64)
        case submit([Event], node: Int)
    }

    /// Builds a network of `validatorCount` replicas with keys drawn from `seed`.
    ///
    /// - Parameters:
    ///   - validatorCount: n.
    ///   - seed: every random choice derives from it.
    ///   - conditions: the network's behaviour; may be changed while running.
    ///   - twins: ids that get a second replica with the same key (a Byzantine double).
    ///   - configure: adjusts the replica configuration (timeouts, batch size, checkpoint interval).
    public init(
        validatorCount: Int,
        seed: UInt64,
        conditions: NetworkConditions = .reliable,
        twins: [ReplicaID] = [],
        configure: (inout ReplicaConfiguration) -> Void = { _ in }
    ) throws {
        self.seed = seed
        self.conditions = conditions
        var random = SeededRandom(seed: seed)
        var keys: [Curve25519.Signing.PrivateKey] = []
        for _ in 0..<validatorCount {
            var bytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
            keys.append(try Curve25519.Signing.PrivateKey(rawRepresentation: bytes))
        }
        self.random = random
        let validators = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        var configuration = ReplicaConfiguration(
            chainID: "sim-\(seed)", validators: validators, maxBatchEvents: 16, maxBatchWait: .milliseconds(1),
            viewChangeTimeout: .milliseconds(100), checkpointInterval: 8, maxProposalsInFlight: 16,
            stateTransferTimeout: .milliseconds(50), maxBlocksPerStateResponse: 8)
        configure(&configuration)
        self.configuration = configuration
        verifier = SignatureVerifier(validators: validators, chainID: configuration.chainID)
        for (index, key) in keys.enumerated() {
            nodes.append(try makeNode(index: index, id: ReplicaID(UInt32(index)), key: key, isTwin: twins.contains(ReplicaID(UInt32(index)))))
        }
        for twin in twins {
            nodes.append(try makeNode(index: nodes.count, id: twin, key: keys[Int(twin.index)], isTwin: true))
        }
    }

    private func makeNode(index: Int, id: ReplicaID, key: Curve25519.Signing.PrivateKey, isTwin: Bool) throws -> SimulatedNode {
        let node = SimulatedNode(index: index, id: id, key: key, ledger: InMemoryLedger(genesisHash: configuration.genesisHash), isTwin: isTwin)
        node.replica = try Replica(configuration: configuration, id: id, signingKey: key, ledger: node.ledger)
        return node
    }

    // MARK: - Driving the run

    /// Sends every replica its start input.
    public func start() {
        for node in nodes { input(.start, to: node) }
    }

    /// Schedules client events to arrive at a node after `delay`.
    public func submit(_ events: [Event], to node: Int, after delay: Duration = .zero) {
        queue.push(.submit(events, node: node), at: now + Self.microseconds(delay))
    }

    /// Handles the next scheduled input. - Returns: `false` when nothing is scheduled.
    @discardableResult
    public func step() -> Bool {
        guard let (time, scheduled) = queue.pop() else { return false }
        now = max(now, time)
        switch scheduled {
        case .deliver(let frame, let index, let sender):
            let node = nodes[index]
            guard !node.isCrashed, canReach(from: sender, to: node.id) else { return true }
            if node.behaviour == .replaying, node.receivedFrames.count < 512 { node.receivedFrames.append(frame) }
            input(.receive(frame), to: node)
        case .timer(let timer, let index, let generation):
            let node = nodes[index]
            guard !node.isCrashed, node.timerGenerations[timer] == generation else { return true }
            input(.timerFired(timer), to: node)
        case .submit(let events, let index):
            guard !nodes[index].isCrashed else { return true }
            input(.submit(events), to: nodes[index])
        }
        return true
    }

    /// Runs for `duration` of virtual time.
    public func run(for duration: Duration) {
        let end = now + Self.microseconds(duration)
        while let next = queue.nextTime, next <= end { step() }
        now = max(now, end)
    }

    /// Runs until `condition` holds or `timeout` of virtual time passes.
    /// - Returns: whether the condition came to hold.
    @discardableResult
    public func run(until condition: () -> Bool, timeout: Duration) -> Bool {
        let end = now + Self.microseconds(timeout)
        while !condition() {
            guard let next = queue.nextTime, next <= end else {
                now = max(now, end)
                return condition()
            }
            step()
        }
        return true
    }

    /// Delivers a frame to a node after `delay`, as if `sender` had sent it, bypassing filters and loss.
    public func inject(_ frame: [UInt8], to node: Int, from sender: ReplicaID, after delay: Duration = .zero) {
        queue.push(.deliver(frame, to: node, from: sender), at: now + Self.microseconds(delay))
    }

    /// Decodes a frame of this simulation's chain, or `nil` when it does not decode.
    public func decode(_ frame: [UInt8]) -> ConsensusMessage? {
        try? ConsensusMessage.decode(frame, chainID: configuration.chainID, limits: configuration.limits, maxVotes: configuration.validators.count)
    }

    /// A signer holding the key of node `index`, for tests that forge or equivocate in its name.
    public func signer(for index: Int) -> MessageSigner {
        MessageSigner(replica: nodes[index].id, key: nodes[index].key, chainID: configuration.chainID)
    }

    // MARK: - Faults

    /// Stops a node: it loses its in-memory state and timers; its ledger and durable state remain.
    public func crash(_ index: Int) {
        nodes[index].replica = nil
        nodes[index].timerGenerations = [:]
    }

    /// Restarts a crashed node from its ledger and durable state, or from nothing when `wipe` is set.
    public func restart(_ index: Int, wipe: Bool = false) throws {
        let node = nodes[index]
        if wipe {
            node.ledger = InMemoryLedger(genesisHash: configuration.genesisHash)
            node.durable = DurableState()
        }
        node.replica = try Replica(configuration: configuration, id: node.id, signingKey: node.key, ledger: node.ledger, durableState: node.durable)
        node.restarts += 1
        input(.start, to: node)
    }

    /// Splits the network: frames cross only within a group. Ids in no group are isolated.
    public func partition(_ groups: [[ReplicaID]]) {
        var assignment: [ReplicaID: Int] = [:]
        for (group, members) in groups.enumerated() { for member in members { assignment[member] = group } }
        partition = assignment
    }

    /// Removes any partition.
    public func heal() { partition = nil }

    private func canReach(from sender: ReplicaID, to receiver: ReplicaID) -> Bool {
        guard let partition else { return true }
        guard let a = partition[sender], let b = partition[receiver] else { return false }
        return a == b
    }

    // MARK: - Inspection

    /// The nodes for which safety must hold.
    public var correctNodes: [SimulatedNode] { nodes.filter(\.isCorrect) }

    /// Whether every correct, running node has committed every event in `ids` and all share one chain head.
    public func correctNodesAgree(onEvents ids: [SHA256Hash]) -> Bool {
        let running = correctNodes.filter { !$0.isCrashed }
        guard let first = running.first else { return false }
        return running.allSatisfy { node in
            node.ledger.headHash == first.ledger.headHash && ids.allSatisfy { node.ledger.containsEvent($0) }
        }
    }

    /// The virtual time a duration spans, in microseconds.
    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    // MARK: - Performing actions

    private func input(_ input: ReplicaInput, to node: SimulatedNode) {
        // Move the replica out while it runs, so its collections stay uniquely referenced and are
        // mutated in place rather than copied on every input.
        guard var replica = node.replica.take() else { return }
        steps += 1
        let actions = replica.handle(input)
        node.replica = replica
        perform(actions, of: node)
    }

    private func perform(_ actions: [ReplicaAction], of node: SimulatedNode) {
        for action in actions {
            actionObserver?(node, action)
            switch action {
            case .send(let frame, let peer):
                for target in nodes where target.id == peer { transmit(frame, from: node, to: target) }
            case .broadcast(let frame):
                if node.behaviour == .equivocating, equivocate(frame, from: node) { continue }
                for target in nodes where target.id != node.id { transmit(frame, from: node, to: target) }
            case .persist(let record):
                node.durable.apply(record)
            case .commit(let block):
                check(block, committedBy: node)
            case .startTimer(let timer, let duration):
                let generation = (node.timerGenerations[timer] ?? 0) + 1
                node.timerGenerations[timer] = generation
                queue.push(.timer(timer, node: node.index, generation: generation), at: now + Self.microseconds(duration))
            case .cancelTimer(let timer):
                node.timerGenerations[timer] = (node.timerGenerations[timer] ?? 0) + 1
            case .rejectEvents(let ids, _):
                rejectedEvents += ids.count
            case .enteredView:
                break
            }
            if node.behaviour == .replaying, !node.receivedFrames.isEmpty, random.chance(0.2) {
                let frame = node.receivedFrames[Int.random(in: 0..<node.receivedFrames.count, using: &random)]
                transmit(frame, from: node, to: nodes[Int.random(in: 0..<nodes.count, using: &random)])
            }
        }
    }

    private func transmit(_ frame: [UInt8], from sender: SimulatedNode, to target: SimulatedNode) {
        guard sender.behaviour != .silent, target.index != sender.index else { return }
        if let frameFilter, !frameFilter(sender, target, frame) { return }
        guard !random.chance(conditions.dropRate) else { return }
        let copies = random.chance(conditions.duplicateRate) ? 2 : 1
        for _ in 0..<copies {
            let low = Self.microseconds(conditions.minDelay)
            let high = max(low, Self.microseconds(conditions.maxDelay))
            queue.push(.deliver(frame, to: target.index, from: sender.id), at: now + UInt64.random(in: low...high, using: &random))
        }
    }

    /// An equivocating primary sends half the backups a different block for the same sequence, signed.
    /// - Returns: whether the frame was a pre-prepare and has been sent.
    private func equivocate(_ frame: [UInt8], from node: SimulatedNode) -> Bool {
        guard case .prePrepare(let vote, let block)? = decode(frame) else { return false }
        let signer = MessageSigner(replica: node.id, key: node.key, chainID: configuration.chainID)
        let otherEvents = block.events.count > 1 ? Array(block.events.dropLast()) : [Event(payload: Array("equivocation-\(vote.sequence)".utf8))]
        let other = Block(chainID: configuration.chainID, height: block.height, events: otherEvents)
        let otherVote = Vote(phase: .prePrepare, view: vote.view, sequence: vote.sequence, digest: other.digest, signer: signer)
        let otherFrame = ConsensusMessage.prePrepare(otherVote, other).encoded(chainID: configuration.chainID)
        for target in nodes where target.id != node.id {
            transmit(target.index % 2 == 0 ? frame : otherFrame, from: node, to: target)
        }
        return true
    }

    private func check(_ block: CommittedBlock, committedBy node: SimulatedNode) {
        if let problem = node.ledger.append(block) {
            if node.isCorrect { violate("\(node.id) ledger: \(problem)") }
            return
        }
        guard node.isCorrect else { return }
        let height = block.height
        if let agreed = agreedDigests[height], agreed != block.block.digest {
            violate("agreement: \(node.id) committed \(block.block.digest) at height \(height), another correct replica \(agreed)")
        }
        agreedDigests[height] = agreedDigests[height] ?? block.block.digest
        if verifiesCertificates, let problem = certificateProblem(block.certificate, for: block.block) {
            violate("certificate: \(node.id) committed height \(height) with \(problem)")
        }
    }

    private func certificateProblem(_ certificate: CommitCertificate, for block: Block) -> String? {
        guard certificate.sequence == block.height, certificate.digest == block.digest else { return "a certificate for another block" }
        var senders = Set<ReplicaID>()
        for vote in certificate.votes {
            guard vote.phase == .commit, vote.view == certificate.view, vote.sequence == block.height, vote.digest == block.digest else {
                return "a vote that does not match"
            }
            guard senders.insert(vote.sender).inserted else { return "two votes from \(vote.sender)" }
            if !verifiedSignatures.contains(vote.signature) {
                guard verifier.isValid(vote) else { return "an invalid signature from \(vote.sender)" }
                verifiedSignatures.insert(vote.signature)
            }
        }
        return senders.count >= configuration.validators.quorum ? nil : "\(senders.count) votes"
    }

    private func violate(_ message: String) {
        violations.append("seed \(seed), step \(steps), t=\(now)µs: \(message)")
    }
}
