import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Synchronization
import KubeTestSupport
import Testing

@testable import KubeRuntime

/// The finalizer flow: the finalizer before any effect, cleanup while deletion runs, the finalizer's
/// removal only once cleanup is done, every patch guarded by the version it was decided on.
@Suite struct FinalizerTests {
    private static let name = "example.com/cleanup"

    private func map(deleting: Bool = false, finalizers: [String]? = nil) -> ConfigMap {
        var map = ConfigMap(metadata: ObjectMeta(name: "m", namespace: "default", resourceVersion: "7"))
        map.metadata.finalizers = finalizers
        if deleting { map.metadata.deletionTimestamp = KubeTime(Date(timeIntervalSince1970: 1_700_000_000)) }
        return map
    }

    @Test func theStepFollowsTheDeletionTimestampAndTheFinalizer() {
        #expect(FinalizerStep.of(map(), finalizer: Self.name)
            == .addFinalizer(.init(operations: [.test("/metadata/resourceVersion", "7"), .add("/metadata/finalizers", ["example.com/cleanup"])])))
        #expect(FinalizerStep.of(map(finalizers: ["other"]), finalizer: Self.name)
            == .addFinalizer(.init(operations: [.test("/metadata/resourceVersion", "7"), .add("/metadata/finalizers/-", "example.com/cleanup")])))
        #expect(FinalizerStep.of(map(finalizers: [Self.name]), finalizer: Self.name) == .apply)
        #expect(FinalizerStep.of(map(deleting: true, finalizers: ["other", Self.name]), finalizer: Self.name) == .cleanup)
        #expect(FinalizerStep.of(map(deleting: true, finalizers: ["other"]), finalizer: Self.name) == .nothing)
    }

    @Test func theRemovalTestsTheVersionAndTheIndex() {
        let patch = FinalizerStep.removing(Self.name, from: map(deleting: true, finalizers: ["other", Self.name]))
        #expect(patch?.operations == [
            .test("/metadata/resourceVersion", "7"), .test("/metadata/finalizers/1", "example.com/cleanup"), .remove("/metadata/finalizers/1"),
        ])
        #expect(FinalizerStep.removing(Self.name, from: map(finalizers: ["other"])) == nil)
    }

    @Test func cleanupRunsUntilDoneAndThenTheObjectGoes() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "held", namespace: namespace)))
            // Cleanup reports "not yet" twice before it is done; applies are counted.
            let cleanupsLeft = Mutex(3)
            let applies = Mutex(0)
            let controller = Controller(client, for: ConfigMap.self, configuration: WatcherConfiguration(namespace: namespace))
            let runner = Task {
                await controller.run { map, _ in
                    guard map.metadata.name == "held" else { return .done }
                    return try await Finalizer.reconcile(map, finalizer: Self.name, client: client) { event in
                        switch event {
                        case .apply:
                            applies.withLock { $0 += 1 }
                            return .done
                        case .cleanup:
                            let left = cleanupsLeft.withLock { (left: inout Int) -> Int in
                                left -= 1
                                return left
                            }
                            return left > 0 ? .requeue(after: .milliseconds(20)) : .done
                        }
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while applies.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let held = try await client.get(ConfigMap.self, name: "held", namespace: namespace)
            #expect(held.metadata.finalizers == [Self.name])

            _ = try await client.delete(ConfigMap.self, name: "held", namespace: namespace)
            var gone = false
            while !gone, ContinuousClock.now < deadline {
                do {
                    _ = try await client.get(ConfigMap.self, name: "held", namespace: namespace)
                    try await Task.sleep(for: .milliseconds(20))
                } catch let error as KubeError where error.code == .notFound {
                    gone = true
                }
            }
            #expect(gone)
            #expect(cleanupsLeft.withLock { $0 } == 0)
            runner.cancel()
            _ = await runner.value
        }
    }
}
