import Crypto

/// Signs consensus messages with a validator's Ed25519 key.
///
/// Signatures cover a domain tag and the chain id before the message's own fields, so a signature made
/// for one chain, or for anything other than a consensus message, never verifies as a message of another.
public struct MessageSigner: Sendable {
    /// The validator this signer signs as.
    public let replica: ReplicaID
    private let key: Curve25519.Signing.PrivateKey
    private let prefix: [UInt8]

    public init(replica: ReplicaID, key: Curve25519.Signing.PrivateKey, chainID: String) {
        self.replica = replica
        self.key = key
        prefix = SigningDomain.prefix(chainID: chainID)
    }

    /// Signs the fields `write` produces.
    func sign(_ write: (inout ByteWriter) -> Void) -> [UInt8] {
        var writer = ByteWriter(capacity: 160)
        writer.writeRaw(prefix)
        write(&writer)
        // Ed25519 signing only fails on a key the library itself rejected on import.
        return (try? Array(key.signature(for: writer.bytes))) ?? []
    }
}

/// Checks signatures against the validator set's public keys.
public struct SignatureVerifier: Sendable {
    public let validators: ValidatorSet
    private let prefix: [UInt8]

    public init(validators: ValidatorSet, chainID: String) {
        self.validators = validators
        prefix = SigningDomain.prefix(chainID: chainID)
    }

    /// Whether `signature` is `sender`'s signature over the fields `write` produces.
    func isValid(_ signature: [UInt8], by sender: ReplicaID, over write: (inout ByteWriter) -> Void) -> Bool {
        guard signature.count == SigningDomain.signatureLength, let key = validators.publicKey(of: sender) else { return false }
        var writer = ByteWriter(capacity: 160)
        writer.writeRaw(prefix)
        write(&writer)
        return key.isValidSignature(signature, for: writer.bytes)
    }
}

enum SigningDomain {
    static let signatureLength = 64

    static func prefix(chainID: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.writeRaw("hierachain/pbft/v1".utf8)
        writer.write(UInt8(0))
        writer.write(chainID)
        return writer.bytes
    }
}
