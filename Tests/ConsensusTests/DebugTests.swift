import ConsensusSimulation
import Foundation
import Testing

/// Replays one sweep seed with a trace, when `SUBCHAIN_TRACE_SEED` names it; otherwise does nothing.
@Test func traceOneSeed() throws {
    guard let seed = ProcessInfo.processInfo.environment["SUBCHAIN_TRACE_SEED"].flatMap(UInt64.init) else { return }
    var lines: [String] = []
    let outcome = try RandomFaultScenario(seed: seed).run { lines.append($0) }
    print(lines.suffix(Int(ProcessInfo.processInfo.environment["SUBCHAIN_TRACE_LINES"] ?? "300") ?? 300).joined(separator: "\n"))
    print(outcome.summary, outcome.converged, outcome.heights, outcome.violations)
}
