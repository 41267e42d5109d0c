import CZeroMQ

/// ZeroMQ's Base-85 text encoding (RFC 32/Z85), in which CURVE keys are usually exchanged.
public enum Z85 {
    /// The 85 characters Z85 uses, in digit order.
    static let alphabet = Array(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8
    )
    private static let isDigit: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for character in alphabet { table[Int(character)] = true }
        return table
    }()

    /// Encodes bytes as Z85 text.
    /// - Parameter bytes: the data; its length must be a multiple of 4.
    /// - Returns: the text, 5 characters per 4 bytes.
    /// - Throws: ``ZMQError/invalidArgument`` if the length is not a multiple of 4.
    public static func encode(_ bytes: [UInt8]) throws(ZMQError) -> String {
        guard bytes.count % 4 == 0 else {
            throw .invalidArgument(
                "Z85 encodes whole 4-byte groups; got \(bytes.count) bytes, pad to a multiple of 4",
                operation: "zmq_z85_encode"
            )
        }
        var text = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
        let encoded = bytes.withUnsafeBufferPointer { input in
            text.withUnsafeMutableBufferPointer { output in
                zmq_z85_encode(output.baseAddress, input.baseAddress, input.count) != nil
            }
        }
        guard encoded || bytes.isEmpty else { throw .last("zmq_z85_encode") }
        return string(nulTerminated: text)
    }

    /// The text in a NUL-terminated C buffer.
    static func string(nulTerminated buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Decodes Z85 text.
    /// - Parameter text: the text; its length must be a multiple of 5, with Z85 characters only.
    /// - Returns: the bytes, 4 per 5 characters.
    /// - Throws: ``ZMQError/invalidArgument``, saying what is wrong, if `text` is not valid Z85.
    public static func decode(_ text: String) throws(ZMQError) -> [UInt8] {
        let characters = Array(text.utf8)
        guard characters.count % 5 == 0 else {
            throw .invalidArgument(
                "Z85 text comes in 5-character groups; got \(characters.count) characters",
                operation: "zmq_z85_decode"
            )
        }
        if let bad = characters.firstIndex(where: { !isDigit[Int($0)] }) {
            throw .invalidArgument(
                "not a Z85 character at offset \(bad) of the text; check for whitespace or quotes",
                operation: "zmq_z85_decode"
            )
        }
        if characters.isEmpty { return [] }
        var bytes = [UInt8](repeating: 0, count: characters.count / 5 * 4)
        let decoded = text.withCString { input in
            bytes.withUnsafeMutableBufferPointer { output in
                zmq_z85_decode(output.baseAddress, input) != nil
            }
        }
        // Valid characters can still spell a group above 2^32 - 1 ("%%%%%"), which libzmq rejects.
        guard decoded else {
            throw .invalidArgument("Z85 text encodes a value out of range", operation: "zmq_z85_decode")
        }
        return bytes
    }
}
