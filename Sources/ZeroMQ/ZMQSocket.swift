import CZeroMQ

/// A libzmq socket: ROUTER, DEALER or PAIR, with options, endpoints and multipart messages.
///
/// Threading: a libzmq socket must be used by one thread at a time, and libzmq blocks that thread in
/// `send`, `receive` and ``ZMQPoller``. So `ZMQSocket` is a non-`Sendable` class: the compiler keeps
/// each socket in the isolation domain that created it. The node shell owns its sockets on one dedicated
/// thread (not a Swift concurrency task, whose cooperative threads must not block): that thread creates
/// the ROUTER and the DEALERs, runs a ``ZMQPoller`` loop over them, and is the only one to send. Other
/// threads and tasks reach it through something thread-safe, such as a queue it drains after each poll
/// plus an `inproc://` ``ZMQSocketType/pair`` socket that wakes the poll. Only the ``ZMQContext``
/// crosses threads; closing it from anywhere makes the owning thread's blocking calls fail with
/// ``ZMQError/contextTerminated``.
///
/// Lifecycle: ``close()`` is idempotent and `deinit` closes a socket the owner forgot; after closing,
/// every operation throws ``ZMQError/socketClosed``. The socket keeps its context alive until closed.
public final class ZMQSocket {
    /// The socket's messaging pattern.
    public let type: ZMQSocketType
    private let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?

    /// Creates a socket and applies `options` in order.
    /// - Parameters:
    ///   - context: the context the socket belongs to; kept alive until the socket is closed.
    ///   - type: ROUTER, DEALER or PAIR.
    ///   - options: options to set before any `bind` or `connect`.
    /// - Throws: ``ZMQError/contextTerminated`` if `context` was closed; the error of the first option
    ///   that libzmq rejects (the socket is then closed).
    public init(_ context: ZMQContext, type: ZMQSocketType, options: [ZMQSocketOption] = []) throws(ZMQError) {
        self.context = context
        self.type = type
        self.handle = try context.openSocket(type: type.rawValue)
        do {
            for option in options { try setOption(option) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket. Idempotent.
    ///
    /// Unsent messages are dropped after the linger period (zero by default, see ``ZMQContext``).
    public func close() {
        guard let handle else { return }
        self.handle = nil
        context.closeSocket(handle)
    }

    /// The open libzmq socket, or ``ZMQError/socketClosed``, or ``ZMQError/contextTerminated``.
    func openHandle(_ operation: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(
                code: ZMQError.socketClosed.code,
                message: "the \(type) socket was closed; create a new socket",
                operation: operation
            )
        }
        // libzmq notices a shut-down context lazily (a non-blocking send may still succeed), so check
        // here to fail every call as soon as `ZMQContext.close()` returns.
        guard !context.isClosed else {
            throw ZMQError(
                code: ZMQError.contextTerminated.code,
                message: "the context was closed; close this \(type) socket",
                operation: operation
            )
        }
        return handle
    }

    // MARK: Options

    /// Sets an option.
    /// - Throws: ``ZMQError/invalidArgument`` if libzmq rejects the value (for instance, a routing id
    ///   of 256 bytes); ``ZMQError/socketClosed`` after ``close()``.
    public func setOption(_ option: ZMQSocketOption) throws(ZMQError) {
        let handle = try openHandle("zmq_setsockopt(\(option.name))")
        for value in option.values {
            let result: Int32
            switch value {
            case .int32(let name, var number):
                result = zmq_setsockopt(handle, name, &number, MemoryLayout<Int32>.size)
            case .int64(let name, var number):
                result = zmq_setsockopt(handle, name, &number, MemoryLayout<Int64>.size)
            case .bytes(let name, let bytes):
                result = bytes.withUnsafeBytes { zmq_setsockopt(handle, name, $0.baseAddress, $0.count) }
            }
            guard result == 0 else { throw .last("zmq_setsockopt(\(option.name))") }
        }
    }

    /// The endpoint last bound or connected (`ZMQ_LAST_ENDPOINT`), with the port the system chose when
    /// binding to port 0, such as `tcp://127.0.0.1:41234`.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            let handle = try openHandle("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
            var buffer = [UInt8](repeating: 0, count: 1024)
            var size = buffer.count
            guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
                throw .last("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
            }
            return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    func int32Option(_ name: Int32, _ operation: String) throws(ZMQError) -> Int32 {
        let handle = try openHandle(operation)
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, name, &value, &size) == 0 else { throw .last(operation) }
        return value
    }

    // MARK: Endpoints

    /// Accepts connections on `endpoint`, such as `tcp://127.0.0.1:5001` or `tcp://127.0.0.1:0`
    /// (then read ``lastEndpoint``).
    /// - Throws: ``ZMQError/addressInUse``, ``ZMQError/invalidArgument`` for a malformed endpoint.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let handle = try openHandle("zmq_bind")
        guard zmq_bind(handle, endpoint) == 0 else { throw .last("zmq_bind(\(endpoint))") }
    }

    /// Connects to `endpoint` in the background; libzmq reconnects after failures by itself (see
    /// ``ZMQSocketOption/reconnectInterval(_:)``), so the peer need not be listening yet.
    /// - Throws: ``ZMQError/invalidArgument`` for a malformed endpoint.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let handle = try openHandle("zmq_connect")
        guard zmq_connect(handle, endpoint) == 0 else { throw .last("zmq_connect(\(endpoint))") }
    }

    /// Stops accepting connections on an endpoint passed to ``bind(_:)`` (use ``lastEndpoint`` for a
    /// port-0 bind).
    /// - Throws: ``ZMQError/endpointNotFound`` if the endpoint is not bound.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        let handle = try openHandle("zmq_unbind")
        guard zmq_unbind(handle, endpoint) == 0 else { throw .last("zmq_unbind(\(endpoint))") }
    }

    /// Drops the connection to an endpoint passed to ``connect(_:)``, with its queued messages.
    /// - Throws: ``ZMQError/endpointNotFound`` if the endpoint is not connected.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let handle = try openHandle("zmq_disconnect")
        guard zmq_disconnect(handle, endpoint) == 0 else { throw .last("zmq_disconnect(\(endpoint))") }
    }
}

// One thread at a time: see the type's documentation.
@available(*, unavailable)
extension ZMQSocket: Sendable {}
