import Consensus
import Crypto

/// How a simulated replica behaves towards the others.
public enum NodeBehaviour: Sendable, Equatable {
    /// Follows the protocol.
    case correct
    /// Runs the protocol but never sends anything.
    case silent
    /// As primary, sends different pre-prepares for one sequence to different backups.
    case equivocating
    /// Follows the protocol and also re-sends old frames it received to random peers.
    case replaying
}

/// One replica in a ``Simulation``, with the ledger and durable state that survive its crashes.
public final class SimulatedNode {
    /// The node's position in ``Simulation/nodes``.
    public let index: Int
    public let id: ReplicaID
    /// `nil` while the node is crashed.
    public internal(set) var replica: Replica?
    public internal(set) var ledger: InMemoryLedger
    public internal(set) var durable = DurableState()
    public var behaviour: NodeBehaviour
    /// A second replica that shares another's id and key.
    public let isTwin: Bool
    let key: Curve25519.Signing.PrivateKey
    var timerGenerations: [ReplicaTimer: UInt64] = [:]
    var receivedFrames: [[UInt8]] = []
    /// Whether the node ever crashed and came back.
    public internal(set) var restarts = 0

    init(index: Int, id: ReplicaID, key: Curve25519.Signing.PrivateKey, ledger: InMemoryLedger, isTwin: Bool) {
        self.index = index
        self.id = id
        self.key = key
        self.ledger = ledger
        self.isTwin = isTwin
        behaviour = .correct
    }

    public var isCrashed: Bool { replica == nil }
    /// Whether safety must hold for this node: it follows the protocol and has no twin.
    public var isCorrect: Bool { behaviour == .correct && !isTwin }
    public var height: UInt64 { ledger.height }
}
