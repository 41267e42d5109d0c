import Consensus
import Foundation

/// The keys that may write through the API, read from a file of one key per line.
///
/// Keys are kept as SHA-256 digests and a presented key is compared with every one of them, always in full,
/// so that the time taken says neither which key nearly matched nor how long the keys are.
public struct APIKeySet: Sendable {
    private let digests: [[UInt8]]

    /// The number of keys.
    public var count: Int { digests.count }

    /// Creates a set from keys given directly.
    /// - Throws: ``APIKeySetError`` when no key is given.
    public init(keys: [String]) throws(APIKeySetError) {
        let keys = keys.filter { !$0.isEmpty }
        guard !keys.isEmpty else { throw APIKeySetError("no API keys given; add at least one key or configure none to leave writes open") }
        digests = keys.map { SHA256Hash.sha256(Array($0.utf8)).bytes }
    }

    /// Parses a keys file: one key per line; blank lines and lines starting with `#` are ignored, and
    /// surrounding whitespace is trimmed.
    /// - Throws: ``APIKeySetError`` when the text holds no key.
    public init(parsing text: String) throws(APIKeySetError) {
        let keys = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else { throw APIKeySetError("the API keys file holds no key; add one per line, or configure no keys file") }
        try self.init(keys: keys)
    }

    /// Reads and parses a keys file.
    /// - Throws: ``APIKeySetError`` when the file cannot be read or holds no key.
    public init(contentsOfFile path: String) throws(APIKeySetError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw APIKeySetError("cannot read the API keys file \(path): \(error.localizedDescription)")
        }
        try self.init(parsing: text)
    }

    /// Whether `presented` is one of the keys, in time independent of which key matches.
    public func contains(_ presented: String) -> Bool {
        let candidate = SHA256Hash.sha256(Array(presented.utf8)).bytes
        var matched: UInt8 = 0
        for digest in digests {
            var difference: UInt8 = 0
            for index in 0..<digest.count { difference |= digest[index] ^ candidate[index] }
            // 1 when this digest is equal, without branching on the bytes.
            matched |= UInt8(truncatingIfNeeded: (UInt16(difference) &- 1) >> 8)
        }
        return matched != 0
    }
}

/// Why API keys could not be loaded, saying what to change.
public struct APIKeySetError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
