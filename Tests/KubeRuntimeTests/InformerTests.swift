import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import KubeTestSupport
import Synchronization
import Testing

@testable import KubeRuntime

/// The informer against KubeSandbox and its fault injection: it syncs from a paged list, follows
/// changes, and rides over dropped watches, 410s, failing lists, 429s and a server restart without
/// losing or keeping a stale object. Sandbox-only: a real cluster cannot be made to fail on cue.
@Suite struct InformerTests {
    /// The reasons of the failures a watcher reported, in order.
    final class FailureLog: Sendable {
        private let reasons = Mutex<[WatcherFailure.Reason]>([])
        func record(_ failure: WatcherFailure) { reasons.withLock { $0.append(failure.reason) } }
        var all: [WatcherFailure.Reason] { reasons.withLock { $0 } }
    }

    /// A sandbox, a client that does not retry (so every failure reaches the watcher), and a running
    /// informer of the `default` namespace's ConfigMaps.
    private struct Fixture {
        var server: SandboxServer
        let client: KubeClient
        let informer: Informer<ConfigMap>
        let runner: Task<Void, Never>
        let failures: FailureLog

        static func start(objects: Int = 0) async throws -> Fixture {
            let connection = try await SandboxConnection.start()
            let (server, client) = (connection.server, connection.client)
            for index in 0..<objects { _ = try await client.create(configMap("preloaded-\(index)")) }
            let failures = FailureLog()
            let watcher = WatcherConfiguration(
                namespace: "default", pageSize: 2, backoff: ExponentialBackoff(initial: .milliseconds(20), maximum: .milliseconds(200)))
            let informer = Informer(client, ConfigMap.self, configuration: watcher, onFailure: failures.record)
            let runner = Task { await informer.run() }
            return Fixture(server: server, client: client, informer: informer, runner: runner, failures: failures)
        }

        /// Stops the informer, then the sandbox and the client (the server, which may have restarted,
        /// is the fixture's current one).
        func stop() async {
            runner.cancel()
            _ = await runner.value
            await SandboxConnection(server: server, client: client).stop()
        }

        var names: Set<String> { Set(informer.snapshot.list().compactMap(\.metadata.name)).subtracting(["kube-root-ca.crt"]) }
    }

    private static func configMap(_ name: String, value: String = "1") -> ConfigMap {
        ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"), data: ["value": value])
    }


    @Test func itSyncsFromAPagedListAndFollowsCreatesUpdatesAndDeletes() async throws {
        let fixture = try await Fixture.start(objects: 5)
        await fixture.informer.waitUntilSynced()
        #expect(fixture.informer.hasSynced)
        #expect(fixture.names == Set((0..<5).map { "preloaded-\($0)" }))

        _ = try await fixture.client.create(Self.configMap("new"))
        var changed = try await fixture.client.get(ConfigMap.self, name: "preloaded-0", namespace: "default")
        changed.data = ["value": "2"]
        _ = try await fixture.client.replace(changed)
        _ = try await fixture.client.delete(ConfigMap.self, name: "preloaded-1", namespace: "default")
        try await eventually {
            fixture.names.contains("new") && !fixture.names.contains("preloaded-1")
                && fixture.informer.get(ObjectKey(namespace: "default", name: "preloaded-0"))?.data?["value"] == "2"
        }
        await fixture.stop()
    }

    @Test func aDroppedWatchResumesWithoutARelist() async throws {
        let fixture = try await Fixture.start(objects: 1)
        await fixture.informer.waitUntilSynced()
        fixture.server.sandbox.cutWatches()
        _ = try await fixture.client.create(Self.configMap("after-cut"))
        try await eventually { fixture.names.contains("after-cut") }
        await fixture.stop()
    }

    @Test func aDeleteMissedWhileDisconnectedIsGoneAfterThe410Relist() async throws {
        let fixture = try await Fixture.start(objects: 3)
        await fixture.informer.waitUntilSynced()
        // Watches fail while the object goes and the history is compacted: the resumed watch gets 410.
        try fixture.server.sandbox.injectFailures(FaultPlan.Rule(verb: "watch", status: 500, count: 3))
        fixture.server.sandbox.cutWatches()
        _ = try await fixture.client.delete(ConfigMap.self, name: "preloaded-2", namespace: "default")
        fixture.server.sandbox.compactHistory()
        try await eventually { !fixture.names.contains("preloaded-2") && fixture.names.contains("preloaded-0") }
        let reasons = fixture.failures.all
        #expect(reasons.contains(.serverError))
        #expect(reasons.contains(.expired))
        await fixture.stop()
    }

    @Test func failingListsAndThrottlingAreRetriedUntilTheCacheSyncs() async throws {
        let connection = try await SandboxConnection.start()
        let client = connection.client
        try connection.server.sandbox.injectFailures(FaultPlan.Rule(verb: "list", status: 500, count: 2))
        try connection.server.sandbox.injectFailures(FaultPlan.Rule(verb: "list", status: 429, count: 1, retryAfterSeconds: 1))
        let failures = FailureLog()
        let informer = Informer(
            client, ConfigMap.self,
            configuration: WatcherConfiguration(namespace: "default", backoff: ExponentialBackoff(initial: .milliseconds(20))),
            onFailure: failures.record)
        let runner = Task { await informer.run() }
        await informer.waitUntilSynced()
        #expect(informer.hasSynced)
        #expect(failures.all == [.serverError, .serverError, .throttled])
        runner.cancel()
        _ = await runner.value
        await connection.stop()
    }

    @Test func aServerRestartIsRiddenOver() async throws {
        var fixture = try await Fixture.start(objects: 1)
        await fixture.informer.waitUntilSynced()
        fixture.server = try await fixture.server.restart()
        _ = try await fixture.client.create(Self.configMap("after-restart"))
        try await eventually { fixture.names.contains("after-restart") }
        await fixture.stop()
    }

    @Test func aMetadataOnlyInformerCachesMetadataAndLabels() async throws {
        let connection = try await SandboxConnection.start()
        let client = connection.client
        var labelled = Self.configMap("labelled", value: String(repeating: "x", count: 2_048))
        labelled.metadata.labels = ["app": "web"]
        _ = try await client.create(labelled)
        let informer = Informer(watcher: Watcher<PartialObjectMetadata<ConfigMap>>.metadata(
            client, ConfigMap.self, configuration: WatcherConfiguration(namespace: "default")))
        let runner = Task { await informer.run() }
        await informer.waitUntilSynced()
        let cached = informer.snapshot.objects(labeled: "app", "web")
        #expect(cached.map(\.metadata.name) == ["labelled"])
        #expect(cached.first?.unmodelledFields.isEmpty == true)
        runner.cancel()
        _ = await runner.value
        await connection.stop()
    }
}
