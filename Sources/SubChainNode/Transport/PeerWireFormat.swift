/// The messages peers exchange, one layer under the consensus frames.
///
/// A DEALER sends exactly two frames, `[header, body]`, so the ROUTER receives three, the routing id
/// first. The header tells consensus data from the heartbeat that lets the dialling side learn whether
/// its link works (the ZeroMQ wrapper has no socket monitor). The ROUTER answers a ping with a one-frame
/// pong. Everything else is malformed and counted, never delivered.
enum PeerWireFormat {
    static let dataHeader: [UInt8] = [0x01]
    static let pingHeader: [UInt8] = [0x02]
    static let pongHeader: [UInt8] = [0x03]

    /// What the ROUTER received.
    enum Inbound: Equatable {
        case data(routingID: [UInt8], payload: [UInt8])
        case ping(routingID: [UInt8])
        case malformed(routingID: [UInt8]?)
    }

    /// The frames a DEALER sends for one consensus frame.
    static func data(_ payload: [UInt8]) -> [[UInt8]] { [dataHeader, payload] }

    /// The frames a DEALER sends to ask for a pong.
    static let ping: [[UInt8]] = [pingHeader, []]

    /// The frames a ROUTER sends to answer a ping from `routingID`.
    static func pong(to routingID: [UInt8]) -> [[UInt8]] { [routingID, pongHeader] }

    /// Classifies a message received by the ROUTER.
    static func classify(_ frames: [[UInt8]]) -> Inbound {
        guard frames.count == 3 else { return .malformed(routingID: frames.first) }
        switch frames[1] {
        // An empty consensus frame cannot carry a signature: a peer bug, not traffic.
        case dataHeader where !frames[2].isEmpty: return .data(routingID: frames[0], payload: frames[2])
        case pingHeader where frames[2].isEmpty: return .ping(routingID: frames[0])
        default: return .malformed(routingID: frames[0])
        }
    }

    /// Whether a message received by a DEALER is a pong.
    static func isPong(_ frames: [[UInt8]]) -> Bool { frames == [pongHeader] }
}
