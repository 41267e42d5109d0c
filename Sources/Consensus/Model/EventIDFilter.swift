/// A Bloom filter over event ids: "certainly never inserted" from memory, "maybe" otherwise.
///
/// Why: nearly every id the replica and the API ask a ledger about is new (a client submits it, a peer
/// forwards it, a backup checks a proposal, a request waits for it to commit), and a miss in a large
/// table costs a lookup that mostly misses the caches: in the durable ledger, a B-tree descent through
/// pages that are not cached, several `pread`s per id. A filter in front answers those misses; only the
/// few ids it cannot rule out go to the table. ``LedgerReader`` implementations use it.
///
/// Blocked layout: each id maps to one 512-bit block (one cache line) and sets ``bitsPerID`` bits in it,
/// so a test or insert touches one line. Event ids are SHA-256 outputs, so their words serve directly as
/// the hash values. A client who grinds payloads to make ids collide in the filter only causes false
/// positives, which cost an index lookup, as before: the answer never depends on the filter alone.
///
/// Sized for ``capacity`` ids at ``bitsPerCapacityID`` bits each (about 1% false positives there); past
/// that the rate rises; an owner that outgrows it rebuilds a larger one from its table.
public struct EventIDFilter: Sendable {
    /// Bits of filter per id of capacity.
    public static let bitsPerCapacityID = 10
    /// Bits set per id.
    public static let bitsPerID = 7
    private static let wordsPerBlock = 8

    /// The number of ids the filter was sized for.
    public let capacity: Int
    /// The number of ids inserted.
    public private(set) var count = 0
    private var words: [UInt64]
    private let blockCount: UInt64

    /// Creates an empty filter sized for `capacity` ids (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        let blocks = max(1, (self.capacity * Self.bitsPerCapacityID + 511) / 512)
        blockCount = UInt64(blocks)
        words = [UInt64](repeating: 0, count: blocks * Self.wordsPerBlock)
    }

    /// The filter's memory in bytes.
    public var byteCount: Int { words.count * 8 }

    /// Adds `id`.
    public mutating func insert(_ id: SHA256Hash) {
        let (block, bits) = placement(id)
        words.withUnsafeMutableBufferPointer { words in
            for index in 0..<Self.bitsPerID {
                let bit = Int(truncatingIfNeeded: bits >> (9 * UInt64(index))) & 511
                words[block + bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        count += 1
    }

    /// `false` when `id` was certainly never inserted.
    public func mayContain(_ id: SHA256Hash) -> Bool {
        let (block, bits) = placement(id)
        return words.withUnsafeBufferPointer { words in
            for index in 0..<Self.bitsPerID {
                let bit = Int(truncatingIfNeeded: bits >> (9 * UInt64(index))) & 511
                guard words[block + bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return false }
            }
            return true
        }
    }

    /// The first word of `id`'s block, and 63 bits that choose the bits within it (nine per bit).
    private func placement(_ id: SHA256Hash) -> (block: Int, bits: UInt64) {
        let words = id.words
        // The high half of a 64×64-bit product maps a uniform word onto 0..<blockCount without a division.
        let block = Int(truncatingIfNeeded: words.1.multipliedFullWidth(by: blockCount).high)
        return (block * Self.wordsPerBlock, words.2)
    }
}
