import CZeroMQ

/// The messaging pattern of a ``ZMQSocket``.
public struct ZMQSocketType: Sendable, Hashable, CustomStringConvertible {
    let rawValue: Int32
    public let description: String

    private init(_ rawValue: Int32, _ description: String) {
        self.rawValue = rawValue
        self.description = description
    }

    /// Receives from any peer with the sender's routing id as the first frame; sends to the peer
    /// named by the first frame. The listening side of the node transport.
    public static let router = ZMQSocketType(ZMQ_ROUTER, "ROUTER")
    /// Sends to and receives from its connected peer(s) with no envelope. The dialling side of the node
    /// transport, one per peer.
    public static let dealer = ZMQSocketType(ZMQ_DEALER, "DEALER")
    /// One-to-one, typically over `inproc://`: wakes a thread that is blocked in ``ZMQPoller``.
    public static let pair = ZMQSocketType(ZMQ_PAIR, "PAIR")
}
