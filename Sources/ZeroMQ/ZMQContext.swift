import CZeroMQ
import Synchronization

/// A libzmq context: the I/O threads and the registry that every ``ZMQSocket`` belongs to.
///
/// Expected flow: create one context per process, create sockets from it, close the sockets, close
/// the context (or let it go: `deinit` terminates it).
///
/// Guarantees:
/// - ``close()`` never blocks. It shuts the context down at once, so every call on any of its sockets
///   (in any thread, including blocked ones) fails with ``ZMQError/contextTerminated``, except
///   ``ZMQSocket/close()``; and it terminates the context
///   (`zmq_ctx_term`) as soon as the last socket is closed: by ``close()`` itself if none are open,
///   otherwise by whoever closes the last socket.
/// - Each socket keeps its context alive, so the context is never terminated under an open socket.
/// - New sockets default to a linger period of zero (`ZMQ_BLOCKY` off): closing a socket drops the
///   messages it has not yet sent instead of waiting for an absent peer. Set
///   ``ZMQSocketOption/linger(_:)`` on a socket that must flush.
///
/// Thread safety: libzmq contexts are thread-safe, so a context may be shared across threads and
/// tasks; the sockets created from it may not (see ``ZMQSocket``).
public final class ZMQContext: @unchecked Sendable {
    // `@unchecked`: `handle` is a raw pointer that never changes after `init`; libzmq documents the
    // context as thread-safe, and the socket count and lifecycle flags are guarded by `state`.
    let handle: UnsafeMutableRawPointer
    private let state = Mutex(State())
    /// Set by ``close()``; read without locking on every socket operation.
    private let closing = Atomic(false)

    private struct State {
        var openSockets = 0
        var closeRequested = false
        var terminated = false
    }

    /// Creates a context with one I/O thread.
    /// - Throws: ``ZMQError`` if libzmq cannot create a context (for instance, too many open files).
    public init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
        // Linger 0 by default: a node shutting down must not wait for peers that are gone.
        zmq_ctx_set(handle, ZMQ_BLOCKY, 0)
        self.handle = handle
    }

    deinit {
        // Sockets hold their context strongly, so none is open here and termination cannot block.
        let mustTerminate = state.withLock { state in
            defer { state.terminated = true }
            return !state.terminated
        }
        if mustTerminate { zmq_ctx_term(handle) }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { closing.load(ordering: .acquiring) }

    /// Shuts the context down; terminates it once its last socket is closed. Idempotent, never blocks.
    ///
    /// After this call, operations on the context's sockets throw ``ZMQError/contextTerminated``; close
    /// them (their `deinit` does too).
    public func close() {
        let terminateNow = state.withLock { state -> Bool in
            guard !state.closeRequested else { return false }
            state.closeRequested = true
            closing.store(true, ordering: .releasing)
            // Under the lock: a socket closing on another thread must not terminate the context first.
            zmq_ctx_shutdown(handle)
            guard state.openSockets == 0 else { return false }
            state.terminated = true
            return true
        }
        if terminateNow { zmq_ctx_term(handle) }
    }

    /// Creates a libzmq socket and counts it as open.
    func openSocket(type: Int32) throws(ZMQError) -> UnsafeMutableRawPointer {
        let result = state.withLock { state -> Result<UnsafeMutableRawPointer, ZMQError> in
            guard !state.closeRequested else { return .failure(.contextTerminated) }
            // Under the lock, so that `close()` cannot terminate the context during the call.
            guard let socket = zmq_socket(handle, type) else { return .failure(.last("zmq_socket")) }
            state.openSockets += 1
            return .success(socket)
        }
        return try result.get()
    }

    /// Closes a socket opened by ``openSocket(type:)``; terminates the context if it was the last one
    /// after ``close()``.
    func closeSocket(_ socket: UnsafeMutableRawPointer) {
        zmq_close(socket)
        let terminateNow = state.withLock { state -> Bool in
            state.openSockets -= 1
            guard state.closeRequested, state.openSockets == 0, !state.terminated else { return false }
            state.terminated = true
            return true
        }
        // Outside the lock: termination waits for each socket's linger period.
        if terminateNow { zmq_ctx_term(handle) }
    }
}
