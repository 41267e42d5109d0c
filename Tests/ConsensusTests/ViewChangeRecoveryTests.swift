import Consensus
import ConsensusSimulation
import Testing

@Suite("View change: restarts and hostile input")
struct ViewChangeRecoveryTests {
    /// Replica 2 suspects along with node 3 and asks for view 1 (primary: node 1).
    static func harnessInViewChange() throws -> ReplicaHarness {
        var harness = try ReplicaHarness(replicaIndex: 2)
        for sender: UInt32 in [1, 3] {
            harness.deliver(.vote(Vote(phase: .suspect, view: 1, sequence: 0, digest: .zero, signer: harness.signer(sender))))
        }
        #expect(harness.replica.isChangingView && harness.replica.view == 1)
        return harness
    }

    @Test("a replica restarted during a view change stays out of the new view until its NEW-VIEW arrives")
    func restartDuringViewChange() throws {
        var harness = try Self.harnessInViewChange()
        try harness.restart()
        #expect(harness.replica.isChangingView)
        let started = harness.handle(.start)
        // It repeats its VIEW-CHANGE, which may never have left before the crash.
        let announced = started.contains {
            guard case .broadcast(let frame) = $0,
                case .viewChange? = harness.decode(frame)
            else { return false }
            return true
        }
        #expect(announced)
        // A pre-prepare of view 1 without a NEW-VIEW gets no prepare.
        let block = harness.block(height: 1, tag: "no-new-view")
        let actions = harness.deliver(harness.prePrepare(block, view: 1, by: 1))
        #expect(harness.sentVotes(in: actions).isEmpty)
    }

    @Test("an invalid NEW-VIEW for a far view does not move the replica")
    func invalidFarNewViewIgnored() throws {
        var harness = try ReplicaHarness(replicaIndex: 1)
        let far = NewView(view: 6, viewChanges: [], prePrepares: [], signer: harness.signer(2))
        harness.deliver(.newView(far, blocks: []))
        #expect(harness.replica.view == 0 && !harness.replica.isChangingView)
        #expect(harness.replica.counters.drops[.invalidNewView] == 1)
    }

    @Test("views near the top of the range are refused without overflow")
    func hugeViewsRefused() throws {
        var harness = try ReplicaHarness(replicaIndex: 1)
        let top = NewView(view: .max, viewChanges: [], prePrepares: [], signer: harness.signer(3))
        harness.deliver(.newView(top, blocks: []))
        harness.deliver(.vote(Vote(phase: .suspect, view: .max, sequence: 0, digest: .zero, signer: harness.signer(2))))
        let block = harness.block(height: 1, tag: "top")
        harness.deliver(.vote(Vote(phase: .commit, view: .max - 1, sequence: 1, digest: block.digest, signer: harness.signer(3))))
        #expect(harness.replica.view == 0)
        #expect(harness.replica.counters.drops[.outsideWindow] == 3)
    }

    @Test("a backup relays forwarded events to the primary at once")
    func forwardsAreRelayed() throws {
        var harness = try ReplicaHarness(replicaIndex: 1)
        let actions = harness.deliver(.forward(EventForward(events: makeEvents(3, tag: "relay"), signer: harness.signer(2))))
        let relayed = actions.contains { if case .send(_, let peer) = $0 { peer == ReplicaID(0) } else { false } }
        #expect(relayed)
        #expect(harness.replica.pendingEventCount == 3)
    }

    @Test("replicas that crash during a view change, more than f of them, never fork the chain")
    func manyRestartsDuringViewChange() throws {
        for seed in UInt64(40)..<UInt64(60) {
            let simulation = try Simulation(validatorCount: 4, seed: seed)
            simulation.start()
            #expect(simulation.commit(makeEvents(6, tag: "warm-\(seed)")))
            simulation.crash(0)
            simulation.submit(makeEvents(4, tag: "vc-\(seed)"), to: 1)
            simulation.submit(makeEvents(4, tag: "vc-\(seed)"), to: 2)
            simulation.run(for: .milliseconds(Int64(100 + seed * 7)))
            for index in 1...3 {
                simulation.crash(index)
                try simulation.restart(index)
            }
            try simulation.restart(0)
            #expect(simulation.commit(makeEvents(4, tag: "after-\(seed)"), submittingTo: [0, 1, 2, 3], timeout: .seconds(60)), "seed \(seed)")
            expectSafe(simulation)
        }
    }
}
