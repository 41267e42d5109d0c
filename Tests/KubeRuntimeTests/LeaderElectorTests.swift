import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Synchronization
import KubeTestSupport
import Testing

@testable import KubeRuntime

/// Two electors on one Lease in KubeSandbox: one leads at a time, and when the leader shuts down it
/// releases the Lease so the other takes over without waiting the lease out.
@Suite struct LeaderElectorTests {
    /// Who led when, by the test's clock.
    final class Timeline: Sendable {
        private let spans = Mutex<[(name: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant?)]>([])

        /// Opens a span; the number closes it.
        @discardableResult func begin(_ name: String) -> Int {
            spans.withLock { spans in
                spans.append((name, .now, nil))
                return spans.count - 1
            }
        }

        func end(_ span: Int) { spans.withLock { $0[span].end = .now } }

        var leaders: [String] { spans.withLock { $0.map(\.name) } }

        /// Whether two spans ever overlapped.
        var overlapped: Bool { anyOverlap { _, _ in true } }

        /// Whether spans of two different names ever overlapped.
        var instancesOverlapped: Bool { anyOverlap { $0 != $1 } }

        private func anyOverlap(between names: (String, String) -> Bool) -> Bool {
            spans.withLock { spans in
                for (index, span) in spans.enumerated() {
                    for other in spans[(index + 1)...] where names(span.name, other.name) {
                        if span.start < (other.end ?? .now) && other.start < (span.end ?? .now) { return true }
                    }
                }
                return false
            }
        }
    }

    @Test func oneLeadsAtATimeAndAReleasedLeaseIsTakenOverAtOnce() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            let timeline = Timeline()
            func elector(_ name: String) throws -> LeaderElector {
                LeaderElector(
                    client: client,
                    configuration: try LeaderElectionConfiguration(
                        identity: name, leaseNamespace: namespace, leaseName: "test-lock", leaseDuration: .seconds(4),
                        renewDeadline: .seconds(2), retryPeriod: .milliseconds(200)))
            }
            let first = try elector("first")
            let second = try elector("second")
            func campaign(_ elector: LeaderElector) -> Task<Void, Never> {
                Task {
                    await elector.run {
                        let span = timeline.begin(elector.configuration.identity)
                        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                        timeline.end(span)
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
            let lease = try await client.get(Lease.self, name: "test-lock", namespace: namespace)
            #expect(lease.spec?.holderIdentity == follower.configuration.identity)
            #expect(!timeline.overlapped)

            firstRun.cancel()
            secondRun.cancel()
            _ = await firstRun.value
            _ = await secondRun.value
        }
    }

    @Test func twoControllersBehindOneLeaseNeverReconcileAtTheSameTime() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            for index in 0..<5 { _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-\(index)", namespace: namespace))) }
            let timeline = Timeline()
            func instance(_ name: String) throws -> Task<Void, Never> {
                let elector = LeaderElector(
                    client: client,
                    configuration: try LeaderElectionConfiguration(
                        identity: name, leaseNamespace: namespace, leaseName: "controller-lock", leaseDuration: .seconds(4),
                        renewDeadline: .seconds(2), retryPeriod: .milliseconds(200)))
                var controller = Controller(client, for: ConfigMap.self, configuration: WatcherConfiguration(namespace: namespace))
                controller.maxConcurrentReconciles = 2
                return Task { [controller] in
                    await elector.run {
                        await controller.run { _, _ in
                            let span = timeline.begin(name)
                            defer { timeline.end(span) }
                            try await Task.sleep(for: .milliseconds(10))
                            return .requeue(after: .milliseconds(30))
                        }
                    }
                }
            }
            let first = try instance("first")
            let second = try instance("second")
            let deadline = ContinuousClock.now + .seconds(20)
            while timeline.leaders.count < 10, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let leader = try #require(timeline.leaders.first)
            #expect(Set(timeline.leaders) == [leader])
            // The leader shuts down; the other instance takes over and reconciles.
            (leader == "first" ? first : second).cancel()
            _ = await (leader == "first" ? first : second).value
            let follower = leader == "first" ? "second" : "first"
            while !timeline.leaders.contains(follower), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(timeline.leaders.contains(follower))
            // Spans of the same instance overlap (two workers); spans of different instances never do.
            #expect(!timeline.instancesOverlapped)
            first.cancel()
            second.cancel()
            _ = await first.value
            _ = await second.value
        }
    }
}
