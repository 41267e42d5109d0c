import Consensus

/// The set of every event id an ``InMemoryLedger`` committed: open addressing over the ids themselves.
///
/// Why not `Set<SHA256Hash>`: a benchmark's ledger holds a million ids, far more than fit in cache, and a
/// `Set` keeps its occupancy in a bitmap apart from its elements and re-hashes every id with a seeded
/// SipHash, so each insert touches two cold cache lines and each lookup at least one after the hashing.
/// Ids are SHA-256 outputs, uniformly distributed already: here one of their words picks the slot, and
/// the slot holds the id itself (an all-zero slot is empty), so an insert or a lookup of an absent id
/// usually costs one cache line. Without this, the stand-in ledger cost a quarter of the consensus
/// benchmark's CPU time, more than the replicas' own bookkeeping.
///
/// Exact: the all-zero id, which would look like an empty slot (and which no one can produce, since it
/// takes a SHA-256 preimage), is kept in a flag of its own.
struct CommittedIDTable {
    private var slots: [SHA256Hash]
    private var mask: Int
    private var containsZero = false
    private(set) var count = 0

    init(minimumCapacity: Int = 1 << 12) {
        let capacity = Self.slotCount(for: minimumCapacity)
        slots = Array(repeating: .zero, count: capacity)
        mask = capacity - 1
    }

    /// Room for `count` ids before the table grows.
    var capacity: Int { slots.count / 2 }

    func contains(_ id: SHA256Hash) -> Bool {
        if id == .zero { return containsZero }
        return slots.withUnsafeBufferPointer { slots in
            var index = Self.home(of: id) & mask
            while true {
                let slot = slots[index]
                if slot == id { return true }
                if slot == .zero { return false }
                index = (index + 1) & mask
            }
        }
    }

    /// Adds `id`. - Returns: whether it was new.
    mutating func insert(_ id: SHA256Hash) -> Bool {
        if id == .zero {
            guard !containsZero else { return false }
            containsZero = true
            count += 1
            return true
        }
        if count + 1 > capacity { reserveCapacity(2 * (count + 1)) }
        let mask = mask
        let inserted = slots.withUnsafeMutableBufferPointer { slots in
            var index = Self.home(of: id) & mask
            while true {
                let slot = slots[index]
                if slot == id { return false }
                if slot == .zero {
                    slots[index] = id
                    return true
                }
                index = (index + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Makes room for `minimumCapacity` ids, re-placing every id once if the table must grow.
    mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        let old = slots
        let slotCount = Self.slotCount(for: minimumCapacity)
        slots = Array(repeating: .zero, count: slotCount)
        mask = slotCount - 1
        let zero = containsZero
        count = 0
        containsZero = false
        for id in old where id != .zero { _ = insert(id) }
        if zero { _ = insert(.zero) }
    }

    /// At most half the slots are used, so probe runs stay short.
    private static func slotCount(for capacity: Int) -> Int {
        var count = 16
        while count / 2 < capacity { count *= 2 }
        return count
    }

    /// The slot an id would like: its second word (any of the four is uniform; the durable store's
    /// filter uses the first).
    private static func home(of id: SHA256Hash) -> Int { Int(truncatingIfNeeded: id.words.1) }
}
