import Consensus
import Dispatch
import Logging
import Synchronization

/// The node's durable, hash-chained ledger: every committed block with its commit certificate.
///
/// ## Layout
/// `blocks.log` is the record of truth: a header (magic `HCBLOCK1`, genesis hash) and one framed record per
/// block in height order (``RecordFraming``: marker, height, length, ``CommittedBlock/encoded()``,
/// SHA-256). `index.sqlite` (``LedgerIndex``) maps heights, block hashes and event ids to places in it.
///
/// ## Guarantees
/// - ``append(_:)`` refuses an event committed before, writes the batch to the log and fsyncs it, then
///   keeps its index rows (blocks and events) in memory; when it returns the blocks survive `kill -9` and
///   power loss. Report a block committed only after it returns. Every
///   ``BlockStoreConfiguration/indexGroupEvents`` events (or ``BlockStoreConfiguration/indexGroupAge``)
///   the group's rows go into the index in one transaction, events in key order, on a thread of the
///   store's own: writing a group into a large index takes tens of milliseconds, which the append path
///   (the node's commit path) does not wait for. Lookups answer a group's rows from memory until its
///   transaction has committed. Index rows a crash loses are rebuilt from the log.
/// - One store per directory: a second open, from this process or another, is refused with
///   ``LedgerError`` ("locked") until the first is closed.
/// - A block that does not extend the chain (height, previous hash, certificate for another block, an event
///   committed before and not listed as a duplicate) is refused with a ``LedgerError`` and nothing is written.
/// - On open the chain is checked as ``Verification`` describes; a torn or damaged tail is cut back to the
///   last good block with a warning in the log; blocks logged but not yet indexed are indexed.
///
/// ## Threads
/// A final class with one internal `Mutex`: the replica calls ``LedgerReader`` synchronously on its hot
/// path and the HTTP API reads from other threads, so every method may be called from any thread; calls
/// are serialised. The store's own indexing thread takes the same lock only to note a group written or
/// failed, never while it writes. ``containsEvent(_:)`` answers recent ids from a bounded in-memory set, ids never
/// committed from a Bloom filter (``EventIDFilter``, rebuilt from the index as the chain grows), and the
/// rest from the index's primary key.
///
/// ## Caveats
/// After an I/O failure half-way through ``append(_:)``, or a failed index group, the store refuses
/// further writes: the files are consistent (the log is authoritative) but the in-memory view may not be;
/// reopen to recover.
public final class BlockStore: LedgerReader, Sendable {
    private struct State: ~Copyable {
        var log: DurableFile
        var height: UInt64
        var headHash: SHA256Hash
        /// Where the next record goes.
        var end: UInt64
        var recentEvents: RecentEventIDs
        /// Every committed id, those in memory below included: lookups ask it first, since it rules out
        /// nearly every new id with one cache line.
        var filter: EventIDFilter
        /// The filter is rebuilt larger once it holds more ids than this.
        var filterRebuildCount: Int
        var failure: String?
        /// The rows of the blocks appended since the last group was handed to the indexing thread.
        var openGroup = IndexGroup()
        /// Groups handed to the indexing thread whose transaction has not committed yet, oldest first. A
        /// group leaves only once its rows are in the index, so a row is always in one place or both.
        var sealedGroups: [IndexGroup] = []

        /// Where `id` committed, as far as the groups not yet indexed tell.
        func unindexedLocation(of id: SHA256Hash) -> EventLocation? {
            if let location = openGroup.events[id] { return location }
            for group in sealedGroups.reversed() {
                if let location = group.events[id] { return location }
            }
            return nil
        }

        /// The rows of the blocks not yet indexed, in height order: the heights right above the index's
        /// top (or, while a group commits, some the index also holds).
        var unindexedBlocks: [LedgerIndex.BlockRow] { sealedGroups.flatMap(\.blocks) + openGroup.blocks }

        /// The ids of the events not yet indexed.
        var unindexedEventIDs: [SHA256Hash] { sealedGroups.flatMap(\.events.keys) + openGroup.events.keys }

        /// Whether `id` committed, as far as memory tells: a recent id or one of a group not yet indexed.
        func holdsInMemory(_ id: SHA256Hash) -> Bool { recentEvents.contains(id) || unindexedLocation(of: id) != nil }
    }

    static let logMagic = "HCBLOCK1"
    /// How far ahead of its blocks the log is extended with zeros, so that appends only sync data: at a
    /// node's peak (tens of thousands of small events a second) a few extensions a second.
    static let reservationChunk: UInt64 = 4 << 20

    private let configuration: BlockStoreConfiguration
    private let lock: DirectoryLock
    private let index: LedgerIndex
    /// Writes sealed groups into the index, one at a time and in order.
    private let indexer = DispatchQueue(label: "subchain.ledger.indexer")
    private let shared: StateBox
    private var logger: Logger { configuration.logger }

    /// The store's mutable state, in a box of its own: the indexing thread reaches it without keeping the
    /// store alive, so the store can wait for that thread when it closes, whichever thread closes it.
    private final class StateBox: Sendable {
        let state: Mutex<State>
        init(_ state: consuming State) { self.state = Mutex(state) }
    }

    /// Opens (or creates) the store in `configuration.directory` and checks it.
    /// - Throws: ``LedgerError`` when the files cannot be read, belong to another chain, or the index fails.
    public init(configuration: BlockStoreConfiguration) throws(LedgerError) {
        self.configuration = configuration
        try DurableFile.createDirectory(configuration.directory)
        lock = try DirectoryLock(directory: configuration.directory)
        let log = try DurableFile(path: configuration.directory + "/blocks.log")
        try RecordFraming.prepareHeader(log, magic: Self.logMagic, genesisHash: configuration.genesisHash)
        index = try LedgerIndex(path: configuration.directory + "/index.sqlite")
        let recovered = try Self.recover(configuration: configuration, log: log, index: index)
        let filter = try Self.buildFilter(from: index, minimumCapacity: configuration.eventFilterCapacity)
        shared = StateBox(
            State(
                log: log, height: recovered.height, headHash: recovered.hash, end: recovered.end,
                recentEvents: RecentEventIDs(capacity: configuration.recentEventCapacity), filter: filter,
                filterRebuildCount: filter.capacity, failure: nil))
    }

    /// A filter holding every indexed event id and `unindexed`, sized for twice as many.
    private static func buildFilter(
        from index: LedgerIndex, adding unindexed: some Collection<SHA256Hash> = [], minimumCapacity: Int
    ) throws(LedgerError) -> EventIDFilter {
        try index.eventFilter(adding: Array(unindexed), capacity: { max(minimumCapacity, 2 * $0) })
    }

    deinit {
        // Rows of an uncommitted group would be rebuilt from the log on the next open; committing them now
        // spares that work. Not after a failure: then the next open re-indexes from the log.
        waitForIndexing()
        do {
            try shared.state.withLock { state throws(LedgerError) in
                if state.failure == nil, !state.openGroup.isEmpty {
                    try index.commitGroup(blocks: state.openGroup.blocks, events: state.openGroup.eventRows)
                }
            }
        } catch {
            logger.warning("committing the index on close failed; the next open re-indexes from the log", metadata: ["error": "\(error)"])
        }
        // A closed log holds exactly its blocks; the next writer reserves again. Zeros left behind (a
        // failed cut) are read as the end of the log, so this is tidiness, not safety.
        shared.state.withLock { state in
            if state.failure == nil { try? state.log.truncate(to: state.end) }
        }
    }

    // MARK: LedgerReader

    public var height: UInt64 { shared.state.withLock { $0.height } }

    public var headHash: SHA256Hash { shared.state.withLock { $0.headHash } }

    /// Whether the event committed. An index failure is logged and answered `false`, as the replica cannot
    /// handle errors here; the append of a block holding it would then refuse it.
    public func containsEvent(_ id: SHA256Hash) -> Bool { !committedEvents(among: [id]).isEmpty }

    /// The ids among `ids` that committed: recent ones from memory, ids the filter rules out without a
    /// lookup, the rest in one index query. An index failure is logged and answered as for
    /// ``containsEvent(_:)``.
    public func committedEvents(among ids: [SHA256Hash]) -> Set<SHA256Hash> {
        shared.state.withLock { state in
            var found = Set<SHA256Hash>()
            var unknown: [SHA256Hash] = []
            for id in ids where state.filter.mayContain(id) {
                if state.holdsInMemory(id) { found.insert(id) } else { unknown.append(id) }
            }
            do {
                for row in try index.events(unknown) { found.insert(row.id) }
            } catch {
                logger.error("event lookup failed", metadata: ["events": "\(unknown.count)", "error": "\(error)"])
            }
            return found
        }
    }

    /// Up to `limit` blocks from `height`; fewer (and an error in the log) when a stored block is damaged.
    public func committedBlocks(from height: UInt64, limit: Int) -> [CommittedBlock] {
        do {
            return try blocks(from: height, limit: limit)
        } catch {
            logger.error("reading blocks failed", metadata: ["from": "\(height)", "error": "\(error)"])
            return []
        }
    }

    // MARK: Queries

    /// Up to `limit` blocks starting at `height`, in order; empty when `height` is above the head.
    /// - Throws: ``LedgerError`` when a block cannot be read or no longer matches its verified hash.
    public func blocks(from height: UInt64, limit: Int) throws(LedgerError) -> [CommittedBlock] {
        guard limit > 0 else { return [] }
        return try shared.state.withLock { state throws(LedgerError) in
            // Blocks not yet indexed are the heights above the index's top (a group committing meanwhile
            // may be in both), so they follow its rows.
            var rows = try index.blocks(from: max(height, 1), limit: limit)
            let next = max(height, (rows.last?.height ?? 0) + 1)
            for row in state.unindexedBlocks where row.height >= next && rows.count < limit { rows.append(row) }
            return try rows.map { row throws(LedgerError) in try read(row, from: state.log) }
        }
    }

    /// The block at `height`, or `nil` above the head (and for 0, genesis, which is not a block).
    public func block(atHeight height: UInt64) throws(LedgerError) -> CommittedBlock? {
        guard height >= 1 else { return nil }
        return try blocks(from: height, limit: 1).first { $0.height == height }
    }

    /// The block whose chain hash is `hash`, if stored.
    public func block(withHash hash: SHA256Hash) throws(LedgerError) -> CommittedBlock? {
        let height = try shared.state.withLock { state throws(LedgerError) -> UInt64? in
            if let row = state.unindexedBlocks.last(where: { $0.hash == hash }) { return row.height }
            return try index.height(ofBlock: hash)
        }
        guard let height else { return nil }
        return try block(atHeight: height)
    }

    /// The head block, or `nil` when only genesis exists.
    public func latestBlock() throws(LedgerError) -> CommittedBlock? {
        try block(atHeight: height)
    }

    /// Where an event committed, without reading its block.
    public func location(ofEvent id: SHA256Hash) throws(LedgerError) -> EventLocation? {
        try locations(ofEvents: [id])[id]
    }

    /// Where those of `ids` that committed are: those of the groups not yet indexed from memory, the rest
    /// in one index query for the ids the filter cannot rule out.
    public func locations(ofEvents ids: [SHA256Hash]) throws(LedgerError) -> [SHA256Hash: EventLocation] {
        let rows = try shared.state.withLock { state throws(LedgerError) -> [LedgerIndex.EventRow] in
            var rows: [LedgerIndex.EventRow] = []
            var lookups: [SHA256Hash] = []
            for id in ids where state.filter.mayContain(id) {
                if let location = state.unindexedLocation(of: id) {
                    rows.append(LedgerIndex.EventRow(id: id, location: location))
                } else {
                    lookups.append(id)
                }
            }
            return rows + (try index.events(lookups))
        }
        return Dictionary(rows.map { ($0.id, $0.location) }, uniquingKeysWith: { first, _ in first })
    }

    /// A committed event with its place in the chain.
    public func event(withID id: SHA256Hash) throws(LedgerError) -> StoredEvent? {
        guard let location = try location(ofEvent: id), let block = try block(atHeight: location.height),
            location.position < block.block.events.count
        else { return nil }
        let event = block.block.events[location.position]
        return StoredEvent(id: event.id, location: location, payload: event.payload)
    }

    /// SQLite's plans for the lookups by event id, block hash and height, for tests and diagnostics.
    func lookupQueryPlans() throws(LedgerError) -> [String: [String]] {
        try shared.state.withLock { _ throws(LedgerError) in
            [
                "event": try index.queryPlan("SELECT height, position FROM events WHERE id = x'00'"),
                "hash": try index.queryPlan("SELECT height FROM blocks WHERE hash = x'00'"),
                "height": try index.queryPlan("SELECT * FROM blocks WHERE height >= 5 ORDER BY height LIMIT 10"),
            ]
        }
    }

    // MARK: Appending

    /// Appends one block; see ``append(_:)-(Array<CommittedBlock>)``.
    public func append(_ block: CommittedBlock) throws(LedgerError) {
        try append([block])
    }

    /// Checks and durably appends `blocks` (consecutive heights) with one fsync of the log. When it
    /// returns, the blocks survive a crash.
    /// - Throws: ``LedgerError``: a rejection (``LedgerError/isRejection``) leaves the store unchanged;
    ///   an I/O or index failure stops the store until it is reopened.
    public func append(_ blocks: [CommittedBlock]) throws(LedgerError) {
        guard !blocks.isEmpty else { return }
        try shared.state.withLock { state throws(LedgerError) in
            if let failure = state.failure { throw .failed(failure) }
            let plan = try plan(blocks, after: state)
            // The log first: once it is durable the blocks are committed, and the index, derived from it,
            // follows (`plan` has refused events indexed before, so the inserts cannot conflict).
            do throws(LedgerError) {
                try state.log.reserve(through: state.end + UInt64(plan.bytes.count), chunk: Self.reservationChunk)
                try state.log.write(plan.bytes, at: state.end)
                try state.log.syncData()
            } catch {
                // Nothing was acknowledged; cut the partial write so the next append starts clean.
                do { try state.log.truncate(to: state.end) } catch { state.failure = "\(error)" }
                throw error
            }
            state.openGroup.add(blocks: plan.rows, events: plan.events)
            if state.openGroup.isDue(events: configuration.indexGroupEvents, age: configuration.indexGroupAge) {
                sealOpenGroup(&state)
            }
            for event in plan.events {
                state.recentEvents.insert(event.id)
                state.filter.insert(event.id)
            }
            if state.filter.count > state.filterRebuildCount { growFilter(&state) }
            state.height = blocks[blocks.count - 1].height
            state.headHash = blocks[blocks.count - 1].hash
            state.end += UInt64(plan.bytes.count)
        }
    }

    /// Waits until the indexing thread has written every group handed to it.
    func waitForIndexing() {
        indexer.sync {}
    }

    /// Holds the indexing thread until `gate` is signalled, so that tests can look at groups still in
    /// memory; groups sealed meanwhile wait their turn.
    func holdIndexing(until gate: DispatchSemaphore) {
        indexer.async { gate.wait() }
    }

    /// Hands the open group to the indexing thread; lookups keep finding its rows in memory meanwhile.
    private func sealOpenGroup(_ state: inout State) {
        let group = state.openGroup
        state.openGroup = IndexGroup()
        state.sealedGroups.append(group)
        indexer.async { [shared, index, logger] in Self.write(group, into: index, shared: shared, logger: logger) }
    }

    /// Writes a sealed group into the index, on the indexing thread, and lets memory forget it.
    private static func write(_ group: IndexGroup, into index: LedgerIndex, shared: StateBox, logger: Logger) {
        // After a failure the rows stay in memory, where lookups find them, and the next open re-indexes
        // them from the log.
        guard shared.state.withLock({ $0.failure == nil }) else { return }
        do {
            try index.commitGroup(blocks: group.blocks, events: group.eventRows)
            shared.state.withLock { state in state.sealedGroups.removeAll { $0.blocks.first?.height == group.blocks.first?.height } }
        } catch {
            // The blocks are durable in the log and will be indexed on reopen; this process cannot tell
            // what the index holds, so the store stops writing.
            shared.state.withLock { state in state.failure = "indexing blocks \(group.blocks.first?.height ?? 0)… failed: \(error)" }
            logger.critical("indexing appended blocks failed; restart the node, which re-indexes them from the log", metadata: ["error": "\(error)"])
        }
    }

    /// Replaces a filter the chain has outgrown with one twice as large, built from the index and the rows
    /// of the groups not yet indexed (``LedgerIndex/eventFilter(adding:capacity:)`` counts a group being
    /// written meanwhile once). It scans every indexed id
    /// while the append waits, once per doubling of the chain. If the index cannot be read, the full
    /// filter stays: it then answers "maybe" more often, which costs lookups but never a wrong answer,
    /// and the rebuild is tried again once the chain has doubled.
    private func growFilter(_ state: inout State) {
        let start = ContinuousClock.now
        do {
            let filter = try Self.buildFilter(
                from: index, adding: state.unindexedEventIDs, minimumCapacity: 2 * state.filter.capacity)
            logger.info(
                "rebuilt the event-id filter for a longer chain",
                metadata: [
                    "events": "\(filter.count)", "capacity": "\(filter.capacity)", "bytes": "\(filter.byteCount)",
                    "took": "\(start.duration(to: .now))",
                ])
            state.filter = filter
            state.filterRebuildCount = filter.capacity
        } catch {
            // Tried again once the chain has doubled, not on every append.
            state.filterRebuildCount = 2 * state.filter.count
            logger.error("rebuilding the event-id filter failed; lookups of new ids will query the index", metadata: ["error": "\(error)"])
        }
    }

    private struct AppendPlan {
        var bytes: [UInt8] = []
        var rows: [LedgerIndex.BlockRow] = []
        var events: [LedgerIndex.EventRow] = []
    }

    /// Checks the blocks against the chain and frames them, without changing anything.
    private func plan(_ blocks: [CommittedBlock], after state: borrowing State) throws(LedgerError) -> AppendPlan {
        var plan = AppendPlan()
        var height = state.height
        var previous = state.headHash
        var seen = Set<SHA256Hash>()
        var maybeIndexed: [(id: SHA256Hash, height: UInt64)] = []
        for block in blocks {
            guard block.height == height + 1 else { throw .wrongHeight(got: block.height, expected: height + 1) }
            guard block.previousHash == previous else { throw .brokenLink(height: block.height) }
            guard block.certificate.sequence == block.height, block.certificate.digest == block.block.digest else {
                throw .certificateMismatch(height: block.height)
            }
            for (position, event) in block.block.events.enumerated() where !block.duplicateEventIDs.contains(event.id) {
                guard seen.insert(event.id).inserted else { throw .duplicateEvent(event.id, height: block.height) }
                if state.filter.mayContain(event.id) {
                    guard !state.holdsInMemory(event.id) else { throw .duplicateEvent(event.id, height: block.height) }
                    maybeIndexed.append((event.id, block.height))
                }
                plan.events.append(LedgerIndex.EventRow(id: event.id, height: block.height, position: position))
            }
            let record = RecordFraming.frame(sequence: block.height, payload: block.encoded())
            plan.rows.append(
                LedgerIndex.BlockRow(
                    height: block.height, hash: block.hash, digest: block.block.digest,
                    offset: state.end + UInt64(plan.bytes.count), length: UInt64(record.count)))
            plan.bytes += record
            height = block.height
            previous = block.hash
        }
        // Ids the filter cannot rule out (about 1% of new ones) are looked up together.
        if let indexed = try index.events(maybeIndexed.map(\.id)).first,
            let refused = maybeIndexed.first(where: { $0.id == indexed.id })
        {
            throw .duplicateEvent(refused.id, height: refused.height)
        }
        return plan
    }

    /// Reads a block and checks it against its index row, whose hash the open-time check vouched for.
    private func read(_ row: LedgerIndex.BlockRow, from log: borrowing DurableFile) throws(LedgerError) -> CommittedBlock {
        let path = log.path
        let damaged = { (reason: String) -> LedgerError in
            .damagedBlock(path: path, height: row.height, reason: "\(reason), at offset \(row.offset)")
        }
        switch try RecordFraming.read(log, at: row.offset, fileSize: row.end, maxPayload: configuration.maxRecordBytes) {
        case .record(let sequence, let payload, _) where sequence == row.height:
            let block: CommittedBlock
            do {
                block = try CommittedBlock.decode(
                    payload, chainID: configuration.chainID, limits: configuration.limits, maxVotes: configuration.maxVotes)
            } catch {
                throw damaged("\(error)")
            }
            guard block.hash == row.hash else { throw damaged("its hash differs from the indexed one") }
            return block
        case .record: throw damaged("it carries another height")
        case .end: throw damaged("the log ends before it")
        case .damaged(let reason): throw damaged(reason)
        }
    }
}

/// Where a committed event is: its block's height and its index among the block's events.
public struct EventLocation: Hashable, Sendable, Codable {
    public let height: UInt64
    public let position: Int

    public init(height: UInt64, position: Int) {
        self.height = height
        self.position = position
    }
}

/// A committed event as stored: its id, place and canonical bytes.
public struct StoredEvent: Hashable, Sendable {
    public let id: SHA256Hash
    public let location: EventLocation
    public let payload: [UInt8]

    /// The client event the payload encodes.
    /// - Throws: ``ClientEventError`` when the payload is not a canonical client event (consensus orders any bytes).
    public func clientEvent() throws(ClientEventError) -> ClientEvent {
        try ClientEvent(canonicalEncoding: payload)
    }
}
