import Crypto
import Foundation
import ZeroMQ

/// A validator's private keys: the Ed25519 key that signs consensus messages and, when the chain
/// encrypts its transport, the CURVE key pair.
///
/// On disk the signing key file holds the 32-byte Ed25519 seed in base64, and the transport key file the
/// CURVE secret key in Z85 (40 characters); both end in a newline and are written with mode 0600.
public struct NodeKeys: Sendable {
    public let signing: Curve25519.Signing.PrivateKey
    public let transport: ZMQCurveKeyPair?

    public init(signing: Curve25519.Signing.PrivateKey, transport: ZMQCurveKeyPair?) {
        self.signing = signing
        self.transport = transport
    }

    /// New random keys.
    public static func generate(withTransport: Bool = true) throws -> NodeKeys {
        NodeKeys(signing: Curve25519.Signing.PrivateKey(), transport: withTransport ? try ZMQCurveKeyPair.generate() : nil)
    }

    /// Reads the signing key file.
    /// - Throws: ``NodeConfigurationError`` naming `SIGNING_KEY_FILE` and the problem.
    public static func loadSigningKey(from path: String) throws(NodeConfigurationError) -> Curve25519.Signing.PrivateKey {
        let text = try readSecret(path, variable: "SIGNING_KEY_FILE")
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw .invalid("SIGNING_KEY_FILE", "\(path) must hold a base64 Ed25519 private key (32 bytes)")
        }
        return key
    }

    /// Reads the transport key file and derives the public half.
    /// - Throws: ``NodeConfigurationError`` naming `TRANSPORT_KEY_FILE` and the problem.
    public static func loadTransportKey(from path: String) throws(NodeConfigurationError) -> ZMQCurveKeyPair {
        let text = try readSecret(path, variable: "TRANSPORT_KEY_FILE")
        do {
            return try ZMQCurveKeyPair(secretKey: ZMQCurveKey(z85: text))
        } catch {
            throw .invalid("TRANSPORT_KEY_FILE", "\(path) must hold a CURVE secret key in Z85 (40 characters): \(error)")
        }
    }

    /// Writes the key files with owner-only permissions.
    public func write(signingKeyTo signingPath: String, transportKeyTo transportPath: String?) throws {
        try Self.writeSecret(signing.rawRepresentation.base64EncodedString(), to: signingPath)
        if let transport, let transportPath { try Self.writeSecret(transport.secretKey.z85, to: transportPath) }
    }

    private static func readSecret(_ path: String, variable: String) throws(NodeConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalid(variable, "cannot read \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func writeSecret(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw NodeConfigurationError.invalid("key file", "cannot write \(path)")
        }
    }
}

/// A node setting that is missing or malformed. The description is one line naming the setting and what
/// was expected, as the node prints it before exiting.
public struct NodeConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable or flag at fault.
    public let setting: String
    public let reason: String

    /// `setting` is unusable for `reason`.
    public static func invalid(_ setting: String, _ reason: String) -> Self { Self(setting: setting, reason: reason) }

    public var description: String { "\(setting): \(reason)" }
}
