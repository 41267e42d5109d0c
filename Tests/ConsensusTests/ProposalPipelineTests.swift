import Consensus
import ConsensusSimulation
import Testing

@Suite("Proposals in flight")
struct ProposalPipelineTests {
    /// The blocks the primary proposed in `actions`.
    private func proposals(_ harness: ReplicaHarness, in actions: [ReplicaAction]) -> [Block] {
        actions.compactMap { action -> Block? in
            guard case .broadcast(let frame) = action, case .prePrepare(_, let block)? = harness.decode(frame) else { return nil }
            return block
        }
    }

    /// Prepares and commits from the three backups, enough to commit `block` at the primary.
    private func commit(_ block: Block, at harness: inout ReplicaHarness) -> [ReplicaAction] {
        var actions: [ReplicaAction] = []
        for backup: UInt32 in 1...3 { actions += harness.deliver(harness.vote(.prepare, block, by: backup)) }
        for backup: UInt32 in 1...3 { actions += harness.deliver(harness.vote(.commit, block, by: backup)) }
        return actions
    }

    @Test("the primary stops at the in-flight limit and gathers later events into one block")
    func limitGathersEvents() throws {
        var harness = try ReplicaHarness(replicaIndex: 0) { $0.maxProposalsInFlight = 2 }
        let first = proposals(harness, in: harness.handle(.submit(makeEvents(15, tag: "first"))))
        #expect(first.map(\.events.count) == [10, 5])
        #expect(first.map(\.height) == [1, 2])

        // Both slots are taken: new events wait, and no batch timer runs for them.
        let waiting = harness.handle(.submit(makeEvents(7, tag: "later")))
        #expect(proposals(harness, in: waiting).isEmpty)
        #expect(!waiting.contains { if case .startTimer(.batch, _) = $0 { true } else { false } })
        #expect(harness.replica.pendingEventCount == 7)

        // The first block commits; its slot goes to all seven waiting events at once.
        let afterCommit = commit(first[0], at: &harness)
        #expect(harness.ledger.height == 1)
        let next = proposals(harness, in: afterCommit)
        #expect(next.map(\.height) == [3])
        #expect(next.first?.events.count == 7)
        #expect(harness.replica.pendingEventCount == 0)
    }

    @Test("with one proposal in flight, blocks follow each other in order and every event commits once")
    func oneInFlightCommitsEverything() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 21) {
            $0.maxProposalsInFlight = 1
            $0.maxBatchEvents = 8
        }
        simulation.start()
        let events = makeEvents(60, tag: "serial")
        #expect(simulation.commit(events))
        for node in simulation.nodes {
            let committed = node.ledger.blocks.flatMap(\.block.events).map(\.id)
            #expect(Set(committed) == Set(events.map(\.id)))
            #expect(committed.count == events.count)
        }
        expectSafe(simulation)
    }

    @Test("a limit below one is refused with a message naming it")
    func invalidLimit() throws {
        let harness = try ReplicaHarness()
        var configuration = harness.configuration
        configuration.maxProposalsInFlight = 0
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect("\(error)".contains("proposals in flight"))
        }
    }
}
