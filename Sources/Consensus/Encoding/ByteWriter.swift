/// Builds the canonical binary encoding that consensus messages are signed over.
///
/// The encoding is written by hand rather than with a serialisation library because signatures need one
/// byte string per value: fixed-width big-endian integers, length-prefixed byte strings, no optional
/// fields, no maps. Two replicas that encode the same value always produce the same bytes.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ digest: SHA256Hash) {
        // One append of the four words (a homogeneous tuple is laid out contiguously), not four.
        withUnsafeBytes(of: (digest.w0.bigEndian, digest.w1.bigEndian, digest.w2.bigEndian, digest.w3.bigEndian)) {
            bytes.append(contentsOf: $0)
        }
    }

    /// Writes digests back to back, each as ``write(_:)-(SHA256Hash)`` would: one growth of the buffer and
    /// direct stores, for the thousand ids of a block digest.
    public mutating func write(_ digests: [SHA256Hash]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: SHA256Hash.byteCount * digests.count))
        bytes.withUnsafeMutableBytes { buffer in
            var offset = start
            for digest in digests {
                let (w0, w1, w2, w3) = digest.words
                buffer.storeBytes(of: w0.bigEndian, toByteOffset: offset, as: UInt64.self)
                buffer.storeBytes(of: w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
                buffer.storeBytes(of: w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
                buffer.storeBytes(of: w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
                offset += SHA256Hash.byteCount
            }
        }
    }

    public mutating func write(_ replica: ReplicaID) { write(replica.index) }

    /// Writes a 32-bit length followed by the bytes.
    public mutating func writeLengthPrefixed<Bytes: Collection<UInt8>>(_ value: Bytes) {
        write(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a string as length-prefixed UTF-8.
    public mutating func write(_ string: String) { writeLengthPrefixed(Array(string.utf8)) }

    /// Writes a count that precedes a list of elements.
    public mutating func writeCount(_ count: Int) { write(UInt32(count)) }

    /// Appends bytes with no length prefix (for a payload whose length the reader already knows).
    public mutating func writeRaw<Bytes: Sequence<UInt8>>(_ value: Bytes) { bytes.append(contentsOf: value) }
}
