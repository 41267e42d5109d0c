/// Fetching committed blocks from peers, and answering peers that fetch from us.
///
/// A peer's answer is never taken on its word: each block must hash to the digest of a commit certificate
/// signed by a quorum, and must extend the chain at the next height. A peer that lies or stays silent
/// only costs a timeout, after which the next peer is asked.
extension Replica {
    /// Starts fetching blocks, at least up to `height`, unless a fetch is already under way.
    mutating func requestStateTransfer(upTo height: UInt64) {
        guard validators.count > 1 else { return }
        stateTransfer.target = max(stateTransfer.target, height)
        guard !stateTransfer.active else { return }
        sendStateRequest(rotating: true)
    }

    mutating func sendStateRequest(rotating: Bool) {
        if rotating || stateTransfer.peer == nil { stateTransfer.peer = nextStatePeer() }
        stateTransfer.active = true
        send(.stateRequest(stateRequest()), to: stateTransfer.peer!)
        startTimer(.stateTransfer, after: configuration.stateTransferTimeout)
    }

    /// Asks the next peer, once, for committed blocks above this replica's height, without entering a
    /// transfer: no timer, no retry, and nothing else waits for it. Blocks in the answer are applied like
    /// any other (checked against their certificates); an answer with none changes nothing.
    mutating func probeForCommittedBlocks() {
        guard validators.count > 1, !stateTransfer.active else { return }
        send(.stateRequest(stateRequest()), to: nextStatePeer())
    }

    private func stateRequest() -> StateRequest {
        StateRequest(view: isChangingView ? view - 1 : view, fromHeight: executedHeight + 1, signer: signer)
    }

    /// The next peer in turn to ask for blocks.
    private mutating func nextStatePeer() -> ReplicaID {
        var candidate: ReplicaID
        repeat {
            stateTransfer.peerCursor = (stateTransfer.peerCursor + 1) % UInt32(validators.count)
            candidate = ReplicaID(stateTransfer.peerCursor)
        } while candidate == id
        return candidate
    }

    mutating func receiveStateRequest(_ request: StateRequest) {
        guard verifier.isValid(request) else { return counters.drop(.badSignature) }
        // Bound the answer by bytes as well as blocks, so it always fits in a frame; the first block always
        // goes, or a replica could never fetch a large block.
        var budget = configuration.limits.maxFrameBytes / 2
        let blocks = ledger.committedBlocks(from: request.fromHeight, limit: configuration.maxBlocksPerStateResponse)
            .prefix(while: { $0.height <= executedHeight })
            .enumerated().prefix(while: { index, block in
                budget -= block.block.payloadBytes + 16 * block.block.events.count + 1_024
                return index == 0 || budget >= 0
            }).map(\.element)
        var newView: NewView?
        var attachments = blocks.map(\.block)
        if request.view < view, !isChangingView, let installedNewView, installedNewView.newView.view == view {
            newView = installedNewView.newView
            attachments += installedNewView.blocks
        }
        let response = StateResponse(
            view: view, checkpoint: stableCheckpoint, certificates: blocks.map(\.certificate), newView: newView, signer: signer)
        send(.stateResponse(response, blocks: attachments), to: request.sender)
    }

    mutating func receiveStateResponse(_ response: StateResponse, blocks: [Block]) {
        guard verifier.isValid(response) else { return counters.drop(.badSignature) }
        guard blocks.count >= response.certificates.count else { return counters.drop(.invalidStateResponse) }
        var applied = 0
        for (block, certificate) in zip(blocks, response.certificates) {
            if block.height <= executedHeight { continue }
            guard block.height == executedHeight + 1,
                verifier.problem(with: certificate, sequence: block.height, digest: block.digest) == nil
            else {
                counters.drop(.invalidStateResponse)
                break
            }
            execute(block, certificate: certificate)
            counters.blocksTransferred += 1
            applied += 1
        }
        let checkpoint = response.checkpoint
        if checkpoint.sequence > lowWatermark, verifier.problem(with: checkpoint, genesisHash: genesisHash) == nil {
            if checkpoint.sequence > executedHeight || ownCheckpoints[checkpoint.sequence] == checkpoint.stateDigest {
                installStableCheckpoint(checkpoint)
            }
        }
        if let newView = response.newView, newView.view > view || (newView.view == view && isChangingView) {
            let newViewBlocks = Array(blocks.dropFirst(response.certificates.count))
            receiveNewView(newView, blocks: newViewBlocks, relayed: true)
        }
        if applied > 0 {
            executeReady()
            madeProgress()
        }
        guard stateTransfer.active, response.sender == stateTransfer.peer else { return }
        let peerHasMore = applied > 0 && !response.certificates.isEmpty
        if peerHasMore, executedHeight < stateTransfer.target || response.certificates.count >= configuration.maxBlocksPerStateResponse {
            sendStateRequest(rotating: false)
        } else if executedHeight >= stateTransfer.target || !peerHasMore {
            // Caught up to the target, or this peer has nothing more: stop. Whatever still shows this replica
            // behind (checkpoints, peers in later views, stalled work) starts a new transfer with another peer.
            stateTransfer = StateTransferProgress(peerCursor: stateTransfer.peerCursor)
            cancelTimer(.stateTransfer)
        }
    }
}
