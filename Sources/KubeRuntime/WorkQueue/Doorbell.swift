import Synchronization

/// Wakes one waiting task: the work queue's runner sleeps on it until a key is added, a reconcile ends,
/// or a delayed key becomes ready. A ring while nobody waits is kept for the next wait, so no wake-up is
/// lost between looking at the queue and going to sleep.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung, or at `deadline` (if any), or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant?) async {
        await withTaskGroup(of: Void.self) { group in
            if let deadline {
                group.addTask {
                    try? await Task.sleep(until: deadline)
                    self.ring()
                }
            }
            group.addTask { await self.waitForRing() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns when rung, whether or not the task is cancelled: a cancelled queue still waits for its
    /// running work to finish.
    func waitIgnoringCancellation() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ringing = state.withLock { state -> Bool in
                if state.rung {
                    state.rung = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if ringing { continuation.resume() }
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await waitIgnoringCancellation()
        } onCancel: {
            ring()
        }
    }
}
