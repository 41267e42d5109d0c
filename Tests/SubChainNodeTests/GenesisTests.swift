import Consensus
import Crypto
import Foundation
import SubChainNode
import Testing
import ZeroMQ

@Suite("Genesis and keys")
struct GenesisTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-genesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func genesis(keys: [NodeKeys], chainID: String = "demo") -> Genesis {
        Genesis(
            chainId: chainID,
            validators: keys.enumerated().map {
                Genesis.ValidatorEntry(
                    id: "node-\($0.offset)", signingKey: $0.element.signing.publicKey.rawRepresentation.base64EncodedString(),
                    transportKey: $0.element.transport?.publicKey.z85)
            })
    }

    @Test("a written genesis loads back into the same validator set, with transport keys")
    func roundTrip() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = try (0..<4).map { _ in try NodeKeys.generate() }
        let genesis = Self.genesis(keys: keys)
        let path = directory.appendingPathComponent("genesis.json").path
        try genesis.encoded().write(to: URL(fileURLWithPath: path))
        let loaded = try Genesis.load(from: path)
        #expect(loaded == genesis)
        let set = try loaded.validatorSet()
        #expect(set.count == 4 && set.faultTolerance == 1)
        #expect(loaded.transportKey(of: ReplicaID(2)) == keys[2].transport?.publicKey)
    }

    @Test("every malformed genesis is refused with a message naming the setting and the fault", arguments: [
        (#"{"chainId": "", "validators": []}"#, "chainId is empty"),
        (#"{"chainId": "c", "validators": [{"id": "node-1", "signingKey": "AAAA"}]}"#, #"expected "node-0""#),
        (#"{"chainId": "c", "validators": [{"id": "node-0", "signingKey": "not base64!"}]}"#, "signingKey is not a base64 Ed25519"),
        (#"{"chainId": "c"}"#, "is not a genesis document"),
        ("garbage", "is not a genesis document"),
    ])
    func malformed(json: String, expected: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("genesis.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try Genesis.load(from: path)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("GENESIS_FILE: ") && message.contains(expected)
        }
    }

    @Test("a bad transport key and a missing file are named")
    func badTransportKeyAndMissingFile() throws {
        var genesis = Self.genesis(keys: [try NodeKeys.generate()])
        genesis.validators[0].transportKey = "short"
        #expect(throws: NodeConfigurationError.self) { try genesis.validatorSet() }
        #expect { try Genesis.load(from: "/nonexistent/genesis.json") } throws: { "\($0)".contains("cannot read /nonexistent/genesis.json") }
    }

    @Test("key files round-trip with owner-only permissions; bad key files are refused")
    func keyFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = try NodeKeys.generate()
        let signingPath = directory.appendingPathComponent("signing.key").path
        let transportPath = directory.appendingPathComponent("transport.key").path
        try keys.write(signingKeyTo: signingPath, transportKeyTo: transportPath)
        #expect(try NodeKeys.loadSigningKey(from: signingPath).rawRepresentation == keys.signing.rawRepresentation)
        #expect(try NodeKeys.loadTransportKey(from: transportPath) == keys.transport)
        let permissions = try FileManager.default.attributesOfItem(atPath: signingPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        try Data("nope\n".utf8).write(to: URL(fileURLWithPath: signingPath))
        #expect { try NodeKeys.loadSigningKey(from: signingPath) } throws: { "\($0)".hasPrefix("SIGNING_KEY_FILE: ") }
        try Data("nope\n".utf8).write(to: URL(fileURLWithPath: transportPath))
        #expect { try NodeKeys.loadTransportKey(from: transportPath) } throws: { "\($0)".hasPrefix("TRANSPORT_KEY_FILE: ") }
    }
}
