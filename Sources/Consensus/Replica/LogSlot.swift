/// What a replica knows about one sequence number above its stable checkpoint.
struct LogSlot {
    /// The primary's proposal accepted in the current view, and its block.
    var prePrepare: Vote?
    var block: Block?
    /// Whether ``block`` passed this replica's own checks (or was built by it), so it holds no event twice.
    var blockHasDistinctEvents = false
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
            blockHasDistinctEvents = false
        }
    }
}
