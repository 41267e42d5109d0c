import ConsensusSimulation
import Foundation
import Testing

/// Thousands of seeded runs with random faults within f. Each checks safety after every commit and
/// convergence after healing. `SUBCHAIN_SWEEP_RUNS` sets the number of runs (default 2,000) and
/// `SUBCHAIN_SWEEP_SEED` the first seed, so a failure replays with `SUBCHAIN_SWEEP_SEED=<seed> SUBCHAIN_SWEEP_RUNS=1`.
// Serialized: the shards saturate one core between them and leave the other to the socket-level tests
// running beside them, whose timing a fully loaded machine would distort.
@Suite("Randomized sweep", .serialized)
struct RandomizedSweepTests {
    static let shards = 8

    static var runs: Int { ProcessInfo.processInfo.environment["SUBCHAIN_SWEEP_RUNS"].flatMap(Int.init) ?? 2_000 }
    static var firstSeed: UInt64 { ProcessInfo.processInfo.environment["SUBCHAIN_SWEEP_SEED"].flatMap(UInt64.init) ?? 1 }

    @Test("random faults within f never fork the chain, and the network converges once healed", arguments: 0..<shards)
    func sweep(shard: Int) throws {
        var failures: [String] = []
        for offset in stride(from: shard, to: Self.runs, by: Self.shards) {
            let outcome = try RandomFaultScenario(seed: Self.firstSeed + UInt64(offset)).run()
            if !outcome.passed {
                failures.append(
                    "seed \(outcome.seed) [\(outcome.summary)] converged=\(outcome.converged) heights=\(outcome.heights) "
                        + "\(outcome.violations.prefix(2).joined(separator: "; ")) — replay: SUBCHAIN_SWEEP_SEED=\(outcome.seed) SUBCHAIN_SWEEP_RUNS=1")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failing runs:\n\(failures.prefix(10).joined(separator: "\n"))")
    }
}
