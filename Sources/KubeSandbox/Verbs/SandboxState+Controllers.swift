import KubeCore

extension SandboxState {
    /// The work a cluster's controllers do after a write, done at once and in order, until it makes no
    /// more changes: each step sees the changes of the write and of every step before it.
    ///
    /// With `workloads`, the scheduler and the deployment and ReplicaSet controllers run too.
    ///
    /// - Returns: The changes the controllers made, after those of the write.
    mutating func runControllers(after changes: [StoreChange], workloads: Bool = false) -> [StoreChange] {
        var made: [StoreChange] = []
        var pending = changes
        // Each round reacts to the round before; the controllers converge, and the bound keeps a bug in
        // one of them from hanging the server.
        var rounds = 0
        while !pending.isEmpty, rounds < 100 {
            rounds += 1
            var next = collectGarbage(after: pending)
            next += createDefaultServiceAccounts(after: pending)
            if workloads { next += reconcileWorkloads(after: pending + next) }
            next += refreshQuotas(after: pending + next)
            next += cleanUpCustomResources(after: pending + next)
            made += next
            pending = next
        }
        return made
    }
}
