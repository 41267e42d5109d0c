/// Reads the canonical encoding written by ``ByteWriter``, refusing anything truncated or oversized.
///
/// Every read is bounds-checked and every length prefix is checked against the bytes actually present
/// before anything is allocated, so a hostile frame can neither crash the reader nor make it reserve
/// more memory than the frame itself occupies.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    /// The number of unread bytes.
    public var remaining: Int { bytes.count - offset }

    public mutating func readUInt8() throws(WireFormatError) -> UInt8 {
        try need(1, for: "byte")
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt32() throws(WireFormatError) -> UInt32 {
        try need(4, for: "32-bit integer")
        var value: UInt32 = 0
        for index in offset..<offset + 4 { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    public mutating func readUInt64() throws(WireFormatError) -> UInt64 {
        try need(8, for: "64-bit integer")
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    public mutating func readDigest() throws(WireFormatError) -> SHA256Hash {
        try need(32, for: "digest")
        return SHA256Hash(w0: try readUInt64(), w1: try readUInt64(), w2: try readUInt64(), w3: try readUInt64())
    }

    public mutating func readReplicaID() throws(WireFormatError) -> ReplicaID { ReplicaID(try readUInt32()) }

    /// Reads a length-prefixed byte string of at most `maximum` bytes.
    public mutating func readLengthPrefixed(maximum: Int, field: String) throws(WireFormatError) -> ArraySlice<UInt8> {
        bytes[try lengthPrefixedRange(maximum: maximum, field: field)]
    }

    /// Reads a length-prefixed byte string of at most `maximum` bytes into an array of its own: what
    /// ``readLengthPrefixed(maximum:field:)`` and `Array(_:)` give, without a slice of the frame (and its
    /// reference count) in between, which a block of a thousand events pays a thousand times.
    public mutating func readLengthPrefixedBytes(maximum: Int, field: String) throws(WireFormatError) -> [UInt8] {
        let range = try lengthPrefixedRange(maximum: maximum, field: field)
        return bytes.withUnsafeBufferPointer { frame in Array(frame[range]) }
    }

    /// Reads a length prefix of at most `maximum`, checks that many bytes are present, and steps over them.
    /// - Returns: where they are in the input.
    private mutating func lengthPrefixedRange(maximum: Int, field: String) throws(WireFormatError) -> Range<Int> {
        let length = Int(try readUInt32())
        guard length <= maximum else { throw .tooLarge(field: field, length: length, maximum: maximum) }
        try need(length, for: field)
        defer { offset += length }
        return offset..<offset + length
    }

    /// Reads length-prefixed UTF-8 of at most `maximum` bytes.
    public mutating func readString(maximum: Int, field: String) throws(WireFormatError) -> String {
        let raw = try readLengthPrefixed(maximum: maximum, field: field)
        guard let string = String(validating: raw, as: UTF8.self) else { throw .invalid(field: field, reason: "not UTF-8") }
        return string
    }

    /// Reads an element count, refusing counts above `maximum` or counts that could not fit in what is left
    /// when every element takes at least `minimumElementSize` bytes.
    public mutating func readCount(maximum: Int, minimumElementSize: Int, field: String) throws(WireFormatError) -> Int {
        let count = Int(try readUInt32())
        guard count <= maximum else { throw .tooLarge(field: field, length: count, maximum: maximum) }
        guard count * max(minimumElementSize, 1) <= remaining else { throw .truncated(field: field) }
        return count
    }

    /// Reads exactly `count` bytes.
    public mutating func readRaw(_ count: Int, field: String) throws(WireFormatError) -> ArraySlice<UInt8> {
        try need(count, for: field)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Throws unless every byte has been read; trailing bytes mean the sender and we disagree on the format.
    public func expectEnd() throws(WireFormatError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }

    /// The bytes between two offsets, for verifying a signature over exactly what was received.
    public func slice(from start: Int, to end: Int) -> ArraySlice<UInt8> { bytes[start..<end] }

    private func need(_ count: Int, for field: String) throws(WireFormatError) {
        guard count >= 0, remaining >= count else { throw .truncated(field: field) }
    }
}

/// Why bytes could not be decoded.
public struct WireFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case truncated(String)
        case tooLarge(String, Int, Int)
        case invalid(String, String)
        case trailingBytes(Int)
    }

    private let kind: Kind

    /// The input ended inside `field`.
    public static func truncated(field: String) -> Self { Self(kind: .truncated(field)) }
    /// `field` declared a length or count above what is allowed.
    public static func tooLarge(field: String, length: Int, maximum: Int) -> Self { Self(kind: .tooLarge(field, length, maximum)) }
    /// `field` holds a value that is not allowed.
    public static func invalid(field: String, reason: String) -> Self { Self(kind: .invalid(field, reason)) }
    /// Bytes were left over after a complete value.
    public static func trailingBytes(count: Int) -> Self { Self(kind: .trailingBytes(count)) }

    public var description: String {
        switch kind {
        case .truncated(let field): "input ends inside \(field)"
        case .tooLarge(let field, let length, let maximum): "\(field) is \(length), above the limit of \(maximum)"
        case .invalid(let field, let reason): "\(field) is invalid: \(reason)"
        case .trailingBytes(let count): "\(count) unexpected bytes after the end of the message"
        }
    }
}
