import Consensus
import ConsensusSimulation
import Testing

/// Distinct events whose payloads name `tag` and their index.
func makeEvents(_ count: Int, tag: String) -> [Event] {
    (0..<count).map { Event(payload: Array("{\"entityId\":\"\(tag)-\($0)\",\"type\":\"test\"}".utf8)) }
}

extension Simulation {
    /// Four replicas with batches of 4 events and a checkpoint every 4 blocks, so a few dozen events
    /// cross several checkpoints and garbage collections.
    static func frequentCheckpoints(seed: UInt64) throws -> Simulation {
        try Simulation(validatorCount: 4, seed: seed) {
            $0.maxBatchEvents = 4
            $0.checkpointInterval = 4
        }
    }

    /// Submits each event to the given nodes and runs until every correct running node committed them all.
    @discardableResult
    func commit(_ events: [Event], submittingTo targets: [Int] = [0], timeout: Duration = .seconds(30)) -> Bool {
        for target in targets { submit(events, to: target) }
        return run(until: { self.correctNodesAgree(onEvents: events.map(\.id)) }, timeout: timeout)
    }

    /// Every ledger block's event ids, across the correct nodes, for checking an event committed once.
    func committedEventCounts(of node: Int) -> [SHA256Hash: Int] {
        var counts: [SHA256Hash: Int] = [:]
        for block in nodes[node].ledger.blocks {
            for event in block.block.events where !block.duplicateEventIDs.contains(event.id) { counts[event.id, default: 0] += 1 }
        }
        return counts
    }

    /// The replica of a running node.
    func replica(_ index: Int) -> Replica { nodes[index].replica! }
}

/// Fails the test with the simulation's violations, each naming the seed that replays it.
func expectSafe(_ simulation: Simulation, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(simulation.violations.isEmpty, "\(simulation.violations.prefix(3).joined(separator: "\n"))", sourceLocation: sourceLocation)
}
