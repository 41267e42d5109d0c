import ArgumentParser
import Consensus
import ConsensusSimulation
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

    func validate() throws {
        guard validators >= 1 else { throw ValidationError("--validators must be at least 1") }
        guard batchSizes.allSatisfy({ (1...10_000).contains($0) }) else { throw ValidationError("batch sizes must be 1...10000") }
        guard (1...100_000).contains(blocks) else { throw ValidationError("--blocks must be 1...100000") }
        guard (16...65_536).contains(eventBytes) else { throw ValidationError("--event-bytes must be 16...65536") }
    }

    func run() throws {
        print("consensus-benchmark: n=\(validators) replicas in one process, Ed25519, \(eventBytes)-byte events, \(blocks) blocks per run")
        print("batch    events/s     blocks/s   CPU µs/block   wall s   view changes")
        for batch in batchSizes {
            let result = try measure(batch: batch)
            print(
                String(
                    format: "%5d %11.0f %12.1f %14.0f %8.2f %14d", batch, result.eventsPerSecond, result.blocksPerSecond,
                    result.cpuMicrosecondsPerBlock, result.wallSeconds, result.viewChanges))
        }
    }

    private struct Result {
        let eventsPerSecond: Double
        let blocksPerSecond: Double
        let cpuMicrosecondsPerBlock: Double
        let wallSeconds: Double
        let viewChanges: Int
    }

    private func measure(batch: Int) throws -> Result {
        let simulation = try Simulation(validatorCount: validators, seed: 42, conditions: NetworkConditions(minDelay: .zero, maxDelay: .zero)) {
            $0.maxBatchEvents = batch
            $0.maxBatchWait = .zero
            $0.maxPendingEvents = max(batch * blocks, batch)
            $0.limits.maxBlockEvents = max(batch, $0.limits.maxBlockEvents)
            $0.limits.maxBlockBytes = max(batch * (eventBytes + 8), $0.limits.maxBlockBytes)
        }
        simulation.verifiesCertificates = false
        simulation.start()
        let total = batch * blocks
        let events = (0..<total).map { index -> Event in
            var payload = Array("bench-\(batch)-\(index)-".utf8)
            payload += Array(repeating: UInt8(ascii: "x"), count: max(0, eventBytes - payload.count))
            return Event(payload: payload)
        }
        let cpuStart = Self.processCPUTime()
        let wallStart = ContinuousClock.now
        // Submit in batch-sized slices so the primary proposes full blocks, as under steady load.
        for start in stride(from: 0, to: total, by: batch) {
            simulation.submit(Array(events[start..<min(total, start + batch)]), to: 0)
        }
        let target = UInt64(blocks)
        let done = simulation.run(until: { simulation.nodes.allSatisfy { $0.height >= target } }, timeout: .seconds(3_600))
        let wall = ContinuousClock.now - wallStart
        let cpu = Self.processCPUTime() - cpuStart
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

    private static func processCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
