import Consensus
import Foundation

/// An event as a client submits it: something of `type` happened to `entityId`, with string details.
///
/// Consensus orders opaque bytes (``Consensus/Event``); this type gives them meaning. Its
/// ``canonicalEncoding`` is what consensus carries and stores, and the SHA-256 of that encoding is the event
/// id, so the same event submitted twice (to any node) has one id and commits once.
///
/// ## Canonical encoding, version 1
/// All integers big-endian; every string is Unicode NFC-normalised, then written as a 32-bit byte length
/// followed by its UTF-8 bytes.
/// ```
/// u8      version = 1
/// string  entityId
/// string  type
/// u8      0 | 1, then string if 1     clientId
/// u8      0 | 1, then string if 1     nonce
/// u32     detail count
/// (string key, string value) × count  keys in ascending order of their UTF-8 bytes
/// ```
/// Normalising to NFC keeps the id equal for strings that Swift (and JSON users) consider equal, such as a
/// precomposed "é" and "e" followed by a combining accent. Sorting by bytes rather than by `String`
/// comparison keeps the order independent of any locale or Unicode version.
public struct ClientEvent: Hashable, Sendable, Codable {
    /// The thing the event is about: a lot, an order, a device.
    public var entityId: String
    /// What happened to it, such as `shipped`.
    public var type: String
    /// Free-form attributes.
    public var details: [String: String]
    /// Who submitted it, if the client says.
    public var clientId: String?
    /// A client-chosen value that makes otherwise identical events distinct (and resubmission idempotent).
    public var nonce: String?

    public init(entityId: String, type: String, details: [String: String] = [:], clientId: String? = nil, nonce: String? = nil) {
        self.entityId = entityId
        self.type = type
        self.details = details
        self.clientId = clientId
        self.nonce = nonce
    }

    /// The encoding version this type writes.
    public static let encodingVersion: UInt8 = 1

    /// The canonical bytes (see the type's documentation); the payload of the consensus event.
    public var canonicalEncoding: [UInt8] {
        var writer = ByteWriter(capacity: 64 + entityId.utf8.count + type.utf8.count + 64 * details.count)
        writer.write(Self.encodingVersion)
        writer.writeNormalized(entityId)
        writer.writeNormalized(type)
        writer.writeOptional(clientId)
        writer.writeOptional(nonce)
        let sorted = details.map { (key: $0.key.nfcUTF8, value: $0.value) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        writer.writeCount(sorted.count)
        for (key, value) in sorted {
            writer.writeLengthPrefixed(key)
            writer.writeNormalized(value)
        }
        return writer.bytes
    }

    /// SHA-256 of ``canonicalEncoding``: the event's id everywhere in the system.
    public var id: SHA256Hash { SHA256Hash.sha256(canonicalEncoding) }

    /// The event as consensus carries it.
    public var consensusEvent: Consensus.Event { Consensus.Event(payload: canonicalEncoding) }

    /// Decodes a canonical encoding, as stored in a block.
    /// - Throws: ``ClientEventError`` when the bytes are not a version-1 canonical encoding (including
    ///   unsorted or repeated detail keys, or trailing bytes), so that only one byte string maps to an event.
    public init(canonicalEncoding bytes: [UInt8], limits: Limits = Limits()) throws(ClientEventError) {
        var reader = ByteReader(bytes)
        do {
            let version = try reader.readUInt8()
            guard version == Self.encodingVersion else { throw ClientEventError.unsupportedVersion(version) }
            entityId = try reader.readString(maximum: limits.maxEntityIDBytes, field: "entityId")
            type = try reader.readString(maximum: limits.maxTypeBytes, field: "type")
            clientId = try reader.readOptionalString(maximum: limits.maxClientIDBytes, field: "clientId")
            nonce = try reader.readOptionalString(maximum: limits.maxNonceBytes, field: "nonce")
            let count = try reader.readCount(maximum: limits.maxDetails, minimumElementSize: 8, field: "details")
            var details: [String: String] = [:]
            var previousKey: [UInt8]?
            for _ in 0..<count {
                let key = try reader.readString(maximum: limits.maxDetailKeyBytes, field: "details key")
                let keyBytes = Array(key.utf8)
                if let previousKey, !previousKey.lexicographicallyPrecedes(keyBytes) {
                    throw ClientEventError.malformed("detail keys are not in strictly ascending byte order at \"\(key)\"")
                }
                previousKey = keyBytes
                details[key] = try reader.readString(maximum: limits.maxDetailValueBytes, field: "details.\(key)")
            }
            self.details = details
            try reader.expectEnd()
        } catch let error as ClientEventError {
            throw error
        } catch {
            throw ClientEventError.malformed(String(describing: error))
        }
        // The bytes must be exactly what this event encodes to (NFC, sorted), or two encodings would share
        // one meaning but not one id.
        guard canonicalEncoding == bytes else { throw ClientEventError.malformed("the strings are not NFC-normalised") }
    }

    /// Checks the event against `limits`.
    /// - Throws: ``ClientEventError`` naming the first field that is empty or too long.
    public func validate(limits: Limits = Limits()) throws(ClientEventError) {
        try Self.check(entityId, field: "entityId", maximum: limits.maxEntityIDBytes, allowEmpty: false)
        try Self.check(type, field: "type", maximum: limits.maxTypeBytes, allowEmpty: false)
        if let clientId { try Self.check(clientId, field: "clientId", maximum: limits.maxClientIDBytes, allowEmpty: false) }
        if let nonce { try Self.check(nonce, field: "nonce", maximum: limits.maxNonceBytes, allowEmpty: false) }
        guard details.count <= limits.maxDetails else { throw .tooManyDetails(count: details.count, maximum: limits.maxDetails) }
        for (key, value) in details.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            try Self.check(key, field: "details key \"\(key.prefix(32))\"", maximum: limits.maxDetailKeyBytes, allowEmpty: false)
            try Self.check(value, field: "details.\(key)", maximum: limits.maxDetailValueBytes, allowEmpty: true)
        }
        let size = canonicalEncoding.count
        guard size <= limits.maxEncodedBytes else { throw .tooLarge(field: "event", bytes: size, maximum: limits.maxEncodedBytes) }
    }

    private static func check(_ value: String, field: String, maximum: Int, allowEmpty: Bool) throws(ClientEventError) {
        if !allowEmpty, value.isEmpty { throw .empty(field: field) }
        let bytes = value.nfcUTF8.count
        guard bytes <= maximum else { throw .tooLarge(field: field, bytes: bytes, maximum: maximum) }
    }
}

extension ClientEvent {
    /// Size bounds for client events. The defaults keep the largest event (32 KiB) well inside consensus's
    /// default 64 KiB event limit.
    public struct Limits: Hashable, Sendable {
        public var maxEntityIDBytes: Int
        public var maxTypeBytes: Int
        public var maxClientIDBytes: Int
        public var maxNonceBytes: Int
        public var maxDetails: Int
        public var maxDetailKeyBytes: Int
        public var maxDetailValueBytes: Int
        /// The largest canonical encoding, in bytes.
        public var maxEncodedBytes: Int

        public init(
            maxEntityIDBytes: Int = 256, maxTypeBytes: Int = 128, maxClientIDBytes: Int = 128, maxNonceBytes: Int = 128,
            maxDetails: Int = 64, maxDetailKeyBytes: Int = 128, maxDetailValueBytes: Int = 4_096, maxEncodedBytes: Int = 32 * 1_024
        ) {
            self.maxEntityIDBytes = maxEntityIDBytes
            self.maxTypeBytes = maxTypeBytes
            self.maxClientIDBytes = maxClientIDBytes
            self.maxNonceBytes = maxNonceBytes
            self.maxDetails = maxDetails
            self.maxDetailKeyBytes = maxDetailKeyBytes
            self.maxDetailValueBytes = maxDetailValueBytes
            self.maxEncodedBytes = maxEncodedBytes
        }
    }
}

/// Why a client event is not acceptable, naming the field and what to change.
public struct ClientEventError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case empty(String)
        case tooLarge(String, Int, Int)
        case tooManyDetails(Int, Int)
        case unsupportedVersion(UInt8)
        case malformed(String)
    }

    private let kind: Kind

    /// A required field is empty.
    public static func empty(field: String) -> Self { Self(kind: .empty(field)) }
    /// A field (or the whole event) is longer than allowed.
    public static func tooLarge(field: String, bytes: Int, maximum: Int) -> Self { Self(kind: .tooLarge(field, bytes, maximum)) }
    /// The event has more details than allowed.
    public static func tooManyDetails(count: Int, maximum: Int) -> Self { Self(kind: .tooManyDetails(count, maximum)) }
    /// Stored bytes carry an encoding version this build does not know.
    public static func unsupportedVersion(_ version: UInt8) -> Self { Self(kind: .unsupportedVersion(version)) }
    /// Stored bytes are not a canonical encoding.
    public static func malformed(_ reason: String) -> Self { Self(kind: .malformed(reason)) }

    /// The field the error is about, when it is about one.
    public var field: String? {
        switch kind {
        case .empty(let field), .tooLarge(let field, _, _): field
        case .tooManyDetails: "details"
        case .unsupportedVersion, .malformed: nil
        }
    }

    public var description: String {
        switch kind {
        case .empty(let field):
            "\(field) is empty; give it a non-empty value"
        case .tooLarge(let field, let bytes, let maximum):
            "\(field) is \(bytes) bytes of UTF-8; shorten it to at most \(maximum)"
        case .tooManyDetails(let count, let maximum):
            "details has \(count) entries; send at most \(maximum), or split the event"
        case .unsupportedVersion(let version):
            "event encoding version \(version) is not supported by this build (it reads version \(ClientEvent.encodingVersion)); upgrade the node"
        case .malformed(let reason):
            "stored event bytes are not a canonical event encoding (\(reason)); the block store may be damaged"
        }
    }
}

extension ByteWriter {
    fileprivate mutating func writeNormalized(_ string: String) {
        writeLengthPrefixed(string.nfcUTF8)
    }

    fileprivate mutating func writeOptional(_ string: String?) {
        if let string {
            write(UInt8(1))
            writeNormalized(string)
        } else {
            write(UInt8(0))
        }
    }
}

extension ByteReader {
    fileprivate mutating func readOptionalString(maximum: Int, field: String) throws(WireFormatError) -> String? {
        switch try readUInt8() {
        case 0: return nil
        case 1: return try readString(maximum: maximum, field: field)
        case let flag: throw .invalid(field: field, reason: "presence flag \(flag), expected 0 or 1")
        }
    }
}

extension String {
    /// The UTF-8 bytes of the string's NFC form. ASCII text is its own NFC form, so the common case skips
    /// Foundation's normalisation, which bridges through `NSString` and dominated event parsing.
    fileprivate var nfcUTF8: [UInt8] {
        if utf8.allSatisfy({ $0 < 0x80 }) { return Array(utf8) }
        return Array(precomposedStringWithCanonicalMapping.utf8)
    }
}
