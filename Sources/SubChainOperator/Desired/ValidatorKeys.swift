import Crypto
import Foundation
import KubeCore
import SubChainNode
import ZeroMQ

/// A validator's public identity: what the genesis lists and peers need.
public struct ValidatorIdentity: Sendable, Hashable {
    /// The Ed25519 public key, base64.
    public var signingKey: String
    /// The CURVE public key, Z85.
    public var transportKey: String

    public init(signingKey: String, transportKey: String) {
        self.signingKey = signingKey
        self.transportKey = transportKey
    }

    /// The annotations of a key Secret that carry the public halves, so that the operator can build the
    /// genesis (or rebuild it after a crash between writing the Secrets and the genesis) from Secret
    /// metadata alone, without reading or caching private keys.
    public static let signingKeyAnnotation = "hierachain.io/signing-public-key"
    public static let transportKeyAnnotation = "hierachain.io/transport-public-key"

    /// The identity a key Secret's annotations name, or `nil` when they are missing or malformed.
    public init?(annotations: [String: String]?) {
        guard let signing = annotations?[Self.signingKeyAnnotation], let transport = annotations?[Self.transportKeyAnnotation],
            let raw = Data(base64Encoded: signing), (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil,
            (try? ZMQCurveKey(z85: transport)) != nil
        else { return nil }
        self.init(signingKey: signing, transportKey: transport)
    }

    public var annotations: [String: String] {
        [Self.signingKeyAnnotation: signingKey, Self.transportKeyAnnotation: transportKey]
    }
}

/// A validator's new private keys, as the operator generates them once and writes them into the node's
/// Secret. Never logged: the description is redacted.
public struct ValidatorKeys: Sendable, CustomStringConvertible {
    /// The Secret entries, in the formats `SIGNING_KEY_FILE` and `TRANSPORT_KEY_FILE` read.
    public static let signingKeyEntry = "signing.key"
    public static let transportKeyEntry = "transport.key"

    let keys: NodeKeys

    /// New random keys (Ed25519 from swift-crypto, CURVE from libzmq).
    /// - Throws: ``ZMQError`` when libzmq cannot make a CURVE key pair (built without libsodium/tweetnacl).
    public static func generate() throws -> ValidatorKeys {
        ValidatorKeys(keys: try NodeKeys.generate(withTransport: true))
    }

    public var identity: ValidatorIdentity {
        ValidatorIdentity(
            signingKey: keys.signing.publicKey.rawRepresentation.base64EncodedString(), transportKey: keys.transport?.publicKey.z85 ?? "")
    }

    /// The Secret's `data`: the key files.
    public var secretData: [String: Data] {
        var data = [Self.signingKeyEntry: Data((keys.signing.rawRepresentation.base64EncodedString() + "\n").utf8)]
        if let transport = keys.transport { data[Self.transportKeyEntry] = Data((transport.secretKey.z85 + "\n").utf8) }
        return data
    }

    public var description: String { "ValidatorKeys(<redacted>)" }
}
