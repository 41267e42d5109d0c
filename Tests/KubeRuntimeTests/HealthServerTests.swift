import AsyncHTTPClient
import Foundation
import KubeClient
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import KubeRuntime

/// `/healthz`, `/readyz` and `/metrics` answer as a controller-runtime manager's do, over a real socket.
@Suite struct HealthServerTests {
    @Test func reportsFormatChecksAsKubeApiserverDoes() {
        let passing = HealthReport(endpoint: "readyz", results: [("ping", nil), ("informer-sync", nil)], verbose: false)
        #expect(passing.status == 200 && passing.body == "ok")
        let verbose = HealthReport(endpoint: "readyz", results: [("ping", nil)], verbose: true)
        #expect(verbose.body == "[+]ping ok\nreadyz check passed\n")
        let failing = HealthReport(endpoint: "readyz", results: [("ping", nil), ("informer-sync", "not yet")], verbose: false)
        #expect(failing.status == 500)
        #expect(failing.body == "[+]ping ok\n[-]informer-sync failed: reason withheld\nreadyz check failed\n")
        let explained = HealthReport(endpoint: "healthz", results: [("informer-sync", "not yet")], verbose: true)
        #expect(explained.body == "[-]informer-sync failed: not yet\nhealthz check failed\n")
    }

    @Test func servesProbesAndMetricsOnLoopback() async throws {
        let synced = Mutex(false)
        let metrics = RuntimeMetrics()
        metrics.controllerStarted("subchain", maxConcurrentReconciles: 1)
        var server = HealthServer(
            host: "127.0.0.1", port: 0, readiness: [.ping, .cachesSynced { synced.withLock { $0 } }], metrics: metrics)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        server.onBound = { bound.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [server], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        func get(_ path: String) async throws -> (Int, String) {
            let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        }

        #expect(try await get("/healthz") == (200, "ok"))
        #expect(try await get("/readyz") == (500, "[+]ping ok\n[-]informer-sync failed: reason withheld\nreadyz check failed\n"))
        #expect(try await get("/readyz?verbose") == (500, "[+]ping ok\n[-]informer-sync failed: caches have not synced yet\nreadyz check failed\n"))
        #expect(try await get("/readyz?exclude=informer-sync") == (200, "ok"))
        #expect(try await get("/readyz/informer-sync") == (500, "internal server error: caches have not synced yet"))
        #expect(try await get("/readyz/unknown").0 == 404)
        synced.withLock { $0 = true }
        #expect(try await get("/readyz") == (200, "ok"))
        #expect(try await get("/readyz/informer-sync") == (200, "ok"))
        let (status, exposition) = try await get("/metrics")
        #expect(status == 200)
        #expect(exposition.contains(#"controller_runtime_max_concurrent_reconciles{controller="subchain"} 1"#))

        try await http.shutdown()
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func aStandbyIsReadyWithoutCaches() async throws {
        let client = try KubeClient(configuration: ClientConfiguration(server: "https://127.0.0.1:1"))
        let elector = LeaderElector(
            client: client, configuration: try LeaderElectionConfiguration(identity: "b", leaseNamespace: "system", leaseName: "operator"))
        let check = HealthCheck.cachesSynced(leader: elector) { false }
        #expect(await check.check() == nil)
        let leaderless = HealthCheck.cachesSynced { false }
        #expect(await leaderless.check() == "caches have not synced yet")
        try await client.shutdown()
    }
}
