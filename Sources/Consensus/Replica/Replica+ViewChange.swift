/// Replacing a faulty or silent primary.
///
/// A replica whose pending work stalls first *suspects* the primary: it relays its pending events to every
/// replica (so that the others watch the primary too, as PBFT clients do by broadcasting) and signs a
/// SUSPECT vote for the next view. Suspicion binds it to nothing and it keeps working in its view. Only
/// when f+1 replicas suspect, so at least one correct one does, does it send the binding VIEW-CHANGE. A
/// replica cut off alone therefore never strands itself in a view the others will not reach.
extension Replica {
    /// The progress timer fired: relay pending events to all, suspect the primary, and ask a peer whether
    /// this replica has fallen behind (a replica that missed a block's messages waits on it forever).
    mutating func suspectPrimary() {
        requestStateTransfer(upTo: executedHeight)
        for chunk in forwardChunks(pending.all) { broadcast(.forward(chunk)) }
        let target = view + 1
        suspicions[id] = max(suspicions[id] ?? 0, target)
        broadcast(.vote(Vote(phase: .suspect, view: target, sequence: 0, digest: .zero, signer: signer)))
        joinLaterViewIfSupported()
    }

    mutating func receiveSuspicion(_ vote: Vote) {
        guard vote.sequence == 0, vote.digest == .zero else { return counters.drop(.malformed) }
        guard vote.view > view else { return counters.drop(.staleView) }
        guard (suspicions[vote.sender] ?? 0) < vote.view else { return counters.drop(.duplicate) }
        guard verifier.isValid(vote) else { return counters.drop(.badSignature) }
        suspicions[vote.sender] = vote.view
        joinLaterViewIfSupported()
    }

    /// f+1 replicas that suspect the primary or already asked for a later view include a correct one:
    /// move to the smallest view among those they ask for (PBFT's rule, widened to suspicions).
    mutating func joinLaterViewIfSupported() {
        var wanted: [ReplicaID: UInt64] = suspicions.filter { $0.value > view }
        for (sender, received) in viewChanges where sender != id && received.viewChange.newView > view {
            wanted[sender] = max(wanted[sender] ?? 0, received.viewChange.newView)
        }
        guard wanted.count >= validators.weakQuorum, let smallest = wanted.values.min() else { return }
        startViewChange(to: smallest)
    }

    /// The view-change timer fired before a NEW-VIEW arrived. If a quorum asked for this view, its primary
    /// failed to act: move on to the next view. Otherwise the others are not (yet) changing views, and
    /// moving further ahead would only strand this replica: repeat the VIEW-CHANGE instead.
    ///
    /// A replica that repeats alone may have been cut off while the others settled in an earlier view and
    /// went idle: nothing they send would then tell it that blocks committed meanwhile, and events that
    /// only it still holds would never be ordered. On each repeat it relays its pending events to every
    /// peer, as a suspicion does, and asks one peer for committed blocks (a probe, not a transfer: it does
    /// not pause the replica's own timers), so it keeps up with the chain, which needs no view, while it
    /// waits for support it may never get.
    mutating func viewChangeTimedOut() {
        let askedForThisView = viewChanges.values.filter { $0.viewChange.newView >= view }.count
        if askedForThisView >= validators.quorum, viewChangeRetransmitted {
            startViewChange(to: view + 1)
            return
        }
        viewChangeRetransmitted = true
        if let own = viewChanges[id] { broadcast(.viewChange(own.viewChange, blocks: own.blocks)) }
        for chunk in forwardChunks(pending.all) { broadcast(.forward(chunk)) }
        probeForCommittedBlocks()
        startTimer(.viewChange, after: currentViewChangeTimeout)
        consecutiveViewChanges += 1
    }

    /// Leaves the current view and asks for `newView`, carrying the stable checkpoint and every prepared
    /// certificate above it.
    mutating func startViewChange(to newView: UInt64) {
        guard newView > view else { return }
        counters.viewChangesStarted += 1
        leaveCurrentView()
        view = newView
        isChangingView = true
        viewChangeRetransmitted = false
        persist(.view(newView))
        announceViewChange()
        consecutiveViewChanges += 1
        buildNewViewIfReady()
    }

    /// Signs and sends this replica's VIEW-CHANGE for the view it is changing to, from its stable
    /// checkpoint and prepared certificates, and starts waiting for the NEW-VIEW. Also used after a
    /// restart in the middle of a view change, when the earlier VIEW-CHANGE may never have left.
    mutating func announceViewChange() {
        let prepared = log.filter { $0.key > lowWatermark && $0.value.prepared != nil }.sorted { $0.key < $1.key }
        let certificates = prepared.map { $0.value.prepared! }
        var blocks: [Block] = []
        var attached = Set<SHA256Hash>()
        for (_, slot) in prepared where attached.insert(slot.preparedBlock!.digest).inserted {
            blocks.append(slot.preparedBlock!)
        }
        let viewChange = ViewChange(newView: view, checkpoint: stableCheckpoint, prepared: certificates, signer: signer)
        viewChanges[id] = ReceivedViewChange(viewChange: viewChange, blocks: blocks)
        broadcast(.viewChange(viewChange, blocks: blocks))
        startTimer(.viewChange, after: currentViewChangeTimeout)
    }

    /// Forgets per-view progress. Events of proposals that did not commit go back to pending, so they
    /// are proposed again if the next view does not carry their block over.
    private mutating func leaveCurrentView() {
        cancelTimer(.batch)
        cancelTimer(.progress)
        for (sequence, slot) in log where sequence > executedHeight && slot.commitCertificate == nil {
            if let block = slot.block { reclaimEvents(of: block, at: sequence) }
        }
        inFlight.removeAll()
        for sequence in log.keys {
            // An executed block may be proposed again in the next view; this replica must vote on it there
            // like the others, so its old commit certificate must not mark the slot as finished.
            if sequence <= executedHeight { log[sequence]!.commitCertificate = nil }
            log[sequence]!.resetForNewView()
        }
        highestAccepted = executedHeight
    }

    mutating func receiveViewChange(_ viewChange: ViewChange, blocks: [Block]) {
        let target = viewChange.newView
        if target < view || (target == view && !isChangingView) {
            // The sender missed the NEW-VIEW of a view already installed: the primary repeats it.
            if target == view, isPrimary, let installedNewView, installedNewView.newView.view == view, verifier.isValid(viewChange) {
                send(.newView(installedNewView.newView, blocks: installedNewView.blocks), to: viewChange.sender)
            }
            return counters.drop(.staleView)
        }
        if let known = viewChanges[viewChange.sender], known.viewChange.newView >= target { return counters.drop(.duplicate) }
        guard verifier.isValid(viewChange) else { return counters.drop(.badSignature) }
        guard problem(with: viewChange, blocks: blocks, requireBlocks: true) == nil else { return counters.drop(.invalidViewChange) }
        viewChanges[viewChange.sender] = ReceivedViewChange(viewChange: viewChange, blocks: blocks)
        joinLaterViewIfSupported()
        buildNewViewIfReady()
    }

    /// Why a view change cannot be used, or `nil` when it can. Signatures of the message itself are
    /// checked by the caller; this checks its proofs.
    func problem(with viewChange: ViewChange, blocks: [Block], requireBlocks: Bool) -> String? {
        let checkpoint = viewChange.checkpoint
        if let problem = verifier.problem(with: checkpoint, genesisHash: genesisHash) { return problem }
        let blockDigests = Set(blocks.map(\.digest))
        var previous = checkpoint.sequence
        for certificate in viewChange.prepared {
            guard certificate.sequence > previous else { return "prepared certificates out of order or below the checkpoint" }
            guard certificate.sequence <= checkpoint.sequence + configuration.watermarkWindow else {
                return "prepared certificate above the watermark window"
            }
            guard certificate.view < viewChange.newView else { return "prepared certificate from a view not yet reached" }
            if let problem = verifier.problem(with: certificate) { return problem }
            if requireBlocks, !blockDigests.contains(certificate.digest) { return "no block for prepared certificate" }
            previous = certificate.sequence
        }
        return nil
    }

    /// The new primary acts once it holds a quorum of view changes for its view.
    mutating func buildNewViewIfReady() {
        guard isChangingView, isPrimary else { return }
        let forView = viewChanges.values.filter { $0.viewChange.newView == view }.sorted { $0.viewChange.sender < $1.viewChange.sender }
        guard forView.count >= validators.quorum else { return }
        let chosen = Array(forView.prefix(validators.quorum))
        var blocksByDigest: [SHA256Hash: Block] = [:]
        for received in chosen { for block in received.blocks { blocksByDigest[block.digest] = block } }
        let plan = reproposals(for: chosen.map(\.viewChange))
        var prePrepares: [Vote] = []
        var attachments: [Block] = []
        var proposals: [(Vote, Block)] = []
        for (sequence, digest) in plan.digests {
            let block = digest.map { blocksByDigest[$0]! } ?? emptyBlock(at: sequence)
            let prePrepare = Vote(phase: .prePrepare, view: view, sequence: sequence, digest: block.digest, signer: signer)
            persist(.vote(prePrepare))
            prePrepares.append(prePrepare)
            proposals.append((prePrepare, block))
            if digest != nil { attachments.append(block) }
        }
        let newView = NewView(view: view, viewChanges: chosen.map(\.viewChange), prePrepares: prePrepares, signer: signer)
        persist(.installedView(newView, blocks: attachments))
        broadcast(.newView(newView, blocks: attachments))
        install(newView, blocks: attachments, checkpoint: plan.checkpoint, proposals: proposals)
    }

    /// What a NEW-VIEW must propose, derived from a quorum of view changes exactly as PBFT prescribes: from
    /// the highest stable checkpoint up to the highest prepared sequence, the block of the highest-view
    /// prepared certificate at each sequence, or an empty block where none was prepared.
    func reproposals(for viewChanges: [ViewChange]) -> (checkpoint: CheckpointCertificate, digests: [(UInt64, SHA256Hash?)]) {
        let checkpoint = viewChanges.map(\.checkpoint).max { $0.sequence < $1.sequence }!
        var best: [UInt64: PreparedCertificate] = [:]
        for certificate in viewChanges.flatMap(\.prepared) where certificate.sequence > checkpoint.sequence {
            if let known = best[certificate.sequence], (known.view, known.digest) >= (certificate.view, certificate.digest) { continue }
            best[certificate.sequence] = certificate
        }
        guard let highest = best.keys.max() else { return (checkpoint, []) }
        let digests = (checkpoint.sequence + 1...highest).map { ($0, best[$0]?.digest) }
        return (checkpoint, digests)
    }

    func emptyBlock(at height: UInt64) -> Block { Block(chainID: configuration.chainID, height: height, events: []) }

    /// A backup checks a NEW-VIEW by recomputing it from the view changes it carries. `relayed` marks one
    /// that came inside a state-transfer answer rather than from its primary.
    mutating func receiveNewView(_ newView: NewView, blocks: [Block], relayed: Bool) {
        guard newView.sender == validators.primary(of: newView.view) else { return counters.drop(.wrongRole) }
        guard newView.view > view || (newView.view == view && isChangingView) else { return counters.drop(.staleView) }
        guard verifier.isValid(newView) else { return counters.drop(.badSignature) }
        guard let plan = validatedPlan(of: newView, blocks: blocks) else {
            counters.drop(.invalidNewView)
            // A bad NEW-VIEW for the view this replica awaits, straight from its primary, proves that primary
            // faulty. Any other bad NEW-VIEW proves nothing about the views this replica is in: ignore it.
            if !relayed, newView.view == view, isChangingView { startViewChange(to: view + 1) }
            return
        }
        install(newView, blocks: blocks, checkpoint: plan.checkpoint, proposals: plan.proposals)
    }

    private func validatedPlan(of newView: NewView, blocks: [Block]) -> (checkpoint: CheckpointCertificate, proposals: [(Vote, Block)])? {
        var senders = Set<ReplicaID>()
        for viewChange in newView.viewChanges {
            guard viewChange.newView == newView.view, senders.insert(viewChange.sender).inserted,
                verifier.isValid(viewChange), problem(with: viewChange, blocks: [], requireBlocks: false) == nil
            else { return nil }
        }
        guard senders.count >= validators.quorum else { return nil }
        let plan = reproposals(for: newView.viewChanges)
        guard plan.digests.count == newView.prePrepares.count else { return nil }
        var blocksByDigest: [SHA256Hash: Block] = [:]
        for block in blocks { blocksByDigest[block.digest] = block }
        var proposals: [(Vote, Block)] = []
        for ((sequence, digest), prePrepare) in zip(plan.digests, newView.prePrepares) {
            guard let block = digest.map({ blocksByDigest[$0] }) ?? emptyBlock(at: sequence) else { return nil }
            guard prePrepare.phase == .prePrepare, prePrepare.view == newView.view, prePrepare.sequence == sequence,
                prePrepare.digest == block.digest, block.height == sequence, prePrepare.sender == newView.sender,
                verifier.isValid(prePrepare)
            else { return nil }
            proposals.append((prePrepare, block))
        }
        return (plan.checkpoint, proposals)
    }

    /// Enters the new view: adopts its checkpoint, accepts its re-proposals, and resumes normal work.
    private mutating func install(
        _ newView: NewView, blocks: [Block], checkpoint: CheckpointCertificate, proposals: [(Vote, Block)]
    ) {
        if !isChangingView { leaveCurrentView() }
        if durable.installedView < newView.view { persist(.installedView(newView, blocks: blocks)) }
        view = newView.view
        isChangingView = false
        installedNewView = InstalledNewView(newView: newView, blocks: blocks)
        cancelTimer(.viewChange)
        viewChanges = viewChanges.filter { $0.value.viewChange.newView > view }
        suspicions = suspicions.filter { $0.value > view }
        counters.viewsInstalled += 1
        actions.append(.enteredView(view, primary: primary))
        // The new view continues right after its last re-proposal; whatever this replica proposed in an
        // earlier view above that is void, so a stale, higher `nextSequence` must not leave a gap.
        let lastReproposal = proposals.map(\.0.sequence).max() ?? 0
        nextSequence = max(executedHeight, checkpoint.sequence, lastReproposal) + 1
        // The view changes prove a quorum reached this checkpoint; it bounds the new view's log even if
        // this replica has not executed that far yet (it then fetches the blocks).
        installStableCheckpoint(checkpoint, proposing: false)
        for (prePrepare, block) in proposals where prePrepare.sequence > lowWatermark {
            accept(prePrepare, block: block)
        }
        replayBufferedMessages()
        if isPrimary {
            proposeIfReady(flush: false)
        } else {
            forwardToPrimary(pending.all)
        }
    }
}
