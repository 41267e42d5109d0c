import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Synchronization
import Testing

@testable import KubeRuntime

/// Two electors on one Lease in KubeSandbox: one leads at a time, and when the leader shuts down it
/// releases the Lease so the other takes over without waiting the lease out.
@Suite struct LeaderElectorTests {
    /// Who led when, by the test's clock.
    final class Timeline: Sendable {
        private let spans = Mutex<[(name: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant?)]>([])
        func begin(_ name: String) { spans.withLock { $0.append((name, .now, nil)) } }
        func end(_ name: String) {
            spans.withLock { spans in
                if let index = spans.lastIndex(where: { $0.name == name && $0.end == nil }) { spans[index].end = .now }
            }
        }
        var leaders: [String] { spans.withLock { $0.map(\.name) } }
        /// Whether two spans ever overlapped.
        var overlapped: Bool {
            spans.withLock { spans in
                for (index, span) in spans.enumerated() {
                    for other in spans[(index + 1)...] {
                        let spanEnd = span.end ?? .now
                        let otherEnd = other.end ?? .now
                        if span.start < otherEnd && other.start < spanEnd { return true }
                    }
                }
                return false
            }
        }
    }

    @Test func oneLeadsAtATimeAndAReleasedLeaseIsTakenOverAtOnce() async throws {
        let server = try await SandboxServer.start(sandbox: Sandbox())
        var configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(server.kubeconfig()))
        configuration.retryPolicy = .none
        let client = try KubeClient(configuration: configuration)
        let timeline = Timeline()
        func elector(_ name: String) throws -> LeaderElector {
            LeaderElector(
                client: client,
                configuration: try LeaderElectionConfiguration(
                    identity: name, leaseNamespace: "default", leaseName: "test-lock", leaseDuration: .seconds(4),
                    renewDeadline: .seconds(2), retryPeriod: .milliseconds(200)))
        }
        let first = try elector("first")
        let second = try elector("second")
        func campaign(_ elector: LeaderElector) -> Task<Void, Never> {
            Task {
                await elector.run {
                    timeline.begin(elector.configuration.identity)
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                    timeline.end(elector.configuration.identity)
                }
            }
        }
        let firstRun = campaign(first)
        let secondRun = campaign(second)
        let deadline = ContinuousClock.now + .seconds(20)
        while timeline.leaders.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        // Both campaign for a while; only one may lead.
        try await Task.sleep(for: .seconds(1))
        #expect(timeline.leaders.count == 1)
        let leader = timeline.leaders.first
        let (leaderRun, follower) = leader == "first" ? (firstRun, second) : (secondRun, first)

        // A graceful shutdown releases the Lease: the follower leads well within the lease duration.
        let handOver = ContinuousClock.now
        leaderRun.cancel()
        _ = await leaderRun.value
        while !follower.isLeading, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(follower.isLeading)
        #expect(ContinuousClock.now - handOver < .seconds(3))
        let lease = try await client.get(Lease.self, name: "test-lock", namespace: "default")
        #expect(lease.spec?.holderIdentity == follower.configuration.identity)
        #expect(!timeline.overlapped)

        firstRun.cancel()
        secondRun.cancel()
        _ = await firstRun.value
        _ = await secondRun.value
        await server.stop()
        try await client.shutdown()
    }
}
