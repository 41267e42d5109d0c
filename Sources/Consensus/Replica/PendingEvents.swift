/// Client events waiting to be proposed, first come first served, with no duplicates.
///
/// The events sit in an arrival-order queue; a table maps each id to its place there. Every operation
/// costs one table operation per event: a proposal takes events off the front of the queue and drops
/// their ids, and a removal (the event turned up in someone else's proposal) blanks its place in the
/// queue, which the front then skips.
struct PendingEvents {
    /// Arrival order; `nil` where an event was removed out of order.
    private var queue: [Event?] = []
    /// The queue's first live place: everything before it has been taken or removed.
    private var head = 0
    /// How many places were cut off the front of `queue`: a position in `positions` is `base` plus an
    /// index into `queue`, so cutting the front never rewrites the table.
    private var base = 0
    private var positions: DigestTable

    /// - Parameter tableSecret: keys the id table (see ``DigestTable``).
    init(tableSecret: UInt64) {
        positions = DigestTable(secret: tableSecret)
    }

    var count: Int { positions.count }
    /// The payload bytes of the pending events.
    private(set) var bytes = 0
    var isEmpty: Bool { positions.isEmpty }

    func contains(_ id: SHA256Hash) -> Bool { positions.contains(id) }

    /// The pending event with this id, if any.
    func event(withID id: SHA256Hash) -> Event? { positions[id].flatMap { queue[Int($0) - base] } }

    /// Adds `event` unless it is already here. - Returns: whether it was added.
    @discardableResult
    mutating func append(_ event: Event) -> Bool {
        // One table operation: a repeat keeps its place.
        guard positions.insert(event.id, value: UInt64(base + queue.count)) else { return false }
        queue.append(event)
        bytes += event.payload.count
        return true
    }

    mutating func remove(_ id: SHA256Hash) {
        guard let position = positions.removeValue(for: id) else { return }
        let index = Int(position) - base
        bytes -= queue[index]!.payload.count
        queue[index] = nil
        compactIfSparse()
    }

    /// Removes and returns up to `maxCount` events, oldest first, whose payloads total at most `maxBytes`.
    mutating func take(maxCount: Int, maxBytes: Int) -> [Event] {
        var taken: [Event] = []
        taken.reserveCapacity(min(maxCount, count))
        var takenBytes = 0
        while taken.count < maxCount, head < queue.count {
            guard let size = queue[head]?.payload.count else {
                head += 1
                continue
            }
            if takenBytes + size > maxBytes, !taken.isEmpty { break }
            // Moved out of the queue, not copied and then cleared.
            let event = queue[head].take()!
            takenBytes += size
            positions.removeValue(for: event.id)
            bytes -= size
            taken.append(event)
            head += 1
        }
        compactIfSparse()
        return taken
    }

    /// Every pending event, oldest first.
    var all: [Event] { queue[head...].compactMap { $0 } }

    // Memory follows the number of pending events, not the number ever submitted: the taken front is cut
    // off once it is half the queue (cheap: no table changes), and a queue mostly of holes left by
    // out-of-order removals is rebuilt (each live event's place is rewritten, so only when holes dominate).
    private mutating func compactIfSparse() {
        guard queue.count > 64 else { return }
        if positions.isEmpty {
            base += queue.count
            queue = []
            head = 0
        } else if queue.count - head > 2 * positions.count + 64 {
            let live = queue[head...].compactMap { $0 }
            base += queue.count
            queue = live
            head = 0
            for (index, event) in live.enumerated() { positions.updateValue(UInt64(base + index), for: event.id) }
        } else if head > queue.count / 2 {
            queue.removeFirst(head)
            base += head
            head = 0
        }
    }
}
