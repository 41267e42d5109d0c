import Consensus

/// A snapshot of the transport's links and counters, for `/status`, `/readyz` and metrics.
public struct PeerTransportStatus: Sendable, Hashable {
    /// Each configured peer's link.
    public var peers: [ReplicaID: PeerLinkStatus]
    /// Frames received from a routing id that names no configured peer.
    public var receivedFromUnknown: Int
    /// Frames dropped that belong to no configured peer (malformed input from an unknown routing id,
    /// sends to an unknown id).
    public var droppedUnattributed: [PeerDropReason: Int]

    /// Creates the status of a transport that has exchanged nothing yet.
    public init(peers: [PeerAddress]) {
        self.peers = Dictionary(uniqueKeysWithValues: peers.map { ($0.id, PeerLinkStatus(address: $0)) })
        self.receivedFromUnknown = 0
        self.droppedUnattributed = [:]
    }

    /// All frames dropped for `reason`, attributed to a peer or not.
    public func dropped(_ reason: PeerDropReason) -> Int {
        peers.values.reduce(droppedUnattributed[reason, default: 0]) { $0 + $1.dropped(reason) }
    }

    /// How many peers answered a ping recently.
    public var connectedCount: Int { peers.values.count { $0.state == .connected } }
}
