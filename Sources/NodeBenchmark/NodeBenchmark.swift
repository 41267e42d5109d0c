import ArgumentParser
import BenchmarkHTTP
import Foundation
import NIOCore

/// Load on a local 4-node network through the HTTP API, as clients would apply it, with one event per
/// request and with batches of 100: committed events/s and submit-to-commit latency at peak and at 1,000
/// events/s; also latency with one request at a time (the floor), leader fail-over time under load, and
/// each node's resident memory. Loopback only; every phase is bounded in time.
@main
struct NodeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node-benchmark", abstract: "Throughput, latency, fail-over and memory of a local subchain-node network.")

    @Option(help: "The subchain-node binary (default: next to this one).")
    var binary: String?

    @Option(help: "Validators.")
    var nodes = 4

    @Option(help: "Concurrent clients in the peak phases.")
    var clients = 64

    @Option(help: "Seconds per phase.")
    var seconds = 8

    @Option(help: "First consensus port; node i uses base+i.")
    var basePort = 25_001

    @Option(help: "First API port; node i uses base+i.")
    var apiBasePort = 22_661

    @Option(parsing: .upToNextOption, help: "Phases to run, in this order: unloaded, single, batched, paced, paced-batched, failover.")
    var phases: [Phase] = Phase.allCases

    enum Phase: String, CaseIterable, ExpressibleByArgument {
        case unloaded, single, batched, paced
        case pacedBatched = "paced-batched"
        case failover
    }

    func run() async throws {
        let binary = binary ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("subchain-node").path
        let cluster = try NodeCluster(binary: binary, count: nodes, basePort: basePort, apiBasePort: apiBasePort, viewChangeTimeoutMilliseconds: 1_000)
        defer {
            cluster.stopAll()
            cluster.removeFiles()
        }
        for index in 0..<nodes { try cluster.start(index) }
        let client = BenchmarkHTTPClient()
        do {
            try await measure(cluster: cluster, client: client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    private func measure(cluster: NodeCluster, client: BenchmarkHTTPClient) async throws {
        let load = LoadGenerator(client: client, endpoints: cluster.nodes.map(\.apiEndpoint))
        try await load.waitUntilReady(timeout: .seconds(30))
        print("node-benchmark: \(nodes) subchain-node processes on 127.0.0.1, \(clients) clients, \(seconds) s per phase")
        print("phase                        events/s   p50 ms   p99 ms  blocks/s  events/block")
        let phase = Duration.seconds(seconds)
        for (index, step) in phases.enumerated() {
            if index > 0, !(await load.settle(timeout: .seconds(10))) {
                print("(the cluster was still busy 10 s after the previous phase; the next one starts anyway)")
            }
            switch step {
            case .unloaded:
                print(await load.measuringBlocks { await load.oneAtATime(pause: .milliseconds(20), duration: phase) }.row("unloaded, 1 at a time"))
            case .single:
                print(await load.measuringBlocks { await load.closedLoop(clients: clients, batch: 1, duration: phase) }.row("peak, 1 event/request"))
            case .batched:
                print(await load.measuringBlocks { await load.closedLoop(clients: clients, batch: 100, duration: phase) }.row("peak, 100 events/request"))
            case .paced:
                print(await load.measuringBlocks { await load.openLoop(eventsPerSecond: 1_000, batch: 1, duration: phase) }.row("1,000 events/s, 1/request"))
            case .pacedBatched:
                print(
                    await load.measuringBlocks { await load.openLoop(eventsPerSecond: 1_000, batch: 100, duration: phase) }
                        .row("1,000 events/s, 100/request"))
            case .failover:
                printMemory(cluster)
                let leader = LeaderKiller(cluster: cluster)
                let failover = await load.failover(killing: { leader.kill() }, clients: 8, duration: phase)
                print(String(format: "leader fail-over (node-0 killed under load): commits resumed after %.2f s", failover))
            }
        }
        if !phases.contains(.failover) { printMemory(cluster) }
    }

    private func printMemory(_ cluster: NodeCluster) {
        let memory = (0..<nodes).map { cluster.residentBytes($0).map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "?" }
        print("RSS after load: " + memory.enumerated().map { "node-\($0.offset) \($0.element)" }.joined(separator: ", "))
    }
}

/// Kills node-0 from the load generator's task. The cluster is only touched here and by the main task,
/// which is waiting for the fail-over phase meanwhile.
private struct LeaderKiller: @unchecked Sendable {
    let cluster: NodeCluster
    func kill() { cluster.kill(0) }
}
