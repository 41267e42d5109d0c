/// A 32-byte CURVE (Curve25519) public or secret key.
///
/// Its `description` never shows the key, so a secret key cannot leak into logs by accident; use
/// ``z85`` to export a key on purpose.
public struct ZMQCurveKey: Sendable, Hashable, CustomStringConvertible {
    /// The key's length in bytes.
    public static let byteCount = 32
    /// The key's length in Z85 characters.
    public static let z85Count = 40

    /// The raw key, always ``byteCount`` bytes.
    public let bytes: [UInt8]

    /// Creates a key from its raw bytes.
    /// - Throws: ``ZMQError/invalidArgument`` unless `bytes` holds exactly 32 bytes.
    public init(bytes: [UInt8]) throws(ZMQError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidArgument(
                "a CURVE key is \(Self.byteCount) bytes; got \(bytes.count)"
            )
        }
        self.bytes = bytes
    }

    /// Creates a key from its 40-character Z85 text, as `zmq_curve_keypair` and `curve_keygen` print it.
    /// - Throws: ``ZMQError/invalidArgument``, saying what is wrong, unless `z85` is exactly 40 Z85
    ///   characters.
    public init(z85: String) throws(ZMQError) {
        let count = z85.utf8.count
        guard count == Self.z85Count else {
            throw .invalidArgument(
                "a CURVE key in Z85 is \(Self.z85Count) characters; got \(count) (check for whitespace)"
            )
        }
        try self.init(bytes: Z85.decode(z85))
    }

    /// The key as 40 Z85 characters.
    public var z85: String {
        // 32 bytes is a multiple of 4, so encoding cannot fail.
        (try? Z85.encode(bytes)) ?? ""
    }

    public var description: String { "ZMQCurveKey(<redacted>)" }
}
