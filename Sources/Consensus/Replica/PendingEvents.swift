/// Client events waiting to be proposed, first come first served, with no duplicates.
struct PendingEvents {
    private var order: [SHA256Hash] = []
    private var head = 0
    private var events: [SHA256Hash: Event] = [:]

    var count: Int { events.count }
    /// The payload bytes of the pending events.
    private(set) var bytes = 0
    var isEmpty: Bool { events.isEmpty }

    func contains(_ id: SHA256Hash) -> Bool { events[id] != nil }

    /// Adds `event` unless it is already here. - Returns: whether it was added.
    @discardableResult
    mutating func append(_ event: Event) -> Bool {
        guard events[event.id] == nil else { return false }
        events[event.id] = event
        bytes += event.payload.count
        order.append(event.id)
        return true
    }

    mutating func remove(_ id: SHA256Hash) {
        guard let removed = events.removeValue(forKey: id) else { return }
        bytes -= removed.payload.count
        compactIfSparse()
    }

    /// Removes and returns up to `maxCount` events, oldest first, whose payloads total at most `maxBytes`.
    mutating func take(maxCount: Int, maxBytes: Int) -> [Event] {
        var taken: [Event] = []
        var takenBytes = 0
        while taken.count < maxCount, head < order.count {
            guard let event = events[order[head]] else {
                head += 1
                continue
            }
            if takenBytes + event.payload.count > maxBytes, !taken.isEmpty { break }
            takenBytes += event.payload.count
            taken.append(event)
            events[event.id] = nil
            bytes -= event.payload.count
            head += 1
        }
        compactIfSparse()
        return taken
    }

    /// Every pending event, oldest first.
    var all: [Event] { order[head...].compactMap { events[$0] } }

    // The order array keeps ids of events already taken or removed; rebuild it once they dominate, so
    // memory follows the number of pending events rather than the number ever submitted.
    private mutating func compactIfSparse() {
        guard order.count > 64, order.count - head > 2 * events.count || head > order.count / 2 else { return }
        order = order[head...].filter { events[$0] != nil }
        head = 0
    }
}
