import Consensus
import ConsensusSimulation
import Testing

@Suite("View change")
struct ViewChangeTests {
    @Test("a silent primary is replaced and events keep committing with no gap or repeat")
    func silentPrimary() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 21)
        simulation.nodes[0].behaviour = .silent
        simulation.start()
        let events = makeEvents(40, tag: "silent")
        #expect(simulation.commit(events, submittingTo: [1, 2, 3]))
        for index in 1...3 {
            let replica = simulation.replica(index)
            #expect(replica.view >= 1)
            #expect(replica.primary != ReplicaID(0))
            // The ledger refuses gaps and repeats; every height is present exactly once.
            #expect(simulation.nodes[index].ledger.blocks.map(\.height) == Array(1...simulation.nodes[index].height))
        }
        expectSafe(simulation)
    }

    @Test("a primary that crashes under load is replaced")
    func crashedPrimary() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 22)
        simulation.start()
        #expect(simulation.commit(makeEvents(20, tag: "before"), submittingTo: [0]))
        simulation.crash(0)
        #expect(simulation.commit(makeEvents(20, tag: "after"), submittingTo: [1, 2, 3]))
        #expect(simulation.replica(1).view >= 1)
        expectSafe(simulation)
    }

    @Test("an equivocating primary cannot split the replicas and is replaced")
    func equivocatingPrimary() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 23)
        simulation.nodes[0].behaviour = .equivocating
        simulation.start()
        let events = makeEvents(30, tag: "equivocate")
        #expect(simulation.commit(events, submittingTo: [0, 1, 2, 3]))
        for index in 1...3 { #expect(simulation.replica(index).primary != ReplicaID(0)) }
        expectSafe(simulation)
    }

    @Test("a block committed at one replica and only prepared at the others is committed by the new view")
    func committedSomewhereSurvivesViewChange() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 24)
        func isCommit(_ frame: [UInt8]) -> Bool {
            if case .vote(let vote)? = simulation.decode(frame) {
                return vote.phase == .commit
            }
            return false
        }
        // Only node 1 hears commits: it commits height 1, the others stay prepared.
        simulation.frameFilter = { _, to, frame in to.index == 1 || !isCommit(frame) }
        simulation.start()
        let first = makeEvents(1, tag: "only-one")
        simulation.submit(first, to: 0)
        #expect(simulation.run(until: { simulation.nodes[1].height == 1 }, timeout: .seconds(1)))
        #expect(simulation.nodes[0].height == 0 && simulation.nodes[2].height == 0 && simulation.nodes[3].height == 0)
        let committed = simulation.nodes[1].ledger.blocks[0].block.digest
        simulation.crash(0)
        simulation.frameFilter = nil
        let later = makeEvents(5, tag: "after-crash")
        #expect(simulation.commit(later, submittingTo: [1, 2, 3]))
        for index in 1...3 {
            #expect(simulation.nodes[index].ledger.blocks[0].block.digest == committed)
            #expect(simulation.replica(index).view >= 1)
        }
        expectSafe(simulation)
    }

    @Test("seven validators survive two consecutive faulty primaries")
    func twoFaultyPrimaries() throws {
        let simulation = try Simulation(validatorCount: 7, seed: 25)
        simulation.nodes[0].behaviour = .silent
        simulation.nodes[1].behaviour = .silent
        simulation.start()
        let events = makeEvents(30, tag: "two-faulty")
        #expect(simulation.commit(events, submittingTo: [2, 3, 4, 5, 6]))
        for index in 2...6 { #expect(simulation.replica(index).view >= 2) }
        expectSafe(simulation)
    }

    @Test("the view-change timeout doubles while no view forms and resets after progress")
    func timeoutBackoff() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 26)
        var timeouts: [Duration] = []
        simulation.actionObserver = { node, action in
            if node.index == 2, case .startTimer(.viewChange, let after) = action { timeouts.append(after) }
        }
        simulation.start()
        // Two against two: no quorum can form a view.
        simulation.partition([[ReplicaID(0), ReplicaID(1)], [ReplicaID(2), ReplicaID(3)]])
        simulation.submit(makeEvents(3, tag: "stalled"), to: 2)
        simulation.run(for: .seconds(4))
        #expect(timeouts.count >= 4)
        for (earlier, later) in zip(timeouts, timeouts.dropFirst()) { #expect(later == earlier * 2) }
        #expect(simulation.nodes.allSatisfy { $0.height == 0 })
        simulation.heal()
        #expect(simulation.commit(makeEvents(3, tag: "healed"), submittingTo: [2]))
        timeouts.removeAll()
        simulation.crash(Int(simulation.replica(2).primary.index))
        simulation.submit(makeEvents(3, tag: "fresh"), to: 2)
        simulation.run(for: .seconds(1))
        #expect(timeouts.first == .milliseconds(100))
        expectSafe(simulation)
    }
}
