import Consensus

/// The framing shared by the block log and the consensus-state log.
///
/// A file starts with an 8-byte magic and the chain's genesis hash, so a store is never opened for another
/// chain. Then records follow, each
/// ```
/// u32 marker "HCR1" ‖ u64 sequence ‖ u32 length ‖ payload ‖ SHA-256(marker ‖ sequence ‖ length ‖ payload)
/// ```
/// (integers big-endian). The trailing digest is written last, so a record torn by a crash or damaged on
/// disk fails its check and everything from it on is the damaged tail. The sequence (a block's height,
/// or a state record's number) catches a record that is intact but in the wrong place.
///
/// The logs are extended ahead of their records with zeros (``DurableFile/reserve(through:chunk:)``), so a
/// record header of zeros, where no record can start (the marker is not zero), marks the end of the log
/// just as the end of the file does.
enum RecordFraming {
    static let fileHeaderSize: UInt64 = 40
    static let recordHeaderSize = 16
    static let trailerSize = 32
    private static let marker: UInt32 = 0x4843_5231  // "HCR1"

    /// One record as bytes.
    static func frame(sequence: UInt64, payload: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: payload.count + recordHeaderSize + trailerSize)
        writer.write(marker)
        writer.write(sequence)
        writer.writeCount(payload.count)
        writer.writeRaw(payload)
        let digest = SHA256Hash.sha256(writer.bytes)
        writer.write(digest)
        return writer.bytes
    }

    enum ReadResult {
        /// An intact record; the next one starts at `next`.
        case record(sequence: UInt64, payload: [UInt8], next: UInt64)
        /// The log ends exactly here: the file does, or its reserved zeros begin.
        case end
        /// The bytes at this offset are not an intact record.
        case damaged(String)
    }

    /// Reads the record at `offset`.
    static func read(_ file: borrowing DurableFile, at offset: UInt64, fileSize: UInt64, maxPayload: Int) throws(LedgerError) -> ReadResult {
        guard offset < fileSize else { return .end }
        let header = try file.read(count: recordHeaderSize, at: offset)
        guard header.count == recordHeaderSize else { return .damaged("a record header torn after \(header.count) bytes") }
        if header.allSatisfy({ $0 == 0 }) { return .end }
        var reader = ByteReader(header)
        let fields: (marker: UInt32, sequence: UInt64, length: Int)
        do {
            fields = (try reader.readUInt32(), try reader.readUInt64(), Int(try reader.readUInt32()))
        } catch {
            return .damaged("an unreadable record header")
        }
        guard fields.marker == marker else { return .damaged("no record marker") }
        guard fields.length <= maxPayload else { return .damaged("a record length of \(fields.length) bytes, above the limit \(maxPayload)") }
        let rest = try file.read(count: fields.length + trailerSize, at: offset + UInt64(recordHeaderSize))
        guard rest.count == fields.length + trailerSize else { return .damaged("a record torn after \(recordHeaderSize + rest.count) bytes") }
        let payload = Array(rest[0..<fields.length])
        let stored = SHA256Hash(bytes: rest[fields.length...])
        guard stored == SHA256Hash.sha256(header + payload) else { return .damaged("a record whose checksum does not match its bytes") }
        return .record(sequence: fields.sequence, payload: payload, next: offset + UInt64(recordHeaderSize + rest.count))
    }

    /// The offset after the record at `offset`, judging by its header alone (no checksum), or `nil` when no
    /// whole record seems to start there. Used to count records cheaply before checking them.
    static func skip(_ file: borrowing DurableFile, at offset: UInt64, fileSize: UInt64, maxPayload: Int) throws(LedgerError) -> UInt64? {
        guard offset + UInt64(recordHeaderSize) <= fileSize else { return nil }
        var reader = ByteReader(try file.read(count: recordHeaderSize, at: offset))
        guard let found = try? reader.readUInt32(), found == marker, (try? reader.readUInt64()) != nil,
            let length = try? reader.readUInt32(), Int(length) <= maxPayload
        else { return nil }
        let next = offset + UInt64(recordHeaderSize + Int(length) + trailerSize)
        return next <= fileSize ? next : nil
    }

    /// Cuts what follows the last record at `end`, unless it is only reserved zeros: the remains of a
    /// write that never became durable must not be read as records once new ones are written before them.
    /// - Returns: the number of bytes cut, or `nil` when the tail was clean and stays.
    static func cutUnfinishedTail(_ file: borrowing DurableFile, after end: UInt64) throws(LedgerError) -> UInt64? {
        let size = try file.size()
        guard size > end, try !file.isZero(from: end) else { return nil }
        try file.truncate(to: end)
        return size - end
    }

    /// Writes the file header into an empty (or torn-at-creation) file, or checks the existing one.
    static func prepareHeader(_ file: borrowing DurableFile, magic: String, genesisHash: SHA256Hash) throws(LedgerError) {
        let expected = Array(magic.utf8) + genesisHash.bytes
        precondition(expected.count == Int(fileHeaderSize), "file magic must be 8 bytes")
        let size = try file.size()
        if size < fileHeaderSize {
            // Only a crash while the file was being created leaves less than a header, and such a file
            // holds no records yet.
            let present = try file.read(count: Int(size), at: 0)
            guard present == Array(expected.prefix(present.count)) else {
                throw .unreadableHeader(path: file.path, reason: "a \(size)-byte file without the \(magic) header")
            }
            try file.truncate(to: 0)
            try file.write(expected, at: 0)
            try file.sync()
            return
        }
        let header = try file.read(count: Int(fileHeaderSize), at: 0)
        guard header.prefix(8).elementsEqual(magic.utf8) else {
            throw .unreadableHeader(path: file.path, reason: "it does not start with \(magic)")
        }
        guard header == expected else { throw .otherChain(path: file.path) }
    }
}
