import Consensus

/// What became of events handed to the node.
public struct SubmitOutcome: Sendable, Equatable {
    /// Events the replica holds (new, already pending or already committed): they will commit once.
    public var accepted: [SHA256Hash]
    /// Events refused because the node holds as many as it may; the client should retry later.
    public var overloaded: [SHA256Hash]
    /// Why the node took none of the events, when it has stopped (shutting down, or its storage failed):
    /// nothing was accepted, and the client should send them to another node.
    public var stopped: String?

    public init(accepted: [SHA256Hash], overloaded: [SHA256Hash], stopped: String? = nil) {
        self.accepted = accepted
        self.overloaded = overloaded
        self.stopped = stopped
    }
}

/// A snapshot of the node's consensus state for `/v1/status`, `/readyz` and metrics.
public struct ReplicaStatus: Sendable {
    public var nodeID: ReplicaID
    public var chainID: String
    public var view: UInt64
    public var primary: ReplicaID
    public var isChangingView: Bool
    public var height: UInt64
    public var headHash: SHA256Hash
    public var stableCheckpoint: UInt64
    public var isCatchingUp: Bool
    public var pendingEvents: Int
    public var counters: ReplicaCounters
    /// Set when the node stopped because its storage failed; it must be restarted.
    public var failure: String?
}
