import ArgumentParser
import Consensus
import ConsensusSimulation
import Crypto
import Foundation

/// Measures how fast n replicas order events in one process, over the in-memory network, with real
/// Ed25519 signatures: committed events/s, blocks/s and CPU time per block, for several batch sizes.
///
/// The simulated network has no latency, so the figures are the cost of consensus itself: signing,
/// verifying, hashing, encoding and the replica's bookkeeping.
@main
struct ConsensusBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus-benchmark",
        abstract: "Throughput of the PBFT core: n replicas in one process, real signatures, no network latency.")

    @Option(name: .long, help: "Number of validators.")
    var validators = 4

    @Option(name: .long, parsing: .upToNextOption, help: "Batch sizes (events per block) to measure.")
    var batchSizes: [Int] = [1, 100, 1_000]

    @Option(name: .long, help: "Blocks to commit per batch size.")
    var blocks = 400

    @Option(name: .long, help: "Payload bytes per event.")
    var eventBytes = 100

    @Option(name: .long, help: "Batches the clients keep outstanding at the primary.")
    var outstandingBatches = 32

    @Option(name: .long, help: "Proposals the primary keeps in flight (the replica's maxProposalsInFlight).")
    var proposalsInFlight = ReplicaConfiguration.defaultMaxProposalsInFlight

    func validate() throws {
        guard validators >= 1 else { throw ValidationError("--validators must be at least 1") }
        guard batchSizes.allSatisfy({ (1...10_000).contains($0) }) else { throw ValidationError("batch sizes must be 1...10000") }
        guard (1...100_000).contains(blocks) else { throw ValidationError("--blocks must be 1...100000") }
        guard (16...65_536).contains(eventBytes) else { throw ValidationError("--event-bytes must be 16...65536") }
        guard (1...64).contains(proposalsInFlight) else { throw ValidationError("--proposals-in-flight must be 1...64") }
        guard (1...1_000).contains(outstandingBatches) else { throw ValidationError("--outstanding-batches must be 1...1000") }
    }

    func run() throws {
        print(
            "consensus-benchmark: n=\(validators) replicas in one process, Ed25519, \(eventBytes)-byte events, "
                + "\(blocks) blocks per run, \(outstandingBatches) batches outstanding, at most \(proposalsInFlight) proposal(s) in flight, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        // The threaded cluster runs no timers, so it has no view changes to report.
        try printTable("one thread per replica (in-memory mailboxes)", countsViewChanges: false, measure: measureThreaded(batch:))
        try printTable(
            "all replicas on one thread (the deterministic simulator, as the tests drive it)", countsViewChanges: true,
            measure: measure(batch:))
    }

    private func printTable(_ title: String, countsViewChanges: Bool, measure: (Int) throws -> Result) throws {
        print("\n\(title)")
        print("batch    events/s     blocks/s   CPU µs/block   wall s" + (countsViewChanges ? "   view changes" : ""))
        for batch in batchSizes {
            let result = try measure(batch)
            let row = String(
                format: "%5d %11.0f %12.1f %14.0f %8.2f", batch, result.eventsPerSecond, result.blocksPerSecond,
                result.cpuMicrosecondsPerBlock, result.wallSeconds)
            print(row + (countsViewChanges ? String(format: " %14d", result.viewChanges ?? 0) : ""))
        }
    }

    private func makeEvents(batch: Int) -> [Event] {
        (0..<batch * blocks).map { index -> Event in
            var payload = Array("bench-\(batch)-\(index)-".utf8)
            payload += Array(repeating: UInt8(ascii: "x"), count: max(0, eventBytes - payload.count))
            return Event(payload: payload)
        }
    }

    private func benchmarkConfiguration(_ configuration: inout ReplicaConfiguration, batch: Int) {
        configuration.maxBatchEvents = batch
        configuration.maxBatchWait = .zero
        configuration.maxProposalsInFlight = proposalsInFlight
        configuration.maxPendingEvents = max(batch * outstandingBatches, batch)
        configuration.limits.maxBlockEvents = max(batch, configuration.limits.maxBlockEvents)
        configuration.limits.maxBlockBytes = max(batch * (eventBytes + 8), configuration.limits.maxBlockBytes)
    }

    private func measureThreaded(batch: Int) throws -> Result {
        var random = SeededRandom(seed: 42)
        let keys = try (0..<validators).map { _ in
            var bytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
            return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        }
        let set = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        var configuration = ReplicaConfiguration(chainID: "bench", validators: set)
        benchmarkConfiguration(&configuration, batch: batch)
        let events = makeEvents(batch: batch)
        let batches = stride(from: 0, to: events.count, by: batch).map { Array(events[$0..<min(events.count, $0 + batch)]) }
        let cluster = ThreadedCluster(configuration: configuration, keys: keys)
        let measured = try cluster.run(
            batches: batches, outstanding: outstandingBatches, blocks: UInt64(blocks), deadline: .now + .seconds(600))
        let (wall, cpu) = (measured.wall, measured.cpuSeconds)
        guard measured.reached else { throw ValidationError("threaded run did not reach \(blocks) blocks in time") }
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return Result(
            eventsPerSecond: Double(blocks * batch) / seconds, blocksPerSecond: Double(blocks) / seconds,
            cpuMicrosecondsPerBlock: cpu * 1e6 / Double(blocks), wallSeconds: seconds, viewChanges: nil)
    }

    private struct Result {
        let eventsPerSecond: Double
        let blocksPerSecond: Double
        let cpuMicrosecondsPerBlock: Double
        let wallSeconds: Double
        /// `nil` where the harness runs no timers and so cannot change views.
        let viewChanges: Int?
    }

    private func measure(batch: Int) throws -> Result {
        let simulation = try Simulation(validatorCount: validators, seed: 42, conditions: NetworkConditions(minDelay: .zero, maxDelay: .zero)) {
            benchmarkConfiguration(&$0, batch: batch)
        }
        simulation.verifiesCertificates = false
        let total = batch * blocks
        for node in simulation.nodes { node.ledger.reserveCapacity(events: total, blocks: blocks) }
        simulation.start()
        let events = makeEvents(batch: batch)
        // Closed-loop load, as steady clients give: a fixed number of batches outstanding at the primary,
        // one more submitted whenever the primary commits a block. Submitting everything at once would
        // measure a queue of hundreds of thousands of events instead of consensus.
        var submitted = 0
        func submitBatch() {
            guard submitted < total else { return }
            simulation.submit(Array(events[submitted..<min(total, submitted + batch)]), to: 0)
            submitted += batch
        }
        simulation.actionObserver = { node, action in
            if node.index == 0, case .commit = action { submitBatch() }
        }
        let cpuStart = processCPUSeconds()
        let wallStart = ContinuousClock.now
        for _ in 0..<outstandingBatches { submitBatch() }
        let target = UInt64(blocks)
        let done = simulation.run(until: { simulation.nodes.allSatisfy { $0.height >= target } }, timeout: .seconds(3_600))
        let wall = ContinuousClock.now - wallStart
        let cpu = processCPUSeconds() - cpuStart
        guard done, simulation.violations.isEmpty else {
            throw ValidationError("run did not complete cleanly: \(simulation.violations.first ?? "timed out")")
        }
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let committedEvents = Double(simulation.nodes[0].ledger.blocks.reduce(0) { $0 + $1.block.events.count })
        let committedBlocks = Double(simulation.nodes[0].height)
        return Result(
            eventsPerSecond: committedEvents / seconds, blocksPerSecond: committedBlocks / seconds,
            cpuMicrosecondsPerBlock: cpu * 1e6 / committedBlocks, wallSeconds: seconds,
            viewChanges: simulation.nodes.reduce(0) { $0 + ($1.replica?.counters.viewChangesStarted ?? 0) })
    }
}
