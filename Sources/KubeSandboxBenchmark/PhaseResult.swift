import Foundation
import NIOHTTP1

/// What one phase measured: the latency of each request answered 2xx, and the others counted by status.
struct PhaseResult: Sendable {
    /// Latencies of the requests answered with a 2xx status.
    var latencies: [Duration] = []
    /// Requests not answered 2xx, by status code; ``noResponse`` for those that got no response at all.
    var failures: [Int: Int] = [:]
    /// From the phase's start to its last response.
    var elapsed = Duration.zero

    /// The key in ``failures`` of requests that failed without a response (refused, closed, timed out).
    static let noResponse = 0

    var succeeded: Int { latencies.count }
    var failed: Int { failures.values.reduce(0, +) }

    mutating func merge(_ other: PhaseResult) {
        latencies += other.latencies
        failures.merge(other.failures, uniquingKeysWith: +)
    }

    /// The table's header, aligned with ``row(_:)``.
    static let header = "phase        requests/s   p50 ms   p99 ms    failed"

    /// `phase  requests/s  p50 ms  p99 ms  failed`; requests/s counts the 2xx answers only.
    func row(_ phase: String) -> String {
        let milliseconds = latencies.map { $0 / .milliseconds(1) }.sorted()
        // The nearest-rank percentile: the smallest latency at or above which `fraction` of them lie.
        func percentile(_ fraction: Double) -> Double {
            milliseconds.isEmpty ? .nan : milliseconds[min(milliseconds.count - 1, Int(fraction * Double(milliseconds.count)))]
        }
        let perSecond = Double(succeeded) / max(elapsed / .seconds(1), 1e-9)
        let name = phase.padding(toLength: 12, withPad: " ", startingAt: 0)
        return name + String(format: " %10.0f %8.2f %8.2f %9ld", perSecond, percentile(0.5), percentile(0.99), failed)
    }

    /// `409 Conflict ×3, no response ×1`, or `nil` when every request was answered 2xx.
    func failureSummary() -> String? {
        guard !failures.isEmpty else { return nil }
        return failures.sorted { $0.key < $1.key }.map { code, count in
            let reason = code == Self.noResponse ? "no response" : "\(code) \(HTTPResponseStatus(statusCode: code).reasonPhrase)"
            return "\(reason) ×\(count)"
        }.joined(separator: ", ")
    }
}
