/// What a replica knows about one sequence number above its stable checkpoint.
struct LogSlot {
    /// The primary's proposal accepted in the current view, and its block.
    var prePrepare: Vote?
    var block: Block?
    /// Whether this replica built ``block`` or checked it when it accepted it in the current view: it holds
    /// no event twice, and none of its events had committed or was in flight at another height.
    var checkedOnAcceptance = false
    /// Prepare and commit votes of the current view, one per sender.
    var prepares: [ReplicaID: Vote] = [:]
    var commits: [ReplicaID: Vote] = [:]
    /// Whether this replica sent its commit in the current view.
    var sentCommit = false
    /// The highest-view prepared certificate this replica holds for the sequence, kept across views.
    var prepared: PreparedCertificate?
    var preparedBlock: Block?
    /// The certificate that committed the sequence, kept until the block executes.
    var commitCertificate: CommitCertificate?

    /// Forgets the per-view progress when the replica leaves the view; certificates stay.
    mutating func resetForNewView() {
        prePrepare = nil
        prepares = [:]
        commits = [:]
        sentCommit = false
        if commitCertificate == nil {
            block = nil
            checkedOnAcceptance = false
        }
    }
}
