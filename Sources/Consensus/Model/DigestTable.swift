import Crypto
import protocol Foundation.DataProtocol

/// A hash table from digests to 64-bit values: the bookkeeping a replica keeps per event (which events
/// are pending and where, which are in a proposal and at what height), and the simulation ledger's set of
/// committed ids.
///
/// Why not `Dictionary`: every event passes through several of these tables, several times, and a
/// `Dictionary` re-hashes each digest with a freshly seeded SipHash and keeps occupancy in a bitmap apart
/// from its entries. That hashing was an eighth of the consensus core's time at batch 1,000. Here a slot
/// holds the digest and its value together, and one multiplication picks the slot.
///
/// Open addressing with linear probing, at most half full. A removal shifts the entries after it back
/// into place instead of leaving a tombstone, so probe runs stay short however long entries come and go.
///
/// Keyed: the slot comes from one word of the digest multiplied by a secret odd number (multiply-shift
/// hashing, a universal family), not from the digest's bits alone. Event ids are SHA-256 outputs, but of
/// payloads that clients choose: anyone could grind payloads whose ids share their low bits and pile them
/// into one probe run, making every operation on the table walk it. Without the secret, which ids share
/// a slot cannot be told in advance.
///
/// Exact: the all-zero digest, which marks an empty slot, is kept beside the slots.
public struct DigestTable: Sendable {
    private struct Slot {
        var digest: SHA256Hash
        var value: UInt64
    }

    private var slots: [Slot]
    private var mask: Int
    /// `64 - log2(slots.count)`: the product's top bits pick the slot.
    private var shift: UInt64
    private let multiplier: UInt64
    private var zeroDigestValue: UInt64?
    /// The number of digests in the table.
    public private(set) var count = 0

    /// Creates an empty table.
    /// - Parameters:
    ///   - secret: keys the slot choice; derive it from something peers do not know (``secret(from:)``)
    ///     wherever they choose the digests.
    ///   - minimumCapacity: digests the table holds before it first grows.
    public init(secret: UInt64, minimumCapacity: Int = 0) {
        multiplier = secret | 1
        let slotCount = Self.slotCount(for: minimumCapacity)
        (slots, mask, shift) = Self.emptySlots(slotCount)
    }

    /// A table secret derived from private bytes, such as a signing key's: stable for one holder of the
    /// bytes, unknown to everyone else.
    public static func secret(from privateBytes: some DataProtocol) -> UInt64 {
        var hash = SHA256()
        hash.update(data: Array("subchain/digest-table/v1".utf8))
        hash.update(data: privateBytes)
        return SHA256Hash(hash.finalize()).words.0
    }

    public var isEmpty: Bool { count == 0 }

    /// Digests the table holds before it grows.
    public var capacity: Int { slots.count / 2 }

    /// The value stored for `digest`; setting `nil` removes it.
    public subscript(digest: SHA256Hash) -> UInt64? {
        get {
            if digest == .zero { return zeroDigestValue }
            return slots.withUnsafeBufferPointer { slots in
                var index = home(of: digest)
                while true {
                    let slot = slots[index]
                    if slot.digest == digest { return slot.value }
                    if slot.digest == .zero { return nil }
                    index = (index + 1) & mask
                }
            }
        }
        set {
            if let newValue { updateValue(newValue, for: digest) } else { removeValue(for: digest) }
        }
    }

    public func contains(_ digest: SHA256Hash) -> Bool { self[digest] != nil }

    /// Adds `digest` with `value` unless the table holds it already, in which case it keeps the old value.
    /// - Returns: whether it was added.
    @discardableResult
    public mutating func insert(_ digest: SHA256Hash, value: UInt64 = 0) -> Bool {
        store(value, for: digest, replacing: false) == nil
    }

    /// Stores `value` for `digest`. - Returns: the value it replaced, if any.
    @discardableResult
    public mutating func updateValue(_ value: UInt64, for digest: SHA256Hash) -> UInt64? {
        store(value, for: digest, replacing: true)
    }

    /// Removes `digest`. - Returns: its value, if the table held it.
    @discardableResult
    public mutating func removeValue(for digest: SHA256Hash) -> UInt64? {
        if digest == .zero {
            defer { zeroDigestValue = nil }
            if zeroDigestValue != nil { count -= 1 }
            return zeroDigestValue
        }
        let (mask, shift, multiplier) = (mask, shift, multiplier)
        let removed: UInt64? = slots.withUnsafeMutableBufferPointer { slots in
            var index = Self.home(of: digest, multiplier: multiplier, shift: shift)
            while slots[index].digest != digest {
                if slots[index].digest == .zero { return nil }
                index = (index + 1) & mask
            }
            let value = slots[index].value
            // Backward shift: walk the run after the hole and move back every entry whose home is not
            // between the hole and where it sits, so that each entry stays reachable from its home.
            var hole = index
            var next = (index + 1) & mask
            while slots[next].digest != .zero {
                let home = Self.home(of: slots[next].digest, multiplier: multiplier, shift: shift)
                if (next - home) & mask >= (next - hole) & mask {
                    slots[hole] = slots[next]
                    hole = next
                }
                next = (next + 1) & mask
            }
            slots[hole].digest = .zero
            return value
        }
        if removed != nil { count -= 1 }
        return removed
    }

    /// Empties the table.
    public mutating func removeAll(keepingCapacity: Bool = false) {
        let slotCount = keepingCapacity ? slots.count : Self.slotCount(for: 0)
        (slots, mask, shift) = Self.emptySlots(slotCount)
        zeroDigestValue = nil
        count = 0
    }

    /// Makes room for `minimumCapacity` digests, placing every entry again if the table must grow.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let old = slots
        let slotCount = Self.slotCount(for: minimumCapacity)
        (slots, mask, shift) = Self.emptySlots(slotCount)
        let zero = zeroDigestValue
        count = 0
        zeroDigestValue = nil
        for slot in old where slot.digest != .zero { store(slot.value, for: slot.digest, replacing: false) }
        if let zero { store(zero, for: .zero, replacing: false) }
    }

    /// Loads the slot each digest would start at, and returns a value that depends on them all.
    ///
    /// For tables far larger than the cache, probing many digests one after another waits out one miss
    /// each: a probe must see its slot before it knows where to look next. The loads of this pass depend
    /// on nothing, so the processor overlaps their misses, and the probes that follow find their lines in
    /// cache. Keep the result somewhere (add it to a stored counter) so the loads are not optimized away.
    public func warm(_ digests: [SHA256Hash]) -> UInt64 {
        slots.withUnsafeBufferPointer { slots in
            var sum: UInt64 = 0
            for digest in digests { sum &+= slots[home(of: digest)].value }
            return sum
        }
    }

    @discardableResult
    private mutating func store(_ value: UInt64, for digest: SHA256Hash, replacing: Bool) -> UInt64? {
        if digest == .zero {
            let old = zeroDigestValue
            if old == nil { count += 1 }
            if old == nil || replacing { zeroDigestValue = value }
            return old
        }
        if count + 1 > capacity { reserveCapacity(2 * (count + 1)) }
        let (mask, shift, multiplier) = (mask, shift, multiplier)
        let old: UInt64? = slots.withUnsafeMutableBufferPointer { slots in
            var index = Self.home(of: digest, multiplier: multiplier, shift: shift)
            while true {
                if slots[index].digest == digest {
                    let old = slots[index].value
                    if replacing { slots[index].value = value }
                    return old
                }
                if slots[index].digest == .zero {
                    slots[index] = Slot(digest: digest, value: value)
                    return nil
                }
                index = (index + 1) & mask
            }
        }
        if old == nil { count += 1 }
        return old
    }

    private func home(of digest: SHA256Hash) -> Int {
        Self.home(of: digest, multiplier: multiplier, shift: shift)
    }

    private static func home(of digest: SHA256Hash, multiplier: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (digest.words.1 &* multiplier) >> shift)
    }

    /// `count` empty slots (a power of two), with the mask and shift that pick among them.
    private static func emptySlots(_ count: Int) -> (slots: [Slot], mask: Int, shift: UInt64) {
        (Array(repeating: Slot(digest: .zero, value: 0), count: count), count - 1, UInt64(64 - count.trailingZeroBitCount))
    }

    /// A power of two at least twice `capacity`, and at least 16.
    private static func slotCount(for capacity: Int) -> Int {
        var count = 16
        while count / 2 < capacity { count *= 2 }
        return count
    }
}
