/// Whether the node should receive client traffic, and if not, why (`/readyz`).
///
/// Ready means the node can take part in consensus now: its storage works, it reaches enough peers to form
/// a quorum with itself (quorum − 1 connected peers, where the quorum follows from the validator count),
/// and it is neither catching up nor in a view change.
struct NodeReadiness: Sendable, Equatable {
    /// Why the node is not ready; empty when it is.
    let reasons: [String]

    var isReady: Bool { reasons.isEmpty }

    init(validators: Int, connectedPeers: Int, isCatchingUp: Bool, isChangingView: Bool, failure: String?) {
        var reasons: [String] = []
        if let failure { reasons.append("storage failed, restart the node: \(failure)") }
        // The same quorum rule as Consensus's ValidatorSet: ⌈(n + f + 1) / 2⌉ with f = ⌊(n − 1) / 3⌋.
        let faulty = max(0, (validators - 1) / 3)
        let quorum = (validators + faulty + 2) / 2
        if connectedPeers < quorum - 1 {
            reasons.append("connected to \(connectedPeers) peers; a quorum of \(quorum) of \(validators) validators needs \(quorum - 1)")
        }
        if isCatchingUp { reasons.append("catching up with the chain") }
        if isChangingView { reasons.append("changing view") }
        self.reasons = reasons
    }
}
