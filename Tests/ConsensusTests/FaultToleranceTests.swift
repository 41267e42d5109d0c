import Consensus
import ConsensusSimulation
import Testing

@Suite("Faults: replay, crash recovery, partitions, catch-up, twins")
struct FaultToleranceTests {
    @Test("every frame of a run replayed later, after a view change and checkpoints, changes nothing")
    func replayedFramesAreHarmless() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 31) { $0.checkpointInterval = 4 }
        var recorded: [[UInt8]] = []
        simulation.actionObserver = { _, action in
            if case .broadcast(let frame) = action { recorded.append(frame) }
        }
        simulation.start()
        #expect(simulation.commit(makeEvents(30, tag: "replay-a")))
        simulation.crash(0)
        #expect(simulation.commit(makeEvents(30, tag: "replay-b"), submittingTo: [1, 2, 3]))
        simulation.actionObserver = nil
        let heights = simulation.nodes.map(\.height)
        let drops = (1...3).map { simulation.replica($0).counters.totalDrops }
        for frame in recorded {
            for target in 1...3 { simulation.inject(frame, to: target, from: ReplicaID(0)) }
        }
        simulation.run(for: .seconds(2))
        #expect(simulation.nodes.map(\.height) == heights)
        for target in 1...3 { #expect(simulation.replica(target).counters.totalDrops > drops[target - 1] + recorded.count / 2) }
        expectSafe(simulation)
    }

    @Test("every vote is persisted before it is sent")
    func persistBeforeSend() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 32)
        var persisted: [Int: Set<Vote>] = [:]
        var unpersisted: [String] = []
        simulation.actionObserver = { node, action in
            switch action {
            case .persist(.vote(let vote)): persisted[node.index, default: []].insert(vote)
            case .broadcast(let frame), .send(let frame, _):
                switch simulation.decode(frame) {
                case .prePrepare(let vote, _)?, .vote(let vote)?:
                    let binding = [VotePhase.prePrepare, .prepare, .commit].contains(vote.phase)
                    if binding, persisted[node.index]?.contains(vote) != true {
                        unpersisted.append("\(node.id) \(vote.phase) s\(vote.sequence)")
                    }
                case .newView(let newView, _)?:
                    for vote in newView.prePrepares where persisted[node.index]?.contains(vote) != true {
                        unpersisted.append("\(node.id) new-view pre-prepare s\(vote.sequence)")
                    }
                default: break
                }
            default: break
            }
        }
        simulation.start()
        #expect(simulation.commit(makeEvents(20, tag: "persist-a")))
        simulation.nodes[0].behaviour = .silent
        #expect(simulation.commit(makeEvents(20, tag: "persist-b"), submittingTo: [1, 2, 3]))
        #expect(unpersisted.isEmpty, "\(unpersisted.prefix(5))")
        expectSafe(simulation)
    }

    @Test("a replica restarted between PREPARE and COMMIT never prepares another digest for that slot")
    func restartNeverDoubleVotes() throws {
        var harness = try ReplicaHarness()
        let first = harness.block(height: 1, tag: "first")
        let actions = harness.deliver(harness.prePrepare(first))
        #expect(harness.sentVotes(in: actions).map(\.phase) == [.prepare])
        // The record of the prepare precedes the frame that carries it.
        let persistIndex = actions.firstIndex { if case .persist(.vote) = $0 { true } else { false } }
        let sendIndex = actions.firstIndex { if case .broadcast = $0 { true } else { false } }
        #expect(persistIndex! < sendIndex!)
        try harness.restart()
        // The primary equivocates: a different block for the same view and sequence.
        let second = harness.block(height: 1, tag: "second")
        let afterRestart = harness.deliver(harness.prePrepare(second))
        #expect(harness.sentVotes(in: afterRestart).isEmpty)
        #expect(harness.replica.counters.drops[.conflictingProposal] == 1)
        // Prepares for the second digest from the other backups do not make this replica commit it.
        harness.deliver(harness.vote(.prepare, second, by: 2))
        let more = harness.deliver(harness.vote(.prepare, second, by: 3))
        #expect(harness.sentVotes(in: more).isEmpty)
        // The first digest still completes normally.
        harness.deliver(harness.vote(.prepare, first, by: 2))
        try harness.restart()
        harness.deliver(harness.prePrepare(first))
        let committed = harness.deliver(harness.vote(.prepare, first, by: 3))
        #expect(harness.sentVotes(in: committed).map(\.phase) == [.commit])
    }

    @Test("a simulated crash and restart between PREPARE and COMMIT keeps every replica safe")
    func crashBetweenPrepareAndCommit() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 33)
        var crashed = false
        simulation.actionObserver = { node, action in
            guard !crashed, node.index == 2, case .broadcast(let frame) = action,
                case .vote(let vote)? = simulation.decode(frame),
                vote.phase == .prepare
            else { return }
            crashed = true
        }
        simulation.start()
        simulation.submit(makeEvents(5, tag: "crash"), to: 0)
        #expect(simulation.run(until: { crashed }, timeout: .seconds(1)))
        simulation.crash(2)
        simulation.run(for: .milliseconds(50))
        try simulation.restart(2)
        #expect(simulation.commit(makeEvents(10, tag: "after"), submittingTo: [0, 2]))
        expectSafe(simulation)
    }

    @Test("an isolated primary is replaced, and the chain is whole after the partition heals")
    func isolatedPrimary() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 34)
        simulation.start()
        #expect(simulation.commit(makeEvents(10, tag: "before")))
        simulation.partition([[ReplicaID(0)], [ReplicaID(1), ReplicaID(2), ReplicaID(3)]])
        let during = makeEvents(10, tag: "during")
        simulation.submit(during, to: 0)
        simulation.submit(during, to: 1)
        #expect(simulation.run(until: { (1...3).allSatisfy { simulation.nodes[$0].height >= 2 && simulation.nodes[$0].ledger.containsEvent(during[9].id) } }, timeout: .seconds(10)))
        #expect(simulation.nodes[0].height == 1)
        simulation.heal()
        #expect(simulation.commit(makeEvents(5, tag: "after"), submittingTo: [0, 1, 2, 3]))
        expectSafe(simulation)
    }

    @Test("a two-two split stalls without forking, then resumes when healed")
    func evenSplitStalls() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 35)
        simulation.start()
        #expect(simulation.commit(makeEvents(8, tag: "before")))
        let before = simulation.nodes.map(\.height)
        simulation.partition([[ReplicaID(0), ReplicaID(1)], [ReplicaID(2), ReplicaID(3)]])
        simulation.submit(makeEvents(8, tag: "left"), to: 0)
        simulation.submit(makeEvents(8, tag: "right"), to: 2)
        simulation.run(for: .seconds(10))
        #expect(simulation.nodes.map(\.height) == before)
        simulation.heal()
        #expect(simulation.commit(makeEvents(4, tag: "healed"), submittingTo: [0, 1, 2, 3]))
        #expect(simulation.correctNodesAgree(onEvents: makeEvents(8, tag: "left").map(\.id) + makeEvents(8, tag: "right").map(\.id)))
        expectSafe(simulation)
    }

    @Test("a replica down for several checkpoints catches up by state transfer past the discarded log")
    func laggingReplicaCatchesUp() throws {
        let simulation = try Simulation.frequentCheckpoints(seed: 36)
        simulation.start()
        #expect(simulation.commit(makeEvents(8, tag: "early")))
        simulation.crash(3)
        #expect(simulation.commit(makeEvents(120, tag: "while-down"), submittingTo: [0, 1]))
        #expect(simulation.replica(0).stableCheckpoint.sequence > simulation.nodes[3].height + 8)
        try simulation.restart(3)
        #expect(simulation.commit(makeEvents(4, tag: "after"), submittingTo: [0, 3]))
        #expect(simulation.replica(3).counters.blocksTransferred > 20)
        expectSafe(simulation)
    }

    @Test("a replica that lost its disk rebuilds the whole chain from its peers")
    func wipedReplicaRebuilds() throws {
        let simulation = try Simulation.frequentCheckpoints(seed: 37)
        simulation.start()
        simulation.crash(3)
        #expect(simulation.commit(makeEvents(60, tag: "history"), submittingTo: [0, 1]))
        try simulation.restart(3, wipe: true)
        #expect(simulation.run(until: { simulation.nodes[3].height == simulation.nodes[0].height }, timeout: .seconds(10)))
        #expect(simulation.nodes[3].ledger.headHash == simulation.nodes[0].ledger.headHash)
        expectSafe(simulation)
    }

    @Test("twins sharing one key double-vote, and the correct replicas stay safe and live", arguments: [0, 2] as [UInt32])
    func twins(twin: UInt32) throws {
        let simulation = try Simulation(validatorCount: 4, seed: 38 + UInt64(twin), twins: [ReplicaID(twin)])
        simulation.start()
        let twinIndices = simulation.nodes.filter { $0.id == ReplicaID(twin) }.map(\.index)
        // Each twin hears different clients, so as primary they propose different blocks.
        simulation.submit(makeEvents(10, tag: "twin-a"), to: twinIndices[0])
        simulation.submit(makeEvents(10, tag: "twin-b"), to: twinIndices[1])
        let events = makeEvents(20, tag: "clients")
        let correct = simulation.correctNodes.map(\.index)
        #expect(simulation.commit(events, submittingTo: correct))
        expectSafe(simulation)
    }
}
