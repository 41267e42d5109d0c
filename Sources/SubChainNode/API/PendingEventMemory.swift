import Consensus
import Ledger
import Synchronization

/// The events this node accepted recently, so that `GET /v1/events/{id}` can say "pending" for those that
/// have not committed yet.
///
/// The replica does not expose its pending set, and it holds events forwarded by peers too; this memory
/// only knows what was submitted here. It is bounded (oldest forgotten first) and not persisted: after a
/// restart, or for events submitted to another node, an uncommitted event is unknown (404) until it commits.
final class PendingEventMemory: Sendable {
    private struct State {
        var events: [SHA256Hash: ClientEvent] = [:]
        var order: [SHA256Hash] = []
        var oldest = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Remembers accepted events, forgetting the oldest beyond the capacity.
    func remember(_ events: [(id: SHA256Hash, event: ClientEvent)]) {
        state.withLock { state in
            for (id, event) in events where state.events.updateValue(event, forKey: id) == nil {
                state.order.append(id)
            }
            while state.order.count - state.oldest > capacity {
                state.events[state.order[state.oldest]] = nil
                state.oldest += 1
            }
            // Compact once the forgotten prefix dominates, so the array stays within twice the capacity.
            if state.oldest > capacity {
                state.order.removeFirst(state.oldest)
                state.oldest = 0
            }
        }
    }

    /// Forgets events seen to commit (a `?wait=commit` request saw them): the ledger answers for them
    /// from now on, and holding them until the capacity pushes them out cost megabytes under load.
    func forget(_ ids: some Sequence<SHA256Hash>) {
        state.withLock { state in
            for id in ids { state.events[id] = nil }
        }
    }

    /// The event, if it was accepted here and is still remembered.
    func event(withID id: SHA256Hash) -> ClientEvent? { state.withLock { $0.events[id] } }
}
