import Consensus
import Crypto
import Foundation
import ZeroMQ

/// The genesis document every node of a sub-chain starts from: the chain id and the validators with
/// their public keys. The operator writes it into a ConfigMap; `subchain-node genesis` writes it for a
/// local network.
///
/// ```json
/// {"chainId": "demo", "validators": [
///   {"id": "node-0", "signingKey": "<base64 Ed25519 public key>", "transportKey": "<Z85 CURVE public key>"}, …]}
/// ```
public struct Genesis: Codable, Sendable, Equatable {
    /// One validator's public identity.
    public struct ValidatorEntry: Codable, Sendable, Equatable {
        /// `node-N`, N being the validator's position.
        public var id: String
        /// The Ed25519 public key that verifies its consensus messages, base64.
        public var signingKey: String
        /// Its CURVE public key for encrypted transport, Z85; absent when the chain runs without CURVE.
        public var transportKey: String?

        public init(id: String, signingKey: String, transportKey: String?) {
            self.id = id
            self.signingKey = signingKey
            self.transportKey = transportKey
        }
    }

    public var chainId: String
    public var validators: [ValidatorEntry]

    public init(chainId: String, validators: [ValidatorEntry]) {
        self.chainId = chainId
        self.validators = validators
    }

    /// Reads and checks a genesis file.
    /// - Throws: ``NodeConfigurationError`` naming the file and what is wrong with it.
    public static func load(from path: String) throws(NodeConfigurationError) -> Genesis {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalid("GENESIS_FILE", "cannot read \(path): \(error.localizedDescription)")
        }
        let genesis: Genesis
        do {
            genesis = try JSONDecoder().decode(Genesis.self, from: data)
        } catch {
            throw .invalid("GENESIS_FILE", "\(path) is not a genesis document (expected {\"chainId\": …, \"validators\": [{\"id\", \"signingKey\", \"transportKey\"}]}): \(error)")
        }
        _ = try genesis.validatorSet(source: path)
        return genesis
    }

    /// The consensus validator set, with every key checked.
    /// - Throws: ``NodeConfigurationError`` naming the validator and the key at fault.
    public func validatorSet(source: String = "genesis") throws(NodeConfigurationError) -> ValidatorSet {
        guard !chainId.isEmpty else { throw .invalid("GENESIS_FILE", "\(source): chainId is empty") }
        var validators: [Validator] = []
        for (position, entry) in self.validators.enumerated() {
            guard let id = ReplicaID(nodeName: entry.id), id.index == UInt32(position) else {
                throw .invalid("GENESIS_FILE", "\(source): validator \(position) has id \"\(entry.id)\", expected \"node-\(position)\"")
            }
            guard let raw = Data(base64Encoded: entry.signingKey),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else {
                throw .invalid("GENESIS_FILE", "\(source): \(entry.id) signingKey is not a base64 Ed25519 public key (32 bytes)")
            }
            if let transportKey = entry.transportKey {
                do {
                    _ = try ZMQCurveKey(z85: transportKey)
                } catch {
                    throw .invalid("GENESIS_FILE", "\(source): \(entry.id) transportKey is not a 40-character Z85 CURVE key")
                }
            }
            validators.append(Validator(id: id, publicKey: key))
        }
        do {
            return try ValidatorSet(validators)
        } catch {
            throw .invalid("GENESIS_FILE", "\(source): \(error)")
        }
    }

    /// The CURVE public key of a validator, if the genesis lists one.
    public func transportKey(of id: ReplicaID) -> ZMQCurveKey? {
        guard Int(id.index) < validators.count, let z85 = validators[Int(id.index)].transportKey else { return nil }
        return try? ZMQCurveKey(z85: z85)
    }

    /// The document as pretty, key-sorted JSON.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
