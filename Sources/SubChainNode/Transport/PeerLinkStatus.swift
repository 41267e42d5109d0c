/// One peer's link as the status endpoint and metrics show it.
public struct PeerLinkStatus: Sendable, Hashable {
    /// Where the peer is dialled.
    public var address: PeerAddress
    /// Whether the peer answered a ping recently (see ``PeerConnectionState``).
    public var state: PeerConnectionState
    /// Frames queued to libzmq for this peer.
    public var sent: Int
    /// Frames received whose routing id claims to be this peer.
    public var received: Int
    /// Frames discarded, by reason (absent reasons are zero).
    public var dropped: [PeerDropReason: Int]
    /// When the peer last answered a ping.
    public var lastPong: ContinuousClock.Instant?

    /// Creates the status of a peer that has not exchanged anything yet.
    public init(address: PeerAddress) {
        self.address = address
        self.state = .connecting
        self.sent = 0
        self.received = 0
        self.dropped = [:]
        self.lastPong = nil
    }

    /// The number of frames dropped for `reason`.
    public func dropped(_ reason: PeerDropReason) -> Int { dropped[reason, default: 0] }
}
