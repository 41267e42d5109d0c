import Consensus

/// The body of `GET /v1/status`.
struct NodeStatusDocument: Codable, Sendable {
    /// One peer link.
    struct Peer: Codable, Sendable {
        var id: String
        var address: String
        /// `connected` while the peer answers pings, `connecting` otherwise.
        var state: String
        var framesSent: Int
        var framesReceived: Int
    }

    var nodeId: String
    var chainId: String
    var view: UInt64
    /// The primary of the current view.
    var leader: String
    var height: UInt64
    var headHash: String
    /// The sequence number of the last stable checkpoint.
    var stableCheckpoint: UInt64
    var changingView: Bool
    var catchingUp: Bool
    var pendingEvents: Int
    var validators: Int
    /// Set when the node stopped because its storage failed.
    var failure: String?
    var peers: [Peer]

    init(replica: ReplicaStatus, peers: PeerTransportStatus, validators: Int) {
        nodeId = replica.nodeID.description
        chainId = replica.chainID
        view = replica.view
        leader = replica.primary.description
        height = replica.height
        headHash = replica.headHash.hex
        stableCheckpoint = replica.stableCheckpoint
        changingView = replica.isChangingView
        catchingUp = replica.isCatchingUp
        pendingEvents = replica.pendingEvents
        self.validators = validators
        failure = replica.failure
        self.peers = peers.peers.sorted { $0.key < $1.key }.map { id, link in
            Peer(id: id.description, address: link.address.endpoint, state: link.state.rawValue, framesSent: link.sent, framesReceived: link.received)
        }
    }
}
