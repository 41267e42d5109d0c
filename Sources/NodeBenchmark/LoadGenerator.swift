import BenchmarkHTTP
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// Clients submitting events with `?wait=commit`, so each response time is submit-to-commit latency.
final class LoadGenerator: Sendable {
    let client: BenchmarkHTTPClient
    let endpoints: [BenchmarkHTTPClient.Endpoint]
    /// Numbers the events, so every event submitted is new.
    private let sequence = Atomic<Int>(0)

    struct Result {
        var committedEvents = 0
        var duration = Duration.zero
        var latencies: [Duration] = []
        /// Blocks the chain grew by during the phase, when the first node could be asked.
        var blocks: UInt64?

        /// Counts a request whose `events` committed after `latency`.
        mutating func record(events: Int, latency: Duration) {
            committedEvents += events
            latencies.append(latency)
        }

        func row(_ name: String) -> String {
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return .nan }
                let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
                return Double(value.components.seconds) * 1_000 + Double(value.components.attoseconds) / 1e15
            }
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            let blockColumns = blocks.map { String(format: " %9.0f %10.1f", Double($0) / max(seconds, 1e-9), Double(committedEvents) / Double(max($0, 1))) } ?? ""
            return String(
                format: "%-28@ %9.0f %8.1f %8.1f", name as NSString, Double(committedEvents) / max(seconds, 1e-9), percentile(0.5),
                percentile(0.99)) + blockColumns
        }
    }

    init(client: BenchmarkHTTPClient, endpoints: [BenchmarkHTTPClient.Endpoint]) {
        self.client = client
        self.endpoints = endpoints
    }

    func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        for endpoint in endpoints {
            while true {
                if let response = try? await client.execute(.GET, "/readyz", to: endpoint, timeout: .seconds(1)), response.status == .ok {
                    break
                }
                guard ContinuousClock.now < deadline else {
                    throw BenchmarkFailure("\(endpoint.host):\(endpoint.port) did not become ready within \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// `clients` clients each submitting `batch` events per request, back to back, for `duration`.
    func closedLoop(clients: Int, batch: Int, duration: Duration, skipping skipped: Set<Int> = []) async -> Result {
        let started = ContinuousClock.now
        let end = started + duration
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for client in 0..<clients {
                group.addTask { [self] in
                    var result = Result()
                    let targets = endpoints.indices.filter { !skipped.contains($0) }
                    var turn = client
                    while ContinuousClock.now < end {
                        let endpoint = endpoints[targets[turn % targets.count]]
                        turn += 1
                        let begin = ContinuousClock.now
                        if await submit(batch: batch, to: endpoint) {
                            result.record(events: batch, latency: ContinuousClock.now - begin)
                        }
                    }
                    return result
                }
            }
            for await result in group {
                total.committedEvents += result.committedEvents
                total.latencies += result.latencies
            }
        }
        total.duration = ContinuousClock.now - started
        return total
    }

    /// One client sending one event at a time, with `pause` between a response and the next request, to
    /// every node in turn: the latency of the commit path itself, with nothing queued in front of it.
    func oneAtATime(pause: Duration, duration: Duration) async -> Result {
        let started = ContinuousClock.now
        var result = Result()
        var turn = 0
        while ContinuousClock.now < started + duration {
            let begin = ContinuousClock.now
            if await submit(batch: 1, to: endpoints[turn % endpoints.count]) {
                result.record(events: 1, latency: ContinuousClock.now - begin)
            }
            turn += 1
            try? await Task.sleep(for: pause)
        }
        result.duration = ContinuousClock.now - started
        return result
    }

    /// Requests of `batch` events at a fixed rate of events, whatever the responses, for `duration`.
    func openLoop(eventsPerSecond: Int, batch: Int, duration: Duration) async -> Result {
        let started = ContinuousClock.now
        let interval = Duration.seconds(1) * batch / eventsPerSecond
        let count = Int(duration / interval)
        var total = Result()
        await withTaskGroup(of: Duration?.self) { group in
            // Each request starts when it is due, from this one pacing task, rather than as a task of its
            // own sleeping until then: thousands of sleeping tasks would be thousands of timers, which cost
            // the machine that also runs the nodes. A late wake-up sends what is overdue at once, so the
            // rate holds.
            for index in 0..<count {
                try? await Task.sleep(until: started + interval * index)
                group.addTask { [self] in
                    let begin = ContinuousClock.now
                    return await submit(batch: batch, to: endpoints[index % endpoints.count]) ? ContinuousClock.now - begin : nil
                }
            }
            for await latency in group {
                if let latency { total.record(events: batch, latency: latency) }
            }
        }
        total.duration = ContinuousClock.now - started
        return total
    }

    /// Runs load, kills the leader a third of the way in, and reports how long until a request sent
    /// after the kill commits.
    func failover(killing kill: @escaping @Sendable () -> Void, clients: Int, duration: Duration) async -> Double {
        let marks = FailoverMarks()
        let end = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: duration / 3)
                kill()
                marks.killedAt.withLock { $0 = .now }
            }
            for client in 0..<clients {
                group.addTask { [self] in
                    var turn = client
                    while ContinuousClock.now < end, marks.resumedAt.withLock({ $0 }) == nil {
                        let target = 1 + turn % (endpoints.count - 1)
                        turn += 1
                        let sentAfterKill = marks.killedAt.withLock { $0 } != nil
                        if await submit(batch: 1, to: endpoints[target]), sentAfterKill {
                            marks.resumedAt.withLock { if $0 == nil { $0 = .now } }
                        }
                    }
                }
            }
        }
        guard let killed = marks.killedAt.withLock({ $0 }), let resumed = marks.resumedAt.withLock({ $0 }) else { return .nan }
        let gap = resumed - killed
        return Double(gap.components.seconds) + Double(gap.components.attoseconds) / 1e18
    }

    /// The chain height the first node reports, or `nil` when it does not answer.
    func height() async -> UInt64? { await status(of: endpoints[0])?.height }

    /// Waits, up to `timeout`, until every node holds no pending events and all report one height that
    /// has not moved for 100 ms: the work a phase left behind (backups still executing its last blocks,
    /// events still ordering) would otherwise be charged to the next phase's latencies.
    /// - Returns: whether the cluster went quiet in time.
    func settle(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var previous: [StatusHeight]?
        while ContinuousClock.now < deadline {
            var statuses: [StatusHeight] = []
            for endpoint in endpoints {
                guard let status = await status(of: endpoint) else { break }
                statuses.append(status)
            }
            let quiet = statuses.count == endpoints.count && statuses.allSatisfy { $0.pendingEvents == 0 && $0.height == statuses[0].height }
            if quiet, let previous, previous.map(\.height) == statuses.map(\.height) { return true }
            previous = quiet ? statuses : nil
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private func status(of endpoint: BenchmarkHTTPClient.Endpoint) async -> StatusHeight? {
        guard let response = try? await client.execute(.GET, "/v1/status", to: endpoint, timeout: .seconds(2)), response.status == .ok
        else { return nil }
        return try? JSONDecoder().decode(StatusHeight.self, from: response.body)
    }

    /// Runs a phase and records how many blocks the chain grew by meanwhile.
    func measuringBlocks(_ phase: () async -> Result) async -> Result {
        let before = await height()
        var result = await phase()
        if let before, let after = await height(), after >= before { result.blocks = after - before }
        return result
    }

    /// Submits `batch` new events and waits for their commit. - Returns: whether all committed.
    private func submit(batch: Int, to endpoint: BenchmarkHTTPClient.Endpoint) async -> Bool {
        let first = sequence.add(batch, ordering: .relaxed).oldValue
        let events = (first..<first + batch).map { #"{"entityId":"lot-\#($0)","type":"bench","details":{"n":"\#($0)"}}"# }
        let body = ByteBuffer(string: batch == 1 ? events[0] : #"{"events":[\#(events.joined(separator: ","))]}"#)
        let response = try? await client.execute(.POST, "/v1/events?wait=commit", body: body, to: endpoint, timeout: .seconds(30))
        return response?.status == .ok
    }
}

/// When the leader was killed and when the first request sent after that committed.
private final class FailoverMarks: Sendable {
    let killedAt = Mutex<ContinuousClock.Instant?>(nil)
    let resumedAt = Mutex<ContinuousClock.Instant?>(nil)
}

/// The part of `GET /v1/status` the benchmark reads.
private struct StatusHeight: Decodable {
    let height: UInt64
    let pendingEvents: Int
}
