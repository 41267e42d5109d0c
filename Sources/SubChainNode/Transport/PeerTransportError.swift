import ZeroMQ

/// Why a ``PeerTransport`` could not start or stopped on its own.
///
/// Errors compare equal when they are of the same kind; ``description`` says what to do next.
public struct PeerTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case bind, configuration, socket }

    private let kind: Kind
    /// What went wrong, naming the endpoint or setting.
    public let message: String
    /// The libzmq error underneath, if any.
    public let underlying: ZMQError?

    private init(_ kind: Kind, _ message: String, underlying: ZMQError? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    public static func == (lhs: PeerTransportError, rhs: PeerTransportError) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// The ROUTER could not bind its endpoint.
    public static let bind = PeerTransportError(.bind, "cannot bind")
    /// The configuration is inconsistent.
    public static let configuration = PeerTransportError(.configuration, "invalid configuration")
    /// A socket could not be created, configured or used.
    public static let socket = PeerTransportError(.socket, "socket failure")

    static func bind(_ endpoint: String, _ error: ZMQError) -> PeerTransportError {
        let hint = error == .addressInUse
            ? "address in use: another process (or another node) listens there; stop it or choose another NODE_PORT"
            : "\(error.message); check NODE_PORT and the bind address"
        return PeerTransportError(.bind, "cannot bind peer transport to \(endpoint): \(hint)", underlying: error)
    }

    static func configuration(_ message: String) -> PeerTransportError {
        PeerTransportError(.configuration, "peer transport configuration: \(message)")
    }

    static func socket(_ what: String, _ error: ZMQError) -> PeerTransportError {
        PeerTransportError(.socket, "peer transport: \(what): \(error)", underlying: error)
    }
}
