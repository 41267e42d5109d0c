import ConsensusSimulation
import Foundation
import Testing

/// Replays one randomized-sweep seed with a message trace when `SUBCHAIN_TRACE_SEED` names it, to read a
/// failure by eye; `SUBCHAIN_TRACE_LINES` sets how many of the last trace lines to print (default 300).
@Test(.enabled(if: ProcessInfo.processInfo.environment["SUBCHAIN_TRACE_SEED"] != nil))
func traceOneSeed() throws {
    let environment = ProcessInfo.processInfo.environment
    let seed = try #require(environment["SUBCHAIN_TRACE_SEED"].flatMap(UInt64.init), "SUBCHAIN_TRACE_SEED must be a number")
    var lines: [String] = []
    let outcome = try RandomFaultScenario(seed: seed).run { lines.append($0) }
    print(lines.suffix(environment["SUBCHAIN_TRACE_LINES"].flatMap(Int.init) ?? 300).joined(separator: "\n"))
    print("seed \(seed) [\(outcome.summary)] converged=\(outcome.converged) heights=\(outcome.heights)")
    #expect(outcome.passed, "\(outcome.violations)")
}
