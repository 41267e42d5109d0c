import ArgumentParser
import Consensus
import Foundation
import SubChainNode

/// `subchain-node keygen`: one validator's signing and transport keys.
struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a validator's Ed25519 signing key and CURVE transport key (mode 0600); print the public keys.")

    @Option(name: .long, help: "The directory to write the key files into.")
    var out: String

    @Option(name: .customLong("node-id"), help: "Prefix the file names with this id (node-N).")
    var nodeID: String?

    @Flag(name: .customLong("no-curve"), help: "Write no transport key (a chain without CURVE).")
    var noCurve = false

    func run() async throws {
        await CommandFailure.reporting {
            if let nodeID, ReplicaID(nodeName: nodeID) == nil {
                throw CommandFailure("--node-id: \"\(nodeID)\" is not of the form node-N", exitCode: CommandFailure.usage)
            }
            let prefix = nodeID.map { "\($0)." } ?? ""
            let directory = URL(fileURLWithPath: out)
            let signingPath = directory.appendingPathComponent("\(prefix)signing.key").path
            let transportPath = directory.appendingPathComponent("\(prefix)transport.key").path
            for path in [signingPath, transportPath] where FileManager.default.fileExists(atPath: path) {
                throw CommandFailure("--out: \(path) exists; keys are never overwritten", exitCode: CommandFailure.usage)
            }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let keys = try NodeKeys.generate(withTransport: !noCurve)
            try keys.write(signingKeyTo: signingPath, transportKeyTo: noCurve ? nil : transportPath)
            print("signingKeyFile: \(signingPath)")
            print("signingKey: \(keys.signing.publicKey.rawRepresentation.base64EncodedString())")
            if let transport = keys.transport {
                print("transportKeyFile: \(transportPath)")
                print("transportKey: \(transport.publicKey.z85)")
            }
        }
    }
}
