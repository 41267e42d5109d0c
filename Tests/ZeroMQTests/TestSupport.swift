import Dispatch
import Foundation
import Synchronization
import ZeroMQ

/// Every test talks over loopback only.
let loopback = "tcp://127.0.0.1"

/// A TCP port on 127.0.0.1 that was free a moment ago: bound by a probe socket in a context of its
/// own, which is terminated (so the listener is really closed) before returning.
func freePort() throws -> Int {
    let context = try ZMQContext()
    defer { context.close() }
    let probe = try ZMQSocket(context, type: .router)
    defer { probe.close() }
    try probe.bind("\(loopback):0")
    return try port(of: probe.lastEndpoint)
}

/// The port of an endpoint such as `tcp://127.0.0.1:41234`.
func port(of endpoint: String) throws -> Int {
    guard let text = endpoint.split(separator: ":").last, let port = Int(text) else {
        throw ZMQError.invalidArgument
    }
    return port
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A value written by one thread and read by another.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    func get() -> Value { value.withLock { $0 } }
}

/// A thread running a test's body, so that a body that would hang fails the test instead.
struct BackgroundRun {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let done = self.done
        Thread.detachNewThread {
            body()
            done.signal()
        }
    }

    /// Whether the body finished within `seconds` (if not, its thread is abandoned).
    func finished(withinSeconds seconds: Double) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }
}

/// The `ZMQError` that `body` throws, or `nil`.
func thrownError(_ body: () throws -> Void) -> ZMQError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ZMQError
    }
}
