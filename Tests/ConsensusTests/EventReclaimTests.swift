import Consensus
import ConsensusSimulation
import Testing

@Suite("Events are never dropped by a replica that accepted them")
struct EventReclaimTests {
    /// A commit certificate for `block` signed by validators 0, 2 and 3.
    private func certificate(_ block: Block, view: UInt64, _ harness: ReplicaHarness) -> CommitCertificate {
        let votes = [0, 2, 3].map { Vote(phase: .commit, view: view, sequence: block.height, digest: block.digest, signer: harness.signer(UInt32($0))) }
        return CommitCertificate(view: view, sequence: block.height, digest: block.digest, votes: votes)
    }

    @Test("a fetched block that replaces an accepted one returns the accepted block's events to pending")
    func replacedProposalEventsReturn() throws {
        var harness = try ReplicaHarness(replicaIndex: 1)
        // View 0's primary proposes two events at height 1; this backup accepts (they leave pending).
        let mine = harness.block(height: 1, tag: "accepted", events: 2)
        harness.handle(.submit(mine.events))
        harness.deliver(harness.prePrepare(mine))
        #expect(harness.replica.pendingEventCount == 0)

        // The others ordered something else at height 1 in a later view; this replica fetches it.
        let theirs = harness.block(height: 1, tag: "ordered-elsewhere", events: 1)
        let genesis = CheckpointCertificate(sequence: 0, stateDigest: harness.configuration.genesisHash, votes: [])
        let response = StateResponse(
            view: 2, checkpoint: genesis, certificates: [certificate(theirs, view: 2, harness)], newView: nil, signer: harness.signer(2))
        harness.deliver(.stateResponse(response, blocks: [theirs]))

        #expect(harness.ledger.height == 1)
        #expect(harness.ledger.blocks[0].block.digest == theirs.digest)
        // Both events are pending again, so they are relayed and ordered later rather than lost.
        #expect(harness.replica.pendingEventCount == 2)
    }

    @Test("a replica cut off with events only it holds hands them over and catches up once healed, with no new load")
    func cutOffHolderHandsOver() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 77)
        simulation.start()
        #expect(simulation.commit(makeEvents(4, tag: "before")))
        // Replica 3 is cut off holding the only copy of two events; it suspects the primary on its own.
        simulation.partition([[ReplicaID(0), ReplicaID(1), ReplicaID(2)], [ReplicaID(3)]])
        let onlyAtThree = makeEvents(2, tag: "only-at-three")
        simulation.submit(onlyAtThree, to: 3)
        simulation.run(for: .seconds(3))
        // The others go on, then fall idle.
        let whileCutOff = makeEvents(3, tag: "while-cut-off")
        simulation.submit(whileCutOff, to: 0)
        #expect(simulation.run(until: {
            (0...2).allSatisfy { index in whileCutOff.allSatisfy { simulation.nodes[index].ledger.containsEvent($0.id) } }
        }, timeout: .seconds(10)))
        simulation.heal()
        // Nothing else is submitted: replica 3 must fetch the blocks it missed on its own, and its events
        // must reach the others. (The sweep's seeds 1079, 1364, 1929 and 1992 cover the harder variant, a
        // replica left alone in a later view change while the others went idle.)
        #expect(simulation.run(until: {
            simulation.correctNodesAgree(onEvents: (onlyAtThree + whileCutOff).map(\.id))
        }, timeout: .seconds(60)))
        expectSafe(simulation)
    }
}
