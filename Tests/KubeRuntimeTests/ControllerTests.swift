import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import KubeTestSupport
import Synchronization
import Testing

@testable import KubeRuntime

/// The controller against KubeSandbox: reconciles after the caches sync, on changes of the primary
/// kind and of the objects it controls, retries failures with backoff, requeues when asked, and never
/// runs one key twice at once.
@Suite struct ControllerTests {
    /// What reconciles saw: how often each name was reconciled, and whether two ever overlapped.
    final class Journal: Sendable {
        private struct State {
            var counts: [String: Int] = [:]
            var running: Set<String> = []
            var overlapped = false
        }
        private let state = Mutex(State())

        func begin(_ name: String) {
            state.withLock { state in
                state.counts[name, default: 0] += 1
                if !state.running.insert(name).inserted { state.overlapped = true }
            }
        }
        func end(_ name: String) { _ = state.withLock { $0.running.remove(name) } }
        func count(_ name: String) -> Int { state.withLock { $0.counts[name] ?? 0 } }
        var overlapped: Bool { state.withLock { $0.overlapped } }
    }

    private struct Failure: Error {}

    @Test func reconcilesPrimariesAndTheirOwnedObjectsRetriesFailuresAndNeverOverlapsAKey() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            let scope = WatcherConfiguration(namespace: namespace)
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "first", namespace: namespace), data: ["v": "1"]))
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "flaky", namespace: namespace), data: ["v": "1"]))

            let journal = Journal()
            let flakyFailures = Mutex(2)
            var controller = Controller(client, for: ConfigMap.self, configuration: scope).owns(Secret.self, configuration: scope)
            controller.maxConcurrentReconciles = 4
            let runner = Task { [controller] in
                await controller.run { map, _ in
                    let name = map.metadata.name ?? ""
                    journal.begin(name)
                    defer { journal.end(name) }
                    try await Task.sleep(for: .milliseconds(5))
                    if name == "flaky", flakyFailures.withLock({ (left: inout Int) -> Bool in
                        defer { left -= 1 }
                        return left > 0
                    }) {
                        throw Failure()
                    }
                    // Each primary controls a Secret of the same name.
                    var secret = Secret(metadata: ObjectMeta(name: name, namespace: namespace))
                    secret.metadata.ownerReferences = [
                        OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: name, uid: map.metadata.uid ?? "", controller: true)
                    ]
                    _ = try? await client.create(secret)
                    return .done
                }
            }
            try await eventually { journal.count("first") >= 1 && journal.count("flaky") >= 3 }
            try await eventually { (try? await client.get(Secret.self, name: "flaky", namespace: namespace)) != nil }

            // A change of an owned object reconciles its owner.
            let before = journal.count("first")
            var owned = try await client.get(Secret.self, name: "first", namespace: namespace)
            owned.metadata.labels = ["touched": "yes"]
            _ = try await client.replace(owned)
            try await eventually { journal.count("first") > before }
            #expect(!journal.overlapped)

            runner.cancel()
            _ = await runner.value
        }
    }

    @Test func aRequeueReconcilesAgainWithNothingChanged() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "polled", namespace: namespace)))
            let journal = Journal()
            let controller = Controller(client, for: ConfigMap.self, configuration: WatcherConfiguration(namespace: namespace))
            let runner = Task {
                await controller.run { map, _ in
                    journal.begin(map.metadata.name ?? "")
                    journal.end(map.metadata.name ?? "")
                    return .requeue(after: .milliseconds(50))
                }
            }
            try await eventually { journal.count("polled") >= 3 }
            runner.cancel()
            _ = await runner.value
        }
    }
}
