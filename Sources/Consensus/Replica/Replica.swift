import Crypto

/// A PBFT replica (Castro & Liskov, OSDI '99) as a deterministic state machine.
///
/// The replica never touches a socket, a clock or a random source. The shell feeds it ``ReplicaInput``s
/// (frames from peers, client events, timer firings) and performs the ``ReplicaAction``s it returns, in
/// order. Given the same inputs and ledger, two replicas make the same decisions, which is what lets a
/// seeded simulator drive it through any schedule of faults.
///
/// ## Expected flow
/// The primary of view v (validator v mod n) batches client events into a block and sends PRE-PREPARE;
/// backups that accept it send PREPARE; a replica that holds the pre-prepare and a quorum of matching
/// prepares is *prepared* and sends COMMIT; a quorum of matching commits *commits* the block, and blocks
/// execute in height order into the ledger's hash chain. Every `checkpointInterval` blocks replicas sign
/// their ledger hash; a quorum of matching signatures makes a stable checkpoint, below which the log is
/// discarded. A primary that stalls pending work for the view-change timeout is replaced: replicas send
/// VIEW-CHANGE with their prepared certificates, and the next primary's NEW-VIEW re-proposes every block
/// that may have committed.
///
/// ## Guarantees
/// - Safety with at most f = ⌊(n−1)/3⌋ Byzantine replicas, under any message loss, delay or reordering:
///   no two correct replicas commit different blocks at one height.
/// - A replica never signs two digests for one (phase, view, sequence), across restarts, provided the
///   shell makes each ``ReplicaAction/persist(_:)`` durable before performing later sends.
/// - Memory is bounded: the log spans at most `watermarkWindow` sequence numbers, pending events at most
///   `maxPendingEvents` and `maxPendingBytes`, and per-peer buffers are capped.
///
/// ## Caveats
/// - Liveness needs the network to eventually deliver messages within the (doubling) view-change timeout.
/// - The ``LedgerReader`` must reflect every ``ReplicaAction/commit(_:)`` before the next input.
public struct Replica {
    public let configuration: ReplicaConfiguration
    /// This replica's validator id.
    public let id: ReplicaID
    let signer: MessageSigner
    let verifier: SignatureVerifier
    let ledger: any LedgerReader
    let genesisHash: SHA256Hash

    /// The view this replica is in, or is changing to.
    public internal(set) var view: UInt64
    /// Whether the replica is between views, waiting for a NEW-VIEW.
    public internal(set) var isChangingView = false
    /// The height of the last block this replica executed.
    public internal(set) var executedHeight: UInt64
    /// The ledger hash after ``executedHeight``.
    public internal(set) var headHash: SHA256Hash
    /// The latest stable checkpoint: the low watermark of the log.
    public internal(set) var stableCheckpoint: CheckpointCertificate
    /// What the replica has counted about itself.
    public internal(set) var counters = ReplicaCounters()

    var log: [UInt64: LogSlot] = [:]
    var nextSequence: UInt64
    var highestAccepted: UInt64
    /// Keys the replica's digest tables: derived from its signing key, so peers and clients cannot tell
    /// which event ids would share a slot.
    let tableSecret: UInt64
    var pending: PendingEvents
    /// The events of accepted proposals that have not executed, and the height each was proposed at.
    var inFlight: DigestTable
    var checkpointVotes: [UInt64: [ReplicaID: Vote]] = [:]
    var ownCheckpoints: [UInt64: SHA256Hash] = [:]
    var viewChanges: [ReplicaID: ReceivedViewChange] = [:]
    var suspicions: [ReplicaID: UInt64] = [:]
    var viewChangeRetransmitted = false
    var installedNewView: InstalledNewView?
    var consecutiveViewChanges = 0
    var runningTimers: Set<ReplicaTimer> = []
    var futureMessages: [ReplicaID: [ConsensusMessage]] = [:]
    var higherViews: [ReplicaID: UInt64] = [:]
    var peersAhead: [ReplicaID: UInt64] = [:]
    var stateTransfer = StateTransferProgress()
    var durable: DurableState

    // Scratch state of the input being handled.
    var actions: [ReplicaAction] = []
    var executedThisInput = ExecutedEvents()

    /// Creates a replica, or restores one after a restart.
    ///
    /// - Parameters:
    ///   - configuration: the chain's parameters; validated here.
    ///   - id: this validator's id; its public key in the validator set must match `signingKey`.
    ///   - signingKey: this validator's Ed25519 private key.
    ///   - ledger: the committed ledger, read-only.
    ///   - durableState: what the replica persisted before it stopped; empty for a fresh replica.
    /// - Throws: ``ConfigurationError`` when the configuration is unusable or the key is not `id`'s.
    public init(
        configuration: ReplicaConfiguration,
        id: ReplicaID,
        signingKey: Curve25519.Signing.PrivateKey,
        ledger: any LedgerReader,
        durableState: DurableState = DurableState()
    ) throws(ConfigurationError) {
        try configuration.validate()
        guard let publicKey = configuration.validators.publicKey(of: id) else {
            throw .invalid("\(id) is not in the validator set of \(configuration.validators.count) validators")
        }
        guard publicKey.rawRepresentation == signingKey.publicKey.rawRepresentation else {
            throw .invalid("the signing key is not the one the genesis lists for \(id)")
        }
        self.configuration = configuration
        self.id = id
        signer = MessageSigner(replica: id, key: signingKey, chainID: configuration.chainID)
        verifier = SignatureVerifier(validators: configuration.validators, chainID: configuration.chainID)
        tableSecret = DigestTable.secret(from: signingKey.rawRepresentation)
        pending = PendingEvents(tableSecret: tableSecret)
        inFlight = DigestTable(secret: tableSecret)
        self.ledger = ledger
        genesisHash = configuration.genesisHash
        durable = durableState
        view = durableState.view
        // Restarted between asking for a view and receiving its NEW-VIEW: still changing views, and
        // forbidden to vote until the NEW-VIEW comes.
        isChangingView = durableState.installedView < durableState.view
        installedNewView = durableState.installedNewView.map { InstalledNewView(newView: $0, blocks: durableState.installedNewViewBlocks) }
        executedHeight = ledger.height
        headHash = ledger.height == 0 ? genesisHash : ledger.headHash
        stableCheckpoint = durableState.stableCheckpoint ?? CheckpointCertificate(sequence: 0, stateDigest: genesisHash, votes: [])
        highestAccepted = executedHeight
        // A restarted primary must not propose again at a sequence it already proposed in this view.
        let restoredView = durableState.view
        let proposedHere = durableState.votes.keys.filter { $0.phase == .prePrepare && $0.view == restoredView }.map(\.sequence).max() ?? 0
        nextSequence = max(executedHeight, stableCheckpoint.sequence, proposedHere) + 1
        for (sequence, entry) in durableState.prepared where sequence > stableCheckpoint.sequence {
            var slot = LogSlot()
            slot.prepared = entry.certificate
            slot.preparedBlock = entry.block
            log[sequence] = slot
        }
    }

    /// Handles one input and returns what the shell must do, in order.
    public mutating func handle(_ input: ReplicaInput) -> [ReplicaAction] {
        executedThisInput.reset()
        switch input {
        case .start:
            if isChangingView {
                announceViewChange()
            } else {
                actions.append(.enteredView(view, primary: primary))
            }
            requestStateTransfer(upTo: stableCheckpoint.sequence)
        case .receive(let bytes):
            receive(bytes)
        case .submit(let events):
            submit(events)
        case .timerFired(let timer):
            guard runningTimers.remove(timer) != nil else { break }
            timerFired(timer)
        }
        updateProgressTimer()
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    // MARK: - Derived state

    var validators: ValidatorSet { configuration.validators }
    /// The primary of the current view.
    public var primary: ReplicaID { validators.primary(of: view) }
    var isPrimary: Bool { primary == id }
    var lowWatermark: UInt64 { stableCheckpoint.sequence }
    var highWatermark: UInt64 { lowWatermark + configuration.watermarkWindow }
    /// Client events this replica holds that are not yet in an accepted proposal.
    public var pendingEventCount: Int { pending.count }
    /// The number of sequence numbers the replica keeps log entries for; bounded by the watermark window.
    public var retainedLogEntries: Int { log.count }
    /// A client event this replica holds and has not executed: waiting to be proposed, or in a proposal it
    /// accepted. `nil` for events it never saw, and for executed ones (the ledger has those).
    public func heldEvent(_ id: SHA256Hash) -> Event? {
        if let event = pending.event(withID: id) { return event }
        guard let sequence = inFlight[id], let slot = log[sequence] else { return nil }
        return (slot.block ?? slot.preparedBlock)?.events.first { $0.id == id }
    }

    /// Whether the replica is fetching blocks it missed.
    public var isCatchingUp: Bool { stateTransfer.active }

    /// The events this replica has not seen: not pending, not in a proposal, not committed; each id once,
    /// in the order given. The ledger is asked about all of them in one query.
    mutating func unknownEvents(_ events: [Event]) -> [Event] {
        var seen = DigestTable(secret: tableSecret, minimumCapacity: events.count)
        var candidates: [Event] = []
        for event in events where seen.insert(event.id) {
            if pending.contains(event.id) || inFlight[event.id] != nil || executedThisInput.contains(event.id) { continue }
            candidates.append(event)
        }
        guard !candidates.isEmpty else { return [] }
        let committed = ledger.committedEvents(among: candidates.map(\.id))
        return committed.isEmpty ? candidates : candidates.filter { !committed.contains($0.id) }
    }

    /// Whether this replica may sign `digest` for (phase, view, sequence) without contradicting a vote it
    /// signed before, possibly before a restart.
    func mayVote(_ phase: VotePhase, view: UInt64, sequence: UInt64, digest: SHA256Hash) -> Bool {
        guard let earlier = durable.votedDigest(phase, view: view, sequence: sequence) else { return true }
        return earlier == digest
    }

    // MARK: - Effects

    mutating func broadcast(_ message: ConsensusMessage) {
        guard validators.count > 1 else { return }
        actions.append(.broadcast(message.encoded(chainID: configuration.chainID)))
    }

    mutating func send(_ message: ConsensusMessage, to peer: ReplicaID) {
        guard peer != id else { return }
        actions.append(.send(message.encoded(chainID: configuration.chainID), to: peer))
    }

    mutating func persist(_ record: DurableRecord) {
        durable.apply(record)
        actions.append(.persist(record))
    }

    mutating func startTimer(_ timer: ReplicaTimer, after duration: Duration) {
        runningTimers.insert(timer)
        actions.append(.startTimer(timer, after: duration))
    }

    mutating func cancelTimer(_ timer: ReplicaTimer) {
        guard runningTimers.remove(timer) != nil else { return }
        actions.append(.cancelTimer(timer))
    }

    /// Views more than this far ahead of ours are refused: no honest replica gets there by timeouts, and
    /// accepting them would let a faulty peer push views towards overflow.
    static let maxViewJump: UInt64 = 1 << 20

    /// Whether a view named by a peer is one this replica could plausibly reach.
    func isPlausible(view candidate: UInt64) -> Bool {
        candidate <= view || candidate - view <= Self.maxViewJump
    }

    /// The view-change timeout, doubled for every view change since the last progress.
    var currentViewChangeTimeout: Duration {
        var timeout = configuration.viewChangeTimeout
        for _ in 0..<min(consecutiveViewChanges, 32) where timeout < configuration.maxViewChangeTimeout {
            timeout *= 2
        }
        return min(timeout, configuration.maxViewChangeTimeout)
    }

    /// Runs the progress timer exactly while there is work this replica expects the primary to finish.
    mutating func updateProgressTimer() {
        let waiting = !isChangingView && !stateTransfer.active
            && (!pending.isEmpty || highestAccepted > executedHeight || log.keys.contains { $0 > executedHeight })
        if waiting, !runningTimers.contains(.progress) {
            startTimer(.progress, after: currentViewChangeTimeout)
        } else if !waiting {
            cancelTimer(.progress)
        }
    }

    mutating func timerFired(_ timer: ReplicaTimer) {
        switch timer {
        case .batch:
            proposeIfReady(flush: true)
        case .progress:
            suspectPrimary()
        case .viewChange:
            if isChangingView { viewChangeTimedOut() }
        case .stateTransfer:
            if stateTransfer.active { sendStateRequest(rotating: true) }
        }
    }

    // MARK: - Frames

    mutating func receive(_ bytes: [UInt8]) {
        let message: ConsensusMessage
        do {
            message = try ConsensusMessage.decode(
                bytes, chainID: configuration.chainID, limits: configuration.limits, maxVotes: validators.count)
        } catch {
            counters.drop(error.isWrongChain ? .wrongChain : .malformed)
            return
        }
        let sender = message.sender
        guard validators.contains(sender), sender != id else {
            counters.drop(.unknownSender)
            return
        }
        counters.received[message.kindName, default: 0] += 1
        guard isPlausible(view: message.view) else { return counters.drop(.outsideWindow) }
        switch message {
        case .prePrepare(let vote, let block):
            guard vote.phase == .prePrepare else { return counters.drop(.malformed) }
            receivePrePrepare(vote, block, verified: false)
        case .vote(let vote):
            switch vote.phase {
            case .prePrepare: counters.drop(.malformed)
            case .prepare, .commit: receiveVote(vote, verified: false)
            case .checkpoint: receiveCheckpoint(vote)
            case .suspect: receiveSuspicion(vote)
            }
        case .viewChange(let viewChange, let blocks):
            receiveViewChange(viewChange, blocks: blocks)
        case .newView(let newView, let blocks):
            receiveNewView(newView, blocks: blocks, relayed: false)
        case .stateRequest(let request):
            receiveStateRequest(request)
        case .stateResponse(let response, let blocks):
            receiveStateResponse(response, blocks: blocks)
        case .forward(let forward):
            receiveForward(forward)
        }
    }
}

/// A view change with the blocks of its prepared certificates.
struct ReceivedViewChange {
    let viewChange: ViewChange
    let blocks: [Block]
}

/// The NEW-VIEW that started the current view, kept to help replicas that missed it.
struct InstalledNewView {
    let newView: NewView
    let blocks: [Block]
}

/// Where a state transfer stands.
struct StateTransferProgress {
    var active = false
    var target: UInt64 = 0
    var peerCursor: UInt32 = 0
    var peer: ReplicaID?
}
