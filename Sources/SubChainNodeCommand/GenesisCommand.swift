import ArgumentParser
import Foundation

/// `subchain-node genesis`: keys, genesis and env files for a sub-chain on one host.
struct GenesisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis",
        abstract: "Write keys for N validators, genesis.json and node-i.env files.",
        discussion: "Start node i with: env $(cat DIR/node-i.env) subchain-node run")

    @Option(help: "The number of validators (3f+1 tolerates f faults).")
    var nodes: Int

    @Option(name: .customLong("chain-id"), help: "The chain id.")
    var chainID: String

    @Option(help: "The directory to write into.")
    var out: String

    @Option(help: "The host the nodes listen on and dial.")
    var host = "127.0.0.1"

    @Option(name: .customLong("base-port"), help: "node-i's consensus port is base-port + i.")
    var basePort = 5001

    @Option(name: .customLong("api-base-port"), help: "node-i's HTTP API port is api-base-port + i.")
    var apiBasePort = 2661

    @Flag(name: .customLong("no-curve"), help: "Do not encrypt peer traffic (no transport keys).")
    var noCurve = false

    func run() async throws {
        await CommandFailure.reporting {
            let network = LocalNetwork(
                directory: URL(fileURLWithPath: out), chainID: chainID, nodeCount: nodes, host: host, basePort: basePort,
                apiBasePort: apiBasePort, curve: !noCurve)
            try network.validate()
            if FileManager.default.fileExists(atPath: network.directory.appendingPathComponent("genesis.json").path) {
                throw CommandFailure("--out: \(out) already holds a genesis.json; keys are never overwritten", exitCode: CommandFailure.usage)
            }
            _ = try network.write()
            print("genesis: \(network.directory.appendingPathComponent("genesis.json").path)")
            for index in 0..<nodes {
                print("node-\(index): env $(cat \(network.envFile(index).path)) subchain-node run    # API \(network.apiURL(index))")
            }
        }
    }
}
