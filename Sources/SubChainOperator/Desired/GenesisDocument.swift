import Crypto
import Foundation
import KubeCore
import SubChainNode

/// A sub-chain's genesis as its ConfigMap holds it: the exact text every node reads, and its hash.
///
/// Once the ConfigMap exists it is the chain's identity: the operator reads it back and never writes a
/// different one (new validators or keys under running nodes would fork the ledger).
public struct GenesisDocument: Sendable, Equatable {
    /// The ConfigMap entry, mounted as `GENESIS_FILE`.
    public static let entry = "genesis.json"
    /// On the ConfigMap and on every node's pod template, so that a new genesis rolls the pods.
    public static let hashAnnotation = "hierachain.io/genesis-hash"

    public let genesis: Genesis
    /// The document exactly as stored.
    public let text: String

    /// A new genesis for `validators`, in order (`node-0` first).
    public init(chainID: String, validators: [ValidatorIdentity]) {
        let entries = validators.enumerated().map { index, identity in
            Genesis.ValidatorEntry(id: SubChainNames.node(index), signingKey: identity.signingKey, transportKey: identity.transportKey)
        }
        genesis = Genesis(chainId: chainID, validators: entries)
        text = String(decoding: genesis.encoded(), as: UTF8.self) + "\n"
    }

    /// The genesis a ConfigMap holds.
    /// - Throws: ``GenesisProblem`` when the entry is missing or is not a valid genesis (the node would
    ///   refuse it too).
    public init(configMap: ConfigMap) throws(GenesisProblem) {
        guard let text = configMap.data?[Self.entry] else { throw GenesisProblem(message: "the ConfigMap has no \(Self.entry) entry") }
        let genesis: Genesis
        do {
            genesis = try JSONDecoder().decode(Genesis.self, from: Data(text.utf8))
            _ = try genesis.validatorSet(source: "ConfigMap \(SubChainNames.genesisConfigMap)")
        } catch let error as NodeConfigurationError {
            throw GenesisProblem(message: error.reason)
        } catch {
            throw GenesisProblem(message: "\(Self.entry) is not a genesis document: \(error)")
        }
        self.genesis = genesis
        self.text = text
    }

    /// SHA-256 of the stored text, hex: what `status.genesisHash` reports.
    public var hash: String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The validators' public identities, in order.
    public var validators: [ValidatorIdentity] {
        genesis.validators.map { ValidatorIdentity(signingKey: $0.signingKey, transportKey: $0.transportKey ?? "") }
    }
}

/// Why a stored genesis cannot be used.
public struct GenesisProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
