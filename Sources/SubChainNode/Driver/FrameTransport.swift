import Consensus

/// Where a replica's frames go: the ZeroMQ peer transport in a node, an in-memory loop in tests.
///
/// Sends never block and may drop (a dead or slow peer must not hold up the others); consensus tolerates
/// loss and retransmits what matters.
public protocol FrameTransport: Sendable {
    /// Queues a frame for one peer.
    func send(_ frame: [UInt8], to peer: ReplicaID)
    /// Queues a frame for every other validator.
    func broadcast(_ frame: [UInt8])
}
