import ArgumentParser
import BenchmarkHTTP
import Foundation
import KubeClient
import KubeCore
import KubeRuntime

/// The controller runtime's caches and queue at the operator's scale: an informer over 20,000 ConfigMaps
/// of about 1 KiB in a sandbox of its own process (HTTPS on 127.0.0.1), how long it takes to sync, how
/// fast it applies a burst of updates, what this process then holds with whole objects and with metadata
/// only, and how many keys a second the work queue hands to 8 workers that do nothing. Every phase is
/// bounded.
@main
struct KubeRuntimeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-runtime-benchmark", abstract: "Informer sync, event rate and memory, and work queue throughput.")

    @Option(help: "ConfigMaps in the sandbox.")
    var objects = 20_000

    @Option(help: "Updates applied while the informer watches.")
    var updates = 5_000

    @Option(help: "Keys through the work queue.")
    var keys = 200_000

    func validate() throws {
        guard (1...200_000).contains(objects) else { throw ValidationError("--objects must be 1…200000, got \(objects)") }
        guard (1...200_000).contains(updates) else { throw ValidationError("--updates must be 1…200000, got \(updates)") }
        guard (1...10_000_000).contains(keys) else { throw ValidationError("--keys must be 1…10000000, got \(keys)") }
    }

    func run() async throws {
        let sandbox = try SandboxProcess()
        defer { sandbox.stop() }
        var configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(sandbox.kubeconfig))
        configuration.retryPolicy = .none
        // The benchmark measures the runtime, not the client's default 50 requests per second.
        configuration.rateLimit = RateLimit(queriesPerSecond: 1_000_000, burst: 1_000_000)
        let client = try KubeClient(configuration: configuration)
        print("kube-runtime-benchmark: kube-sandbox in its own process (HTTPS on 127.0.0.1), \(objects) ConfigMaps of ~1 KiB")
        do {
            try await measure(client)
        } catch {
            print("benchmark stopped: \(error)")
        }
        try await client.shutdown()
    }

    private func measure(_ client: KubeClient) async throws {
        let payload = String(repeating: "x", count: 900)
        let started = ContinuousClock.now
        try await forEachConcurrently(0..<objects, width: 16) { index in
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-\(index)", namespace: "default"), data: ["payload": payload]))
        }
        print(String(format: "preloaded %d ConfigMaps in %.2f s", objects, seconds(ContinuousClock.now - started)))
        print("phase                          figure")

        // Metadata only first: memory freed by a released cache is not always returned to the system.
        let beforeMetadata = TrimmedMemory.current()
        let metadata = Informer(watcher: Watcher<PartialObjectMetadata<ConfigMap>>.metadata(
            client, ConfigMap.self, configuration: WatcherConfiguration(namespace: "default")))
        let metadataSync = try await sync(metadata)
        let metadataMemory = (TrimmedMemory.current()) - beforeMetadata
        print(row("sync, metadata only", String(format: "%.2f s", metadataSync.seconds)))
        print(row("RSS kept, metadata only", "\(ResidentMemory.mebibytes(metadataMemory)) (\(metadataMemory / objects) B per object)"))
        metadataSync.runner.cancel()
        _ = await metadataSync.runner.value

        let beforeFull = TrimmedMemory.current()
        let full = Informer(client, ConfigMap.self, configuration: WatcherConfiguration(namespace: "default"))
        let fullSync = try await sync(full)
        let fullMemory = (TrimmedMemory.current()) - beforeFull
        print(row("sync, whole objects", String(format: "%.2f s", fullSync.seconds)))
        print(row("RSS kept, whole objects", "\(ResidentMemory.mebibytes(fullMemory)) (\(fullMemory / objects) B per object)"))

        // Updates from 16 writers; the rate is what the informer applied, first write to last seen.
        let changes = full.changes()
        let counter = Task {
            var seen = 0
            for await batch in changes {
                seen += batch.count { if case .updated = $0 { true } else { false } }
                if seen >= updates { break }
            }
            return ContinuousClock.now
        }
        let updateStart = ContinuousClock.now
        try await forEachConcurrently(0..<updates, width: 16) { index in
            let name = "cm-\(index % objects)"
            _ = try await client.patch(
                ConfigMap.self, name: name, namespace: "default", patch: .merge(["data": ["round": .string(String(index))]]))
        }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(120))
            counter.cancel()
        }
        let lastSeen = await counter.value
        deadline.cancel()
        let elapsed = seconds(lastSeen - updateStart)
        print(row("events applied", String(format: "%.0f/s (%d updates in %.2f s)", Double(updates) / elapsed, updates, elapsed)))
        fullSync.runner.cancel()
        _ = await fullSync.runner.value

        print(row("work queue, 8 idle workers", String(format: "%.0f keys/s", await queueThroughput())))
    }

    private struct Synced {
        var seconds: Double
        var runner: Task<Void, Never>
    }

    private func sync<Object>(_ informer: Informer<Object>) async throws -> Synced {
        let start = ContinuousClock.now
        let runner = Task { await informer.run() }
        await informer.waitUntilSynced()
        return Synced(seconds: seconds(ContinuousClock.now - start), runner: runner)
    }

    /// Keys through a queue with 8 workers that return at once.
    private func queueThroughput() async -> Double {
        let queue = WorkQueue<Int>(maxConcurrentReconciles: 8)
        let remaining = Countdown(keys)
        let start = ContinuousClock.now
        for key in 0..<keys { queue.add(key) }
        await queue.run { _ in
            if remaining.tick() { queue.shutDown() }
            return .success
        }
        return Double(keys) / seconds(ContinuousClock.now - start)
    }

    private func row(_ name: String, _ figure: String) -> String {
        name.padding(toLength: 31, withPad: " ", startingAt: 0) + figure
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Runs `body` for each element with at most `width` at a time.
    private func forEachConcurrently(
        _ range: Range<Int>, width: Int, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = range.lowerBound
            while next < range.upperBound, next < range.lowerBound + width {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
            while try await group.next() != nil, next < range.upperBound {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
            try await group.waitForAll()
        }
    }
}
