import ArgumentParser
import Dispatch
import Foundation

/// `subchain-node devnet`: a whole sub-chain on 127.0.0.1, as child processes of this one.
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Run N validators on 127.0.0.1 as child processes until Ctrl-C.",
        discussion: "Settings in this process's environment (VIEW_CHANGE_TIMEOUT_MS, BATCH_SIZE, …) pass to every node.")

    @Option(help: "The number of validators.")
    var nodes = 4

    @Option(help: "Where keys, genesis and data go; a fresh temporary directory by default. A directory that already holds a genesis is reused with its keys and data.")
    var dir: String?

    @Option(name: .customLong("chain-id"), help: "The chain id.")
    var chainID = "devnet"

    @Option(name: .customLong("base-port"), help: "node-i's consensus port is base-port + i.")
    var basePort = 5001

    @Option(name: .customLong("api-base-port"), help: "node-i's HTTP API port is api-base-port + i.")
    var apiBasePort = 2661

    @Option(name: .customLong("grace-seconds"), help: "How long nodes get to stop after SIGTERM before SIGKILL.")
    var graceSeconds = 10

    func run() async throws {
        await CommandFailure.reporting {
            let directory = dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("subchain-devnet-\(UUID().uuidString.prefix(8))")
            let network = LocalNetwork(
                directory: directory, chainID: chainID, nodeCount: nodes, host: "127.0.0.1", basePort: basePort,
                apiBasePort: apiBasePort, curve: true)
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("genesis.json").path) {
                try network.validate()
                Console.say("devnet: reusing \(directory.path)")
            } else {
                _ = try network.write()
                Console.say("devnet: \(directory.path)")
            }
            try await DevnetSupervisor(network: network, grace: .seconds(graceSeconds)).run()
        }
    }
}
