import Consensus

/// A consensus frame received from a peer.
public struct InboundPeerFrame: Sendable, Hashable {
    /// The signed consensus message, opaque to the transport.
    public var payload: [UInt8]
    /// The node the sending DEALER says it is (its routing id), if that reads `node-N`.
    ///
    /// Not authenticated: any client can pick any routing id (CURVE without ZAP accepts every client
    /// key). Use it for metrics and logs only; the consensus layer trusts the message signature.
    public var claimedSender: ReplicaID?

    /// Creates a received frame.
    public init(payload: [UInt8], claimedSender: ReplicaID?) {
        self.payload = payload
        self.claimedSender = claimedSender
    }
}
