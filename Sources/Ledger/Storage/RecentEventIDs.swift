import Consensus

/// The most recently committed event ids, at most `capacity` of them, oldest forgotten first.
///
/// Clients resubmit events they have not yet seen committed, so the ids the replica asks about most are
/// the recent ones; this answers those without touching the index, in memory bounded by `capacity`.
struct RecentEventIDs: Sendable {
    private var members: Set<SHA256Hash>
    private var ring: [SHA256Hash]
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        members = Set(minimumCapacity: self.capacity)
        ring = []
        ring.reserveCapacity(self.capacity)
    }

    func contains(_ id: SHA256Hash) -> Bool { members.contains(id) }

    mutating func insert(_ id: SHA256Hash) {
        guard capacity > 0, !members.contains(id) else { return }
        if ring.count < capacity {
            ring.append(id)
        } else {
            members.remove(ring[next])
            ring[next] = id
            next = (next + 1) % capacity
        }
        members.insert(id)
    }
}
