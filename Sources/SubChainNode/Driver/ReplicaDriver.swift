import Consensus
import Crypto
import Ledger
import Logging

/// The effectful shell around one ``Consensus/Replica``: it feeds the replica frames, client events and
/// timer firings one at a time, and performs the actions it returns.
///
/// ## Expected flow
/// ``start()`` once; then ``receive(_:)`` for each frame from a peer and ``submit(_:)`` for client events.
/// Timers are tasks on this actor. ``waitForCommit(_:timeout:)`` lets the HTTP API answer `?wait=commit`.
///
/// ## Guarantees
/// - Records the replica asks to persist are written (one fsync per input) before any later frame of the
///   same input is sent: a restarted node never contradicts a vote it sent.
/// - Committed blocks are appended to the ``Ledger/BlockStore`` (one fsync per input) before the next
///   input is handled, as ``Consensus/LedgerReader`` requires, and before any commit waiter is told.
/// - If storage fails the driver stops: it handles nothing more, sends nothing more, and reports the
///   failure in ``status``; the process should exit so that it is restarted from disk.
public actor ReplicaDriver {
    private var replica: Replica
    private let blocks: BlockStore
    private let state: ConsensusStateStore
    private let transport: any FrameTransport
    private let logger: Logger
    private var timers: [ReplicaTimer: (generation: UInt64, task: Task<Void, Never>)] = [:]
    private var timerGeneration: UInt64 = 0
    /// Requests waiting for their events to commit, by token, and the tokens waiting on each event.
    private var commitWaiters: [UInt64: CommitWaiter] = [:]
    private var waitingTokens: [SHA256Hash: [UInt64]] = [:]
    private var nextWaiter: UInt64 = 0
    /// The one task that answers waiters whose time ran out, and when it wakes.
    private var expiry: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)?
    private var failure: String?
    private var isShutDown = false

    /// Creates the driver, restoring the replica from the stores.
    /// - Throws: ``Consensus/ConfigurationError`` when the configuration or key does not fit the genesis.
    public init(
        configuration: ReplicaConfiguration, id: ReplicaID, signingKey: Curve25519.Signing.PrivateKey,
        blocks: BlockStore, state: ConsensusStateStore, transport: any FrameTransport,
        logger: Logger = Logger(label: "subchain.replica")
    ) throws(ConfigurationError) {
        replica = try Replica(configuration: configuration, id: id, signingKey: signingKey, ledger: blocks, durableState: state.state)
        self.blocks = blocks
        self.state = state
        self.transport = transport
        self.logger = logger
    }

    /// Starts the replica: it announces its view and asks peers for blocks it may have missed.
    public func start() { handle(.start) }

    /// Hands the replica a frame from a peer.
    public func receive(_ frame: [UInt8]) { handle(.receive(frame)) }

    /// Hands the replica frames from peers, in order.
    ///
    /// The records the whole batch produces are made durable with one fsync before any of its frames are
    /// sent: under load many frames gather while one batch is handled (the transport delivers them as
    /// ``InboundPeerFrames`` batches), and they then share one fsync instead of one each.
    public func receive(_ frames: [[UInt8]]) { handle(frames.map(ReplicaInput.receive)) }

    /// Hands the replica client events.
    /// - Returns: which events it holds and which it refused as overload; once the driver has stopped,
    ///   none, with the reason.
    public func submit(_ events: [Event]) -> SubmitOutcome {
        // A stopped driver handles no input: saying "accepted" would lose the events without a word.
        if let failure { return SubmitOutcome(accepted: [], overloaded: [], stopped: "its storage failed (\(failure))") }
        if isShutDown { return SubmitOutcome(accepted: [], overloaded: [], stopped: "it is shutting down") }
        let refused = Set(handle(.submit(events)))
        return SubmitOutcome(
            accepted: events.map(\.id).filter { !refused.contains($0) }, overloaded: events.map(\.id).filter { refused.contains($0) })
    }

    /// Waits until each event is committed, or `timeout` passes.
    /// - Returns: the height each event committed at, or `nil` for those not committed in time.
    public func waitForCommit(_ ids: [SHA256Hash], timeout: Duration) async -> [SHA256Hash: UInt64?] {
        var heights: [SHA256Hash: UInt64?] = [:]
        let locations = (try? blocks.locations(ofEvents: ids)) ?? [:]
        var waiting = Set<SHA256Hash>()
        for id in ids {
            if let location = locations[id] { heights[id] = location.height } else { waiting.insert(id) }
        }
        guard !waiting.isEmpty else { return heights }
        guard failure == nil, !isShutDown, timeout > .zero else {
            for id in waiting { heights[id] = .some(nil) }
            return heights
        }
        // One waiter for the whole request, however many events it holds.
        nextWaiter += 1
        let token = nextWaiter
        let deadline = ContinuousClock.now + timeout
        return await withCheckedContinuation { continuation in
            commitWaiters[token] = CommitWaiter(heights: heights, waiting: waiting, continuation: continuation, deadline: deadline)
            for id in waiting { waitingTokens[id, default: []].append(token) }
            scheduleExpiry(by: deadline)
        }
    }

    /// An event the replica holds and has not executed (pending, or in an accepted proposal), whichever
    /// node it was submitted to; `nil` otherwise.
    public func heldEvent(_ id: SHA256Hash) -> Event? { replica.heldEvent(id) }

    /// The replica's state, for status endpoints and metrics.
    public var status: ReplicaStatus {
        ReplicaStatus(
            nodeID: replica.id, chainID: replica.configuration.chainID, view: replica.view, primary: replica.primary,
            isChangingView: replica.isChangingView, height: replica.executedHeight, headHash: replica.headHash,
            stableCheckpoint: replica.stableCheckpoint.sequence, isCatchingUp: replica.isCatchingUp,
            pendingEvents: replica.pendingEventCount, counters: replica.counters, failure: failure)
    }

    /// Stops the driver: it handles no more input, its timers stop, and commit waiters are answered
    /// "not committed".
    public func shutdown() {
        isShutDown = true
        for (_, timer) in timers { timer.task.cancel() }
        timers.removeAll()
        for token in Array(commitWaiters.keys) { expireWaiter(token) }
        expiry?.task.cancel()
        expiry = nil
    }

    // MARK: - Performing actions

    /// Runs one input and performs its actions. - Returns: the ids of events refused as overload.
    @discardableResult
    private func handle(_ input: ReplicaInput) -> [SHA256Hash] { handle([input]) }

    /// Runs inputs in order and performs their actions. Records are made durable once, at the end, and
    /// every frame is sent after that; committed blocks are appended after each input, because the replica
    /// reads the ledger when it handles the next one.
    /// - Returns: the ids of events refused as overload.
    @discardableResult
    private func handle(_ inputs: [ReplicaInput]) -> [SHA256Hash] {
        guard failure == nil, !isShutDown else { return [] }
        var records: [DurableRecord] = []
        var outgoing: [(frame: [UInt8], peer: ReplicaID?)] = []
        var refused: [SHA256Hash] = []
        for input in inputs {
            var committed: [CommittedBlock] = []
            for action in replica.handle(input) {
                switch action {
                case .persist(let record):
                    records.append(record)
                case .send(let frame, let peer):
                    outgoing.append((frame, peer))
                case .broadcast(let frame):
                    outgoing.append((frame, nil))
                case .commit(let block):
                    committed.append(block)
                case .startTimer(let timer, let after):
                    schedule(timer, after: after)
                case .cancelTimer(let timer):
                    timers.removeValue(forKey: timer)?.task.cancel()
                case .rejectEvents(let ids, _):
                    refused += ids
                case .enteredView(let view, let primary):
                    logger.info("entered view", metadata: ["view": "\(view)", "primary": "\(primary)"])
                }
            }
            if !committed.isEmpty {
                do {
                    try blocks.append(committed)
                } catch {
                    stop("appending blocks \(committed.first!.height)…\(committed.last!.height) failed: \(error)")
                    return refused
                }
                notifyWaiters(of: committed)
            }
        }
        guard flush(&records) else { return refused }
        for (frame, peer) in outgoing {
            if let peer { transport.send(frame, to: peer) } else { transport.broadcast(frame) }
        }
        return refused
    }

    /// Makes pending records durable. - Returns: `false` when storage failed and the driver stopped.
    private func flush(_ records: inout [DurableRecord]) -> Bool {
        guard !records.isEmpty else { return true }
        do {
            try state.append(records: records)
            records.removeAll(keepingCapacity: true)
            return true
        } catch {
            stop("persisting consensus state failed: \(error)")
            return false
        }
    }

    private func stop(_ reason: String) {
        logger.critical("the node stops: \(reason)")
        failure = reason
        shutdown()
    }

    private func schedule(_ timer: ReplicaTimer, after duration: Duration) {
        timers[timer]?.task.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        let task = Task { [weak self] in
            do {
                try await Task.sleep(for: duration)
            } catch {
                return
            }
            await self?.fire(timer, generation: generation)
        }
        timers[timer] = (generation, task)
    }

    private func fire(_ timer: ReplicaTimer, generation: UInt64) {
        guard timers[timer]?.generation == generation else { return }
        timers[timer] = nil
        handle(.timerFired(timer))
    }

    private func notifyWaiters(of committed: [CommittedBlock]) {
        guard !waitingTokens.isEmpty else { return }
        for block in committed {
            for event in block.block.events where !block.duplicateEventIDs.contains(event.id) {
                guard let tokens = waitingTokens.removeValue(forKey: event.id) else { continue }
                for token in tokens {
                    guard var waiter = commitWaiters[token] else { continue }
                    waiter.heights[event.id] = block.height
                    waiter.waiting.remove(event.id)
                    if waiter.waiting.isEmpty {
                        commitWaiters[token] = nil
                        waiter.continuation.resume(returning: waiter.heights)
                    } else {
                        commitWaiters[token] = waiter
                    }
                }
            }
        }
    }

    /// Makes sure the expiry task wakes by `deadline`.
    ///
    /// One task for every waiter, rather than a sleeping task per request: under load a node answers
    /// hundreds of `?wait=commit` requests a second, nearly all before their time runs out, and a task
    /// and a timer each would cost more than the rest of the wait's bookkeeping.
    private func scheduleExpiry(by deadline: ContinuousClock.Instant) {
        if let expiry, expiry.deadline <= deadline { return }
        expiry?.task.cancel()
        let task = Task { [weak self] in
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            await self?.expireDueWaiters(scheduledFor: deadline)
        }
        expiry = (deadline, task)
    }

    /// Answers the waiters whose time ran out and sleeps until the next deadline, if any.
    private func expireDueWaiters(scheduledFor deadline: ContinuousClock.Instant) {
        // A task replaced by an earlier one can wake before its cancellation lands; the earlier one has
        // done its work by then.
        guard expiry?.deadline == deadline else { return }
        expiry = nil
        let now = ContinuousClock.now
        var next: ContinuousClock.Instant?
        for (token, waiter) in commitWaiters {
            if waiter.deadline <= now {
                expireWaiter(token)
            } else {
                next = min(next ?? waiter.deadline, waiter.deadline)
            }
        }
        if let next { scheduleExpiry(by: next) }
    }

    /// Answers a waiter with what committed so far; the rest are reported as not committed.
    private func expireWaiter(_ token: UInt64) {
        guard var waiter = commitWaiters.removeValue(forKey: token) else { return }
        for id in waiter.waiting {
            waiter.heights[id] = .some(nil)
            waitingTokens[id]?.removeAll { $0 == token }
            if waitingTokens[id]?.isEmpty == true { waitingTokens[id] = nil }
        }
        waiter.continuation.resume(returning: waiter.heights)
    }
}

/// A request waiting in ``ReplicaDriver/waitForCommit(_:timeout:)``: the heights known so far and the
/// events still to commit.
private struct CommitWaiter {
    var heights: [SHA256Hash: UInt64?]
    var waiting: Set<SHA256Hash>
    let continuation: CheckedContinuation<[SHA256Hash: UInt64?], Never>
    /// When the request stops waiting and reports the rest as not committed.
    let deadline: ContinuousClock.Instant
}
