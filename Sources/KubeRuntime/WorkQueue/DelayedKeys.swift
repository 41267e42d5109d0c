/// The keys waiting for a time before they join the queue, as client-go's delaying queue keeps them
/// (`delaying_queue.go`): one entry per key, and scheduling a key that already waits keeps the sooner
/// of the two times.
///
/// A min-heap ordered by time (ties by scheduling order, so the order is deterministic) over a table
/// of the live entry per key. Moving a key sooner leaves its old heap entry behind as stale; stale
/// entries are dropped whenever they reach the top, so the top is always live and ``earliest`` needs
/// no mutation.
struct DelayedKeys<Key: Hashable & Sendable>: Sendable {
    private struct Entry: Sendable {
        var key: Key
        var readyAt: Duration
        var sequence: Int

        func precedes(_ other: Entry) -> Bool {
            (readyAt, sequence) < (other.readyAt, other.sequence)
        }
    }

    private var live: [Key: Entry] = [:]
    private var heap: [Entry] = []
    private var nextSequence = 0

    /// How many keys wait.
    var count: Int { live.count }

    /// When the first waiting key becomes ready; `nil` when none waits.
    var earliest: Duration? { heap.first?.readyAt }

    /// When `key` becomes ready; `nil` when it does not wait.
    func readyTime(of key: Key) -> Duration? { live[key]?.readyAt }

    /// Makes `key` ready at `readyAt`, unless it already waits for an earlier (or the same) time.
    mutating func schedule(_ key: Key, at readyAt: Duration) {
        if let existing = live[key], existing.readyAt <= readyAt { return }
        let entry = Entry(key: key, readyAt: readyAt, sequence: nextSequence)
        nextSequence += 1
        live[key] = entry
        push(entry)
    }

    /// Removes and returns the keys ready at `now`, earliest first, each with the time it became ready.
    mutating func removeReady(at now: Duration) -> [(key: Key, readyAt: Duration)] {
        var ready: [(key: Key, readyAt: Duration)] = []
        while let top = heap.first, top.readyAt <= now {
            popTop()
            live[top.key] = nil
            ready.append((top.key, top.readyAt))
            dropStaleTop()
        }
        return ready
    }

    /// Forgets every waiting key.
    mutating func removeAll() {
        live = [:]
        heap = []
    }

    private func isLive(_ entry: Entry) -> Bool {
        live[entry.key]?.sequence == entry.sequence
    }

    private mutating func dropStaleTop() {
        while let top = heap.first, !isLive(top) { popTop() }
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        // No stale check here: the entry a key leaves behind is later than its new one, so only a
        // removal can bring a stale entry to the top.
    }

    private mutating func popTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
