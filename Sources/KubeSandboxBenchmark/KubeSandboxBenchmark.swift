import ArgumentParser
import BenchmarkHTTP
import Foundation
import KubeSandbox
import Logging
import NIOCore
import NIOFoundationCompat

/// Load on an in-process sandbox as the operator's benchmark will apply it: concurrent clients creating,
/// getting, updating and listing ConfigMaps over plain HTTP on 127.0.0.1, one watch open while they
/// create, and the process's resident memory for the objects it then holds. Every phase is bounded in time
/// and in requests; failed requests are counted by status, not fatal.
@main
struct KubeSandboxBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-sandbox-benchmark", abstract: "Writes, reads, lists, a watch and memory of an in-process kube-sandbox.")

    @Option(help: "Concurrent clients.")
    var clients = 16

    @Option(help: "Seconds per phase.")
    var seconds = 5

    @Option(help: "ConfigMaps preloaded for the get, update and list phases.")
    var objects = 1_000

    /// No client on this machine gets near 100,000 requests a second; the cap only bounds the loops (and
    /// the latencies kept) should the clock misbehave.
    private var requestsPerClient: Int { 100_000 * seconds }

    func validate() throws {
        guard (1...1_024).contains(clients) else { throw ValidationError("--clients must be 1…1024, got \(clients)") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1…600, got \(seconds)") }
        guard (1...1_000_000).contains(objects) else { throw ValidationError("--objects must be 1…1000000, got \(objects)") }
    }

    func run() async throws {
        // The server's start-up line would land in the middle of the table.
        var logger = Logger(label: "kube-sandbox")
        logger.logLevel = .warning
        let server = try await SandboxServer.start(useTLS: false, logger: logger)
        let client = BenchmarkHTTPClient()
        await measure(server: server, client: client)
        await client.shutdown()
        await server.stop()
    }

    private func measure(server: SandboxServer, client: BenchmarkHTTPClient) async {
        let startMemory = ResidentMemory.current()
        let load = SandboxLoad(client: client, port: server.port, token: server.users.adminToken, clients: clients)
        let requests = ConfigMapRequests(preloaded: objects)
        print(
            "kube-sandbox-benchmark: sandbox in this process on 127.0.0.1:\(server.port) (plain HTTP), \(clients) clients, "
                + "\(seconds) s per phase, \(objects) ConfigMaps preloaded")
        for namespace in [ConfigMapRequests.readNamespace, ConfigMapRequests.createNamespace] {
            let request = LoadRequest(method: .POST, path: "/api/v1/namespaces", body: ConfigMapRequests.namespaceBody(namespace))
            let code = await load.send(request).code
            if code != 201 { print("creating namespace \(namespace) was answered \(code); the phases in it will fail") }
        }
        let preload = await load.spread(objects, within: .seconds(120)) { requests.preload($0) }
        print(String(format: "preloaded %ld ConfigMaps in %.2f s", preload.succeeded, preload.elapsed / .seconds(1)))
        var results = [("preload", preload)]

        print(PhaseResult.header)
        let phase = Duration.seconds(seconds)
        let cap = requestsPerClient
        let watch = await openWatch(server)
        let create = await load.run(for: phase, requestsPerClient: { _ in cap }) { requests.create(client: $0, sequence: $1) }
        print(create.row("create"))
        results.append(("create", create))
        // Closed before the next phase, after the events still queued for it have arrived, so that the
        // watch costs only the phase it watches.
        await watch?.wait(for: create.succeeded, timeout: .seconds(5))
        let watched = await watch?.close()

        let phases: [(String, @Sendable (Int, Int) -> LoadRequest)] = [
            ("get", { requests.get(client: $0, sequence: $1) }),
            ("update", { requests.update(client: $0, sequence: $1) }),
            ("list", { _, _ in requests.list() }),
        ]
        for (name, request) in phases {
            let result = await load.run(for: phase, requestsPerClient: { _ in cap }, request)
            print(result.row(name + (name == "list" ? " (100)" : "")))
            results.append((name, result))
        }

        if let watched {
            print(
                "watch: 1 open during create received \(watched.events) events for \(create.succeeded) ConfigMaps created"
                    + (watched.endedByServer ? " (the server ended it early: it fell behind by more than its buffer)" : ""))
        }
        await printMemory(load: load, before: startMemory)
        for (name, result) in results {
            if let summary = result.failureSummary() { print("failed in \(name): \(summary)") }
        }
    }

    /// The watch on the create phase's namespace, or `nil` (said why) when it cannot be opened: the other
    /// phases are worth measuring without it.
    private func openWatch(_ server: SandboxServer) async -> WatchCounter? {
        // timeoutSeconds bounds the watch on the server's side too, should the close below never happen.
        let path = ConfigMapRequests.collectionPath(ConfigMapRequests.createNamespace) + "?watch=true&timeoutSeconds=\(seconds + 60)"
        do {
            return try await WatchCounter.open(host: "127.0.0.1", port: server.port, path: path, token: server.users.adminToken)
        } catch {
            print("watch: not opened (\(error)); the create phase runs without it")
            return nil
        }
    }

    /// Resident memory now and at the start, and the ConfigMaps the sandbox holds, which it counts itself
    /// (a list of one, plus its `remainingItemCount`).
    private func printMemory(load: SandboxLoad, before: Int?) async {
        let answer = await load.send(LoadRequest(method: .GET, path: "/api/v1/configmaps?limit=1"))
        let stored = answer.body.flatMap { try? JSONDecoder().decode(ListCount.self, from: $0) }
            .map { $0.items.count + ($0.metadata.remainingItemCount ?? 0) }
        guard let now = ResidentMemory.current() else {
            print("memory: no /proc/self/status here; \(stored.map(String.init) ?? "?") ConfigMaps stored")
            return
        }
        var line = "memory: RSS \(ResidentMemory.mebibytes(now))"
        if let before { line += " (\(ResidentMemory.mebibytes(before)) before the load)" }
        line += ", \(stored.map(String.init) ?? "? (the count was answered \(answer.code))") ConfigMaps stored"
        if let before, let stored, stored > 0 {
            line += String(format: ", %.1f KiB per object above the start", Double(now - before) / Double(stored) / 1_024)
        }
        print(line)
    }
}

/// The part of a list the count needs.
private struct ListCount: Decodable {
    struct Metadata: Decodable {
        let remainingItemCount: Int?
    }

    /// An item, not read.
    struct Item: Decodable {}

    let metadata: Metadata
    let items: [Item]
}
