import Foundation
import SubChainNode

/// The files of a sub-chain on one host: keys, genesis, data directories and one env file per node.
///
/// Layout under `directory`:
/// ```
/// genesis.json
/// node-0/signing.key  node-0/transport.key  node-0/data/
/// node-0.env          # NODE_ID=node-0 PEERS=… NODE_PORT=… API_PORT=… *_FILE=… DATA_DIR=…
/// ```
/// Paths in the env files are absolute, so `env $(cat node-0.env) subchain-node run` works from anywhere.
struct LocalNetwork {
    let directory: URL
    let chainID: String
    let nodeCount: Int
    let host: String
    let basePort: Int
    let apiBasePort: Int
    let curve: Bool

    /// Node `index`'s consensus port.
    func nodePort(_ index: Int) -> Int { basePort + index }
    /// Node `index`'s HTTP API port.
    func apiPort(_ index: Int) -> Int { apiBasePort + index }
    /// Node `index`'s directory (keys and data).
    func nodeDirectory(_ index: Int) -> URL { directory.appendingPathComponent("node-\(index)") }
    /// Node `index`'s env file.
    func envFile(_ index: Int) -> URL { directory.appendingPathComponent("node-\(index).env") }
    /// Node `index`'s API base URL.
    func apiURL(_ index: Int) -> String { "http://\(host):\(apiPort(index))" }

    /// Checks the arguments.
    /// - Throws: ``CommandFailure`` (usage) naming the argument at fault.
    func validate() throws(CommandFailure) {
        guard (1...64).contains(nodeCount) else { throw CommandFailure("--nodes: \(nodeCount) is not in 1…64", exitCode: CommandFailure.usage) }
        guard !chainID.isEmpty else { throw CommandFailure("--chain-id: empty", exitCode: CommandFailure.usage) }
        for (flag, base) in [("--base-port", basePort), ("--api-base-port", apiBasePort)] {
            guard base >= 1, base + nodeCount - 1 <= 65_535 else {
                throw CommandFailure("\(flag): \(base)…\(base + nodeCount - 1) is not a port range", exitCode: CommandFailure.usage)
            }
        }
        let consensus = basePort..<(basePort + nodeCount)
        let api = apiBasePort..<(apiBasePort + nodeCount)
        guard !consensus.overlaps(api) else {
            throw CommandFailure("--api-base-port: ports \(api) overlap the consensus ports \(consensus)", exitCode: CommandFailure.usage)
        }
    }

    /// Writes keys, genesis and env files, and creates the data directories.
    /// - Returns: the genesis written.
    func write() throws -> Genesis {
        try validate()
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        var entries: [Genesis.ValidatorEntry] = []
        for index in 0..<nodeCount {
            let keys = try NodeKeys.generate(withTransport: curve)
            let folder = nodeDirectory(index)
            try files.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
            try keys.write(
                signingKeyTo: folder.appendingPathComponent("signing.key").path,
                transportKeyTo: curve ? folder.appendingPathComponent("transport.key").path : nil)
            entries.append(
                Genesis.ValidatorEntry(
                    id: "node-\(index)", signingKey: keys.signing.publicKey.rawRepresentation.base64EncodedString(),
                    transportKey: keys.transport?.publicKey.z85))
        }
        let genesis = Genesis(chainId: chainID, validators: entries)
        try genesis.encoded().write(to: directory.appendingPathComponent("genesis.json"))
        for index in 0..<nodeCount {
            try Data(environment(index).map { "\($0.0)=\($0.1)\n" }.joined().utf8).write(to: envFile(index))
        }
        return genesis
    }

    /// Node `index`'s settings, in `NodeSettings.variables` order.
    func environment(_ index: Int) -> [(String, String)] {
        // PEERS carries no CURVE keys: the node takes them from the genesis, which keeps the line short.
        let peers = (0..<nodeCount).filter { $0 != index }.map { "node-\($0)@\(host):\(nodePort($0))" }.joined(separator: ",")
        let folder = nodeDirectory(index)
        var variables: [(String, String)] = [
            ("NODE_ID", "node-\(index)"), ("PEERS", peers), ("NODE_PORT", "\(nodePort(index))"), ("API_PORT", "\(apiPort(index))"),
            ("BIND_HOST", host), ("CHAIN_ID", chainID), ("GENESIS_FILE", directory.appendingPathComponent("genesis.json").path),
            ("SIGNING_KEY_FILE", folder.appendingPathComponent("signing.key").path),
        ]
        if curve { variables.append(("TRANSPORT_KEY_FILE", folder.appendingPathComponent("transport.key").path)) }
        variables.append(("DATA_DIR", folder.appendingPathComponent("data").path))
        return variables
    }
}
