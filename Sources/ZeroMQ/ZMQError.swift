import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by libzmq or by this wrapper.
///
/// Carries the `errno` value (`code`) and libzmq's text for it. Two errors are equal when their codes
/// are equal, so callers can match on the named static members:
///
/// ```swift
/// do { try socket.send(frames) } catch .hostUnreachable { /* peer not connected */ }
/// ```
public struct ZMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `errno` value (POSIX or libzmq's own, such as `ETERM`).
    public let code: Int32
    /// What went wrong, from `zmq_strerror` or this wrapper, with a hint at what to do next.
    public let message: String
    /// The call that failed, such as `"zmq_connect"`, when known.
    public let operation: String?

    /// Creates an error with an explicit code and message.
    public init(code: Int32, message: String, operation: String? = nil) {
        self.code = code
        self.message = message
        self.operation = operation
    }

    /// The error libzmq just reported through `zmq_errno()`, for the call named `operation`.
    static func last(_ operation: String) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(code: code, message: describe(code), operation: operation)
    }

    private static func describe(_ code: Int32) -> String {
        let text = String(cString: zmq_strerror(code))
        switch code {
        case ETERM: return text + "; the context was closed, close this socket"
        case ENOTSOCK: return text + "; the socket was closed, create a new one"
        default: return text
        }
    }

    public var description: String {
        let prefix = operation.map { "\($0): " } ?? ""
        return "ZMQError(\(code)): \(prefix)\(message)"
    }

    public static func == (lhs: ZMQError, rhs: ZMQError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension ZMQError {
    private static func named(_ code: Int32) -> ZMQError {
        ZMQError(code: code, message: describe(code))
    }

    /// `EAGAIN`: a non-blocking call would block, or a send/receive timeout expired.
    public static let wouldBlock = named(EAGAIN)
    /// `ETERM`: the socket's context was closed; close the socket.
    public static let contextTerminated = named(ETERM)
    /// `EHOSTUNREACH`: a ROUTER with `routerMandatory` has no connected peer with that routing id.
    public static let hostUnreachable = named(EHOSTUNREACH)
    /// `EINTR`: a signal interrupted a blocking call; retry it.
    public static let interrupted = named(EINTR)
    /// `EINVAL`: an invalid argument, such as a malformed endpoint, key or option value.
    public static let invalidArgument = named(EINVAL)
    /// `EMSGSIZE`: a message is larger than allowed.
    public static let messageTooLarge = named(EMSGSIZE)
    /// `EADDRINUSE`: the address to bind is already in use.
    public static let addressInUse = named(EADDRINUSE)
    /// `ENOENT`: the endpoint to unbind or disconnect is not bound or connected.
    public static let endpointNotFound = named(ENOENT)
    /// `ENOTSOCK`: the socket was closed; create a new one.
    public static let socketClosed = named(ENOTSOCK)
    /// `EFSM`: the socket type does not allow this operation now (e.g. REP sending before receiving).
    public static let invalidState = named(EFSM)

    /// An `EINVAL` error with a specific explanation.
    static func invalidArgument(_ message: String, operation: String? = nil) -> ZMQError {
        ZMQError(code: EINVAL, message: message, operation: operation)
    }
}
