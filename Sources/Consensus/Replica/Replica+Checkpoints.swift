/// Checkpoints and garbage collection of the log.
extension Replica {
    /// Signs the ledger hash at a checkpoint height and shares it.
    mutating func takeCheckpoint() {
        let sequence = executedHeight
        guard sequence > lowWatermark else { return }
        ownCheckpoints[sequence] = headHash
        let vote = Vote(phase: .checkpoint, view: 0, sequence: sequence, digest: headHash, signer: signer)
        checkpointVotes[sequence, default: [:]][id] = vote
        broadcast(.vote(vote))
        checkStable(sequence)
    }

    mutating func receiveCheckpoint(_ vote: Vote) {
        guard vote.view == 0, vote.sequence % configuration.checkpointInterval == 0 else { return counters.drop(.malformed) }
        guard vote.sequence > lowWatermark else { return counters.drop(.duplicate) }
        guard checkpointVotes[vote.sequence]?[vote.sender] == nil else { return counters.drop(.duplicate) }
        guard verifier.isValid(vote) else { return counters.drop(.badSignature) }
        if vote.sequence > highWatermark {
            // Above the window keep only each peer's latest checkpoint, so memory stays bounded however far
            // ahead peers claim to be.
            for (sequence, votes) in checkpointVotes where sequence > highWatermark && votes[vote.sender] != nil {
                guard sequence < vote.sequence else { return counters.drop(.duplicate) }
                checkpointVotes[sequence]![vote.sender] = nil
                if checkpointVotes[sequence]!.isEmpty { checkpointVotes[sequence] = nil }
            }
        }
        checkpointVotes[vote.sequence, default: [:]][vote.sender] = vote
        checkStable(vote.sequence)
        // f+1 peers claiming checkpoints above us include a correct one; the (f+1)-th highest claim is one a
        // correct replica vouches for, so a faulty peer cannot set an unreachable target.
        var highestClaim: [ReplicaID: UInt64] = [:]
        for (sequence, votes) in checkpointVotes where sequence > max(executedHeight, lowWatermark) {
            for sender in votes.keys where sender != id { highestClaim[sender] = max(highestClaim[sender] ?? 0, sequence) }
        }
        if highestClaim.count >= validators.weakQuorum {
            let vouched = highestClaim.values.sorted(by: >)[validators.weakQuorum - 1]
            requestStateTransfer(upTo: vouched)
        }
    }

    /// A quorum of matching checkpoint votes makes the checkpoint stable, unless this replica executed
    /// that height to a different hash (then it is not the one to trust).
    mutating func checkStable(_ sequence: UInt64) {
        guard let votes = checkpointVotes[sequence] else { return }
        for (digest, group) in Dictionary(grouping: votes.values, by: \.digest) where group.count >= validators.quorum {
            if sequence <= executedHeight, ownCheckpoints[sequence] != digest { continue }
            let proof = group.sorted { $0.sender < $1.sender }.prefix(validators.quorum)
            installStableCheckpoint(CheckpointCertificate(sequence: sequence, stateDigest: digest, votes: Array(proof)))
            return
        }
    }

    /// Moves the low watermark and discards everything at or below it. A checkpoint above the executed
    /// height means this replica is behind: it fetches the missing blocks.
    ///
    /// - Parameter proposing: whether the primary may use the room the new window makes at once; not while
    ///   a NEW-VIEW is being installed, whose re-proposals come first.
    mutating func installStableCheckpoint(_ certificate: CheckpointCertificate, proposing: Bool = true) {
        guard certificate.sequence > lowWatermark else { return }
        let sequence = certificate.sequence
        stableCheckpoint = certificate
        persist(.stableCheckpoint(certificate))
        reclaimEventsOfDiscardedSlots(upTo: sequence)
        log = log.filter { $0.key > sequence }
        checkpointVotes = checkpointVotes.filter { $0.key > sequence }
        ownCheckpoints = ownCheckpoints.filter { $0.key > sequence }
        nextSequence = max(nextSequence, sequence + 1)
        highestAccepted = max(highestAccepted, sequence)
        if executedHeight < sequence {
            requestStateTransfer(upTo: sequence)
        } else if proposing {
            proposeIfReady(flush: false)
        }
    }

    /// A checkpoint learnt from peers can pass slots this replica accepted but never executed: the chain
    /// there may hold other blocks (ordered in a view it missed). Their events left pending when the
    /// proposals were accepted; they go back now, or a replica that was their only correct holder would
    /// lose them. Those the fetched blocks do hold leave pending again when those blocks execute.
    private mutating func reclaimEventsOfDiscardedSlots(upTo sequence: UInt64) {
        for (slotSequence, slot) in log where slotSequence > executedHeight && slotSequence <= sequence {
            for block in [slot.block, slot.preparedBlock].compactMap({ $0 }) { reclaimEvents(of: block, at: slotSequence) }
        }
    }
}
