/// The normal case: client events, proposals, prepares, commits and execution.
extension Replica {
    mutating func submit(_ events: [Event]) {
        var accepted: [Event] = []
        var rejected: [SHA256Hash] = []
        for event in unknownEvents(events) {
            guard hasRoom(for: event) else {
                rejected.append(event.id)
                continue
            }
            pending.append(event)
            accepted.append(event)
        }
        if !rejected.isEmpty { actions.append(.rejectEvents(rejected, reason: .overloaded)) }
        guard !accepted.isEmpty, !isChangingView else { return }
        if isPrimary {
            proposeIfReady(flush: false)
        } else {
            forwardToPrimary(accepted)
        }
    }

    /// Whether the pending set may take `event` within both its count and its byte limit.
    func hasRoom(for event: Event) -> Bool {
        pending.count < configuration.maxPendingEvents && pending.bytes + event.payload.count <= configuration.maxPendingBytes
    }

    /// Relays events to the primary in frames no larger than a block; the replica keeps them pending so
    /// that it notices, and relays them again, if the primary never orders them.
    mutating func forwardToPrimary(_ events: [Event]) {
        guard !isPrimary else { return }
        for chunk in forwardChunks(events) { send(.forward(chunk), to: primary) }
    }

    /// Splits events into signed forwards no larger than a block.
    func forwardChunks(_ events: [Event]) -> [EventForward] {
        var chunks: [EventForward] = []
        var start = 0
        while start < events.count {
            var end = start
            var bytes = 0
            while end < events.count, end - start < configuration.maxBatchEvents,
                bytes + events[end].payload.count <= configuration.limits.maxBlockBytes || end == start
            {
                bytes += events[end].payload.count
                end += 1
            }
            chunks.append(EventForward(events: Array(events[start..<end]), signer: signer))
            start = end
        }
        return chunks
    }

    /// Forwarded events join this replica's pending set whatever its role: the primary orders them, and a
    /// backup watches that the primary does (a replica forwards to everyone when it suspects the primary).
    mutating func receiveForward(_ forward: EventForward) {
        guard verifier.isValid(forward) else { return counters.drop(.badSignature) }
        var added: [Event] = []
        for event in unknownEvents(forward.events) where hasRoom(for: event) {
            pending.append(event)
            added.append(event)
        }
        guard !isChangingView else { return }
        if isPrimary {
            proposeIfReady(flush: false)
        } else {
            // Relay what is new to the primary at once: a backup must not sit on events it then blames the
            // primary for not ordering (a faulty peer could otherwise trigger view changes at will).
            forwardToPrimary(added)
        }
    }

    /// Proposes full batches at once and a partial batch when the batch timer fires (`flush`), as long as
    /// the sequence number fits under the high watermark and fewer than the allowed proposals are in flight.
    mutating func proposeIfReady(flush: Bool) {
        guard isPrimary, !isChangingView, executedHeight >= lowWatermark else { return }
        let inFlightLimit = executedHeight + UInt64(configuration.maxProposalsInFlight)
        while !pending.isEmpty, nextSequence <= highWatermark, nextSequence <= inFlightLimit {
            let full = pending.count >= configuration.maxBatchEvents
            guard full || flush || configuration.maxBatchWait == .zero else {
                if !runningTimers.contains(.batch) { startTimer(.batch, after: configuration.maxBatchWait) }
                return
            }
            let events = pending.take(maxCount: configuration.maxBatchEvents, maxBytes: configuration.limits.maxBlockBytes)
            propose(events)
        }
        if pending.isEmpty { cancelTimer(.batch) }
    }

    private mutating func propose(_ events: [Event]) {
        let sequence = nextSequence
        nextSequence += 1
        let block = Block(chainID: configuration.chainID, height: sequence, events: events)
        guard mayVote(.prePrepare, view: view, sequence: sequence, digest: block.digest) else {
            // Proposed something else here before a restart; those events wait for the next slot.
            for event in events { pending.append(event) }
            return
        }
        let prePrepare = Vote(phase: .prePrepare, view: view, sequence: sequence, digest: block.digest, signer: signer)
        persist(.vote(prePrepare))
        for id in block.eventIDs { inFlight[id] = sequence }
        log[sequence, default: LogSlot()].prePrepare = prePrepare
        log[sequence, default: LogSlot()].block = block
        log[sequence, default: LogSlot()].checkedOnAcceptance = true
        highestAccepted = max(highestAccepted, sequence)
        broadcast(.prePrepare(prePrepare, block))
        checkPrepared(sequence)
    }

    mutating func receivePrePrepare(_ prePrepare: Vote, _ block: Block, verified: Bool) {
        if prePrepare.view < view { return counters.drop(.staleView) }
        if prePrepare.view > view || isChangingView {
            return bufferForLaterView(.prePrepare(prePrepare, block), vote: prePrepare, verified: verified)
        }
        guard prePrepare.sender == primary else { return counters.drop(.wrongRole) }
        let sequence = prePrepare.sequence
        guard sequence > lowWatermark, sequence <= highWatermark else { return counters.drop(.outsideWindow) }
        if let accepted = log[sequence]?.prePrepare {
            guard accepted.digest != prePrepare.digest else { return counters.drop(.duplicate) }
            guard verified || verifier.isValid(prePrepare) else { return counters.drop(.badSignature) }
            // Two signed proposals for one slot prove the primary faulty.
            counters.drop(.conflictingProposal)
            return startViewChange(to: view + 1)
        }
        guard sequence > executedHeight else { return counters.drop(.duplicate) }
        guard block.digest == prePrepare.digest else { return counters.drop(.digestMismatch) }
        guard verified || verifier.isValid(prePrepare) else { return counters.drop(.badSignature) }
        guard block.height == sequence, isAcceptable(block) else { return counters.drop(.invalidBlock) }
        guard mayVote(.prepare, view: view, sequence: sequence, digest: block.digest) else {
            return counters.drop(.conflictingProposal)
        }
        accept(prePrepare, block: block)
        log[sequence]?.checkedOnAcceptance = true
    }

    /// A backup refuses blocks that would commit an event twice or exceed the batch limit.
    private mutating func isAcceptable(_ block: Block) -> Bool {
        guard block.eventIDs.count <= configuration.maxBatchEvents else { return false }
        var ids = DigestTable(secret: tableSecret, minimumCapacity: block.eventIDs.count)
        var unchecked: [SHA256Hash] = []
        for id in block.eventIDs {
            guard ids.insert(id) else { return false }
            if let sequence = inFlight[id], sequence != block.height { return false }
            if executedThisInput.contains(id) { return false }
            // A pending event was checked against the ledger when it arrived and leaves pending when it
            // commits: only the others need asking.
            if !pending.contains(id) { unchecked.append(id) }
        }
        return unchecked.isEmpty || ledger.committedEvents(among: unchecked).isEmpty
    }

    /// Records an accepted proposal and, on a backup, signs and sends PREPARE.
    mutating func accept(_ prePrepare: Vote, block: Block) {
        let sequence = prePrepare.sequence
        var slot = log[sequence] ?? LogSlot()
        slot.prePrepare = prePrepare
        slot.block = block
        // Whoever accepts after checking the block says so afterwards; a proposal carried over by a
        // NEW-VIEW is not checked here, and an earlier view's check no longer holds.
        slot.checkedOnAcceptance = false
        log[sequence] = slot
        highestAccepted = max(highestAccepted, sequence)
        if sequence > executedHeight {
            for id in block.eventIDs { inFlight[id] = sequence }
            if !pending.isEmpty { for id in block.eventIDs { pending.remove(id) } }
        }
        if prePrepare.sender != id, mayVote(.prepare, view: view, sequence: sequence, digest: prePrepare.digest) {
            let prepare = Vote(phase: .prepare, view: view, sequence: sequence, digest: prePrepare.digest, signer: signer)
            persist(.vote(prepare))
            log[sequence]!.prepares[id] = prepare
            broadcast(.vote(prepare))
        }
        checkPrepared(sequence)
    }

    mutating func receiveVote(_ vote: Vote, verified: Bool) {
        if vote.view < view {
            if vote.phase == .commit, vote.sequence > executedHeight { noteCommitInEarlierView(vote) }
            return counters.drop(.staleView)
        }
        if vote.view > view || isChangingView { return bufferForLaterView(.vote(vote), vote: vote, verified: verified) }
        let sequence = vote.sequence
        guard sequence > lowWatermark, sequence <= highWatermark else { return counters.drop(.outsideWindow) }
        if vote.phase == .prepare, vote.sender == primary { return counters.drop(.wrongRole) }
        let slot = log[sequence]
        // Votes for a slot this replica already committed in this view change nothing: skip the signature
        // check. An executed block proposed again after a view change is voted on like any other.
        if slot?.commitCertificate?.view == view || (sequence <= executedHeight && slot?.prePrepare == nil) {
            return counters.drop(.duplicate)
        }
        if vote.phase == .prepare, slot?.sentCommit == true { return counters.drop(.duplicate) }
        let existing = vote.phase == .prepare ? slot?.prepares[vote.sender] : slot?.commits[vote.sender]
        guard existing == nil else { return counters.drop(.duplicate) }
        guard verified || verifier.isValid(vote) else { return counters.drop(.badSignature) }
        if vote.phase == .prepare {
            log[sequence, default: LogSlot()].prepares[vote.sender] = vote
            checkPrepared(sequence)
        } else {
            log[sequence, default: LogSlot()].commits[vote.sender] = vote
            checkCommitted(sequence)
        }
    }

    /// Prepared: the pre-prepare and a quorum minus one matching prepares from backups. Sends COMMIT.
    mutating func checkPrepared(_ sequence: UInt64) {
        guard let slot = log[sequence], let prePrepare = slot.prePrepare, let block = slot.block, !slot.sentCommit else { return }
        let matching = slot.prepares.values.filter { $0.digest == prePrepare.digest }.sorted { $0.sender < $1.sender }
        guard matching.count >= validators.quorum - 1 else { return }
        let certificate = PreparedCertificate(prePrepare: prePrepare, prepares: Array(matching.prefix(validators.quorum - 1)))
        log[sequence]!.prepared = certificate
        log[sequence]!.preparedBlock = block
        log[sequence]!.sentCommit = true
        persist(.prepared(certificate, block))
        if mayVote(.commit, view: view, sequence: sequence, digest: prePrepare.digest) {
            let commit = Vote(phase: .commit, view: view, sequence: sequence, digest: prePrepare.digest, signer: signer)
            persist(.vote(commit))
            log[sequence]!.commits[id] = commit
            broadcast(.vote(commit))
        }
        checkCommitted(sequence)
    }

    /// Committed: prepared here and a quorum of matching commits. Executes what is now in order.
    mutating func checkCommitted(_ sequence: UInt64) {
        guard let slot = log[sequence], slot.commitCertificate == nil else { return }
        guard let prePrepare = slot.prePrepare, slot.sentCommit else {
            // A quorum committed a block this replica never saw proposed: fetch it from a peer.
            if Dictionary(grouping: slot.commits.values, by: \.digest).values.contains(where: { $0.count >= validators.quorum }) {
                requestStateTransfer(upTo: sequence)
            }
            return
        }
        let matching = slot.commits.values.filter { $0.digest == prePrepare.digest }.sorted { $0.sender < $1.sender }
        guard matching.count >= validators.quorum else { return }
        log[sequence]!.commitCertificate = CommitCertificate(
            view: view, sequence: sequence, digest: prePrepare.digest, votes: Array(matching.prefix(validators.quorum)))
        executeReady()
    }

    /// Executes committed blocks in height order for as long as the next one is ready.
    mutating func executeReady() {
        var progressed = false
        while let slot = log[executedHeight + 1], let certificate = slot.commitCertificate,
            let block = slot.block ?? slot.preparedBlock, block.digest == certificate.digest
        {
            execute(block, certificate: certificate, checkedOnAcceptance: slot.checkedOnAcceptance && slot.block != nil)
            progressed = true
        }
        if progressed { madeProgress() }
    }

    /// Appends one block to the chain. Events that already committed are marked, not committed again.
    ///
    /// - Parameter checkedOnAcceptance: this replica built the block, or checked it when it accepted it in
    ///   the current view: no event twice, none committed or in flight at another height. An event still in
    ///   flight at this height has not committed since (executing any block takes its events out of flight,
    ///   and accepting one elsewhere moves them), so only the other events need the ledger.
    mutating func execute(_ block: Block, certificate: CommitCertificate, checkedOnAcceptance: Bool = false) {
        if let slot = log[block.height] {
            // A block fetched from peers can replace one this replica accepted here in a view the others
            // left: that block's events must be ordered again, not forgotten.
            for replaced in [slot.block, slot.preparedBlock].compactMap({ $0 }) where replaced.digest != block.digest {
                reclaimEvents(of: replaced, at: block.height, keeping: Set(block.eventIDs))
            }
        }
        var unchecked: [SHA256Hash] = []
        for id in block.eventIDs {
            // Executing a block takes its events out of flight, wherever they were.
            let flightHeight = inFlight.removeValue(for: id)
            if !checkedOnAcceptance || flightHeight != block.height { unchecked.append(id) }
        }
        var duplicates = Set<SHA256Hash>()
        for id in unchecked where executedThisInput.contains(id) { duplicates.insert(id) }
        if !unchecked.isEmpty { duplicates.formUnion(ledger.committedEvents(among: unchecked)) }
        if !checkedOnAcceptance, block.eventIDs.count > 1, Set(unchecked).count < block.eventIDs.count {
            // Repeats inside one block (only a faulty primary's, carried over by a view change) commit once.
            var seen = Set<SHA256Hash>()
            for id in block.eventIDs where !seen.insert(id).inserted { duplicates.insert(id) }
        }
        executedThisInput.add(block)
        let committed = CommittedBlock(block: block, certificate: certificate, previousHash: headHash, duplicateEventIDs: duplicates)
        actions.append(.commit(committed))
        executedHeight = block.height
        headHash = committed.hash
        highestAccepted = max(highestAccepted, executedHeight)
        nextSequence = max(nextSequence, executedHeight + 1)
        counters.blocksCommitted += 1
        counters.eventsCommitted += block.events.count - duplicates.count
        if !pending.isEmpty { for id in block.eventIDs { pending.remove(id) } }
        if executedHeight % configuration.checkpointInterval == 0 { takeCheckpoint() }
    }

    /// Returns to pending the events of a block accepted at `height` that will not commit there (another
    /// block executed at that height, or a checkpoint passed it), except `kept` and those committed.
    /// Accepting the block took them out of pending; without this, a replica that was their only correct
    /// holder would drop them for good.
    mutating func reclaimEvents(of block: Block, at height: UInt64, keeping kept: Set<SHA256Hash> = []) {
        let candidates = block.events.filter { !kept.contains($0.id) && !executedThisInput.contains($0.id) }
        guard !candidates.isEmpty else { return }
        let committed = ledger.committedEvents(among: candidates.map(\.id))
        for event in candidates where !committed.contains(event.id) {
            if inFlight[event.id] == height { inFlight[event.id] = nil }
            if inFlight[event.id] == nil { pending.append(event) }
        }
    }

    /// Progress resets the view-change back-off and restarts the progress timer for the remaining work.
    mutating func madeProgress() {
        consecutiveViewChanges = 0
        cancelTimer(.progress)
        // Pending events with no batch timer running have waited their batch time already (the timer
        // fired while the window or the in-flight limit was full): they go out now.
        proposeIfReady(flush: !runningTimers.contains(.batch))
    }

    /// Keeps a signed message of a later view (or of the view this replica is changing to) until this
    /// replica gets there, and counts which peers are ahead: f+1 of them mean a correct replica is, so this
    /// one has missed a NEW-VIEW.
    mutating func bufferForLaterView(_ message: ConsensusMessage, vote: Vote, verified: Bool) {
        guard verified || verifier.isValid(vote) else { return counters.drop(.badSignature) }
        // Keep only what the next view could use: from its primary where only the primary may speak, and
        // inside the window. One sender's buffer is capped, so a faulty peer fills only its own.
        let nextView = isChangingView ? view : view + 1
        let usable = vote.view <= nextView && vote.sequence > lowWatermark && vote.sequence <= highWatermark
            && (vote.phase != .prePrepare || vote.sender == validators.primary(of: vote.view))
        let cap = 2 * Int(configuration.watermarkWindow) + 16
        if usable, futureMessages[vote.sender, default: []].count < cap {
            futureMessages[vote.sender, default: []].append(message)
        } else {
            counters.drop(usable ? .bufferFull : .outsideWindow)
        }
        // Peers already working in the view this replica awaits, or a later one, mean it missed a NEW-VIEW;
        // a state-transfer answer carries it.
        guard vote.view >= nextView else { return }
        higherViews[vote.sender] = max(higherViews[vote.sender] ?? 0, vote.view)
        if higherViews.values.filter({ $0 >= nextView }).count >= validators.weakQuorum {
            requestStateTransfer(upTo: executedHeight)
        }
    }

    /// A replica that moved ahead to a view the others never reached cannot vote in theirs, but it can
    /// still follow their chain: f+1 peers committing above its height prove blocks it can fetch.
    private mutating func noteCommitInEarlierView(_ vote: Vote) {
        guard !stateTransfer.active, (peersAhead[vote.sender] ?? 0) < vote.sequence, verifier.isValid(vote) else { return }
        peersAhead[vote.sender] = vote.sequence
        let ahead = peersAhead.values.filter { $0 > executedHeight }
        if ahead.count >= validators.weakQuorum, let height = ahead.min() {
            peersAhead.removeAll()
            requestStateTransfer(upTo: height)
        }
    }

    /// Replays buffered messages of the view just entered; drops those of views now past.
    mutating func replayBufferedMessages() {
        let buffered = futureMessages
        futureMessages = [:]
        higherViews = higherViews.filter { $0.value > view }
        for (_, messages) in buffered.sorted(by: { $0.key < $1.key }) {
            for message in messages {
                switch message {
                case .prePrepare(let vote, let block) where vote.view >= view:
                    receivePrePrepare(vote, block, verified: true)
                case .vote(let vote) where vote.view >= view:
                    receiveVote(vote, verified: true)
                default:
                    continue
                }
            }
        }
    }
}
