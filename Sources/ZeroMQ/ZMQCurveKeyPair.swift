import CZeroMQ

/// A CURVE key pair: the public key peers use to reach or recognise us, and its secret key.
public struct ZMQCurveKeyPair: Sendable, Hashable {
    /// The key to share with peers.
    public let publicKey: ZMQCurveKey
    /// The key to keep (for a node, in its Kubernetes Secret).
    public let secretKey: ZMQCurveKey

    /// Pairs keys that were generated together (for instance, loaded from files).
    ///
    /// The pair is not checked: a mismatched pair fails the CURVE handshake.
    public init(publicKey: ZMQCurveKey, secretKey: ZMQCurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Generates a fresh key pair with libzmq's CSPRNG (`zmq_curve_keypair`).
    /// - Throws: ``ZMQError`` if libzmq was built without CURVE support (`ENOTSUP`).
    public static func generate() throws(ZMQError) -> ZMQCurveKeyPair {
        var publicText = [CChar](repeating: 0, count: ZMQCurveKey.z85Count + 1)
        var secretText = [CChar](repeating: 0, count: ZMQCurveKey.z85Count + 1)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .last("zmq_curve_keypair") }
        return try ZMQCurveKeyPair(
            publicKey: ZMQCurveKey(z85: Z85.string(nulTerminated: publicText)),
            secretKey: ZMQCurveKey(z85: Z85.string(nulTerminated: secretText))
        )
    }

    /// The key pair of a stored secret key, its public half derived by libzmq (`zmq_curve_public`).
    /// - Throws: ``ZMQError`` if libzmq was built without CURVE support (`ENOTSUP`).
    public init(secretKey: ZMQCurveKey) throws(ZMQError) {
        var publicText = [CChar](repeating: 0, count: ZMQCurveKey.z85Count + 1)
        var secretText = Array(secretKey.z85.utf8CString)
        guard zmq_curve_public(&publicText, &secretText) == 0 else { throw .last("zmq_curve_public") }
        self.init(publicKey: try ZMQCurveKey(z85: Z85.string(nulTerminated: publicText)), secretKey: secretKey)
    }
}
