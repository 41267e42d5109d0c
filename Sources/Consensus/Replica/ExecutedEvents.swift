/// The events of blocks executed while handling the current input, which the ledger does not show yet.
///
/// Nearly every input executes at most one block, and then nothing needs asking: the set of ids is built
/// only when a second block executes in the same input or something asks about the first, so the hot path
/// pays no per-event hashing for it.
struct ExecutedEvents {
    private var blocks: [Block] = []
    private var ids: Set<SHA256Hash>?

    /// Whether an event of a block executed in this input has this id.
    mutating func contains(_ id: SHA256Hash) -> Bool {
        guard !blocks.isEmpty else { return false }
        if ids == nil { ids = Set(blocks.lazy.flatMap(\.eventIDs)) }
        return ids!.contains(id)
    }

    mutating func add(_ block: Block) {
        blocks.append(block)
        if ids != nil { ids!.formUnion(block.eventIDs) }
    }

    mutating func reset() {
        blocks.removeAll(keepingCapacity: true)
        ids = nil
    }
}
