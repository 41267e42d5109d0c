import Consensus
import ConsensusSimulation
import Testing

@Suite("Normal case")
struct NormalCaseTests {
    @Test("n replicas commit every event into one identical chain", arguments: [1, 4, 7])
    func commitsWithNValidators(validatorCount: Int) throws {
        let simulation = try Simulation(validatorCount: validatorCount, seed: UInt64(validatorCount))
        simulation.start()
        let events = makeEvents(50, tag: "n\(validatorCount)")
        #expect(simulation.commit(events, submittingTo: [0]))
        expectSafe(simulation)
        let heights = Set(simulation.nodes.map(\.height))
        #expect(heights.count == 1)
        #expect(simulation.nodes.allSatisfy { $0.replica!.view == 0 })
        #expect(simulation.nodes.allSatisfy { $0.replica!.counters.viewChangesStarted == 0 })
    }

    @Test("events submitted to a backup are forwarded to the primary and committed")
    func backupsForward() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 11)
        simulation.start()
        let events = makeEvents(40, tag: "fwd")
        #expect(simulation.commit(Array(events[..<20]), submittingTo: [2]))
        #expect(simulation.commit(Array(events[20...]), submittingTo: [3]))
        expectSafe(simulation)
    }

    @Test("an event submitted many times, to several replicas, commits once")
    func duplicatesCommitOnce() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 12)
        simulation.start()
        let events = makeEvents(30, tag: "dup")
        #expect(simulation.commit(events, submittingTo: [0, 1, 2, 3]))
        #expect(simulation.commit(events + events, submittingTo: [1, 0]))
        for node in simulation.nodes.indices {
            let counts = simulation.committedEventCounts(of: node)
            #expect(counts.count == events.count)
            #expect(counts.values.allSatisfy { $0 == 1 })
        }
        expectSafe(simulation)
    }

    @Test("with no load nothing is proposed and no timer runs")
    func idleNetworkIsQuiet() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 13)
        simulation.start()
        simulation.run(for: .seconds(5))
        #expect(simulation.nodes.allSatisfy { $0.height == 0 })
        let stepsWhenIdle = simulation.steps
        simulation.run(for: .seconds(60))
        #expect(simulation.steps == stepsWhenIdle)
    }

    @Test("blocks respect the batch size and chain by hash")
    func batchesAndHashChain() throws {
        let simulation = try Simulation(validatorCount: 4, seed: 14) { $0.maxBatchEvents = 10 }
        simulation.start()
        #expect(simulation.commit(makeEvents(95, tag: "batch")))
        let ledger = simulation.nodes[1].ledger
        #expect(ledger.blocks.allSatisfy { $0.block.events.count <= 10 })
        var previous = simulation.configuration.genesisHash
        for block in ledger.blocks {
            #expect(block.previousHash == previous)
            #expect(block.hash == CommittedBlock.chainHash(previous: previous, digest: block.block.digest))
            previous = block.hash
        }
        expectSafe(simulation)
    }

    @Test("the log is garbage-collected at stable checkpoints under sustained load")
    func checkpointsBoundTheLog() throws {
        let simulation = try Simulation.frequentCheckpoints(seed: 15)
        simulation.start()
        for round in 0..<10 {
            #expect(simulation.commit(makeEvents(40, tag: "gc\(round)")))
        }
        simulation.run(for: .seconds(1))
        for node in simulation.nodes {
            let replica = node.replica!
            #expect(replica.stableCheckpoint.sequence >= node.height - 4)
            #expect(replica.retainedLogEntries <= 4)
            #expect(replica.stableCheckpoint.votes.count >= 3)
        }
        expectSafe(simulation)
    }
}

@Suite("Pending limits")
struct PendingLimitTests {
    @Test("events beyond the pending count or byte limit are refused as overload, not dropped silently")
    func pendingLimits() throws {
        var harness = try ReplicaHarness(replicaIndex: 1) {
            $0.maxPendingEvents = 20
            $0.maxPendingBytes = 64 * 1024
        }
        let small = makeEvents(25, tag: "count")
        let rejectedByCount = harness.handle(.submit(small)).compactMap { action -> [SHA256Hash]? in
            if case .rejectEvents(let ids, .overloaded) = action { ids } else { nil }
        }
        #expect(rejectedByCount.flatMap { $0 } == small.suffix(5).map(\.id))
        var bytesHarness = try ReplicaHarness(replicaIndex: 1) { $0.maxPendingBytes = 64 * 1024 }
        let large = (0..<3).map { Event(payload: [UInt8](repeating: UInt8($0), count: 30 * 1024)) }
        let rejectedByBytes = bytesHarness.handle(.submit(large)).compactMap { action -> [SHA256Hash]? in
            if case .rejectEvents(let ids, .overloaded) = action { ids } else { nil }
        }
        #expect(rejectedByBytes.flatMap { $0 } == [large[2].id])
        #expect(bytesHarness.replica.pendingEventCount == 2)
    }
}
