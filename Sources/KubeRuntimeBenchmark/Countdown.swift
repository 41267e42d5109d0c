import Synchronization

/// Counts finished keys down from a total, from any worker.
final class Countdown: Sendable {
    private let left: Mutex<Int>

    init(_ total: Int) {
        left = Mutex(total)
    }

    /// Counts one; `true` for the last.
    func tick() -> Bool {
        left.withLock { left in
            left -= 1
            return left == 0
        }
    }
}
