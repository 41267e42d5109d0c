import Consensus
import Foundation
import GRDB

/// The SQLite index over the block log: height → (hash, digest, place in the log), hash → height,
/// event id → (height, position).
///
/// The index is derived data: `blocks.log` is the record of truth and is fsynced before the index
/// transaction, and ``BlockStore`` re-indexes any logged block the index lacks when it opens. That is why
/// the index runs with `synchronous = NORMAL` in WAL mode: a power cut may lose its last transactions but
/// never corrupts it, and what it loses is rebuilt from the log; a `kill -9` loses nothing. It saves one
/// fsync per appended batch. Lookups use the primary keys and one secondary index each (see
/// ``BlockStore`` tests for the query plans), so they stay logarithmic as the chain grows, and SQLite's
/// page cache bounds the memory they take.
///
/// A `DatabasePool`: one writer and readers beside it, so that lookups on the append path never wait for
/// a group being written (``BlockStore`` writes groups on a thread of its own) or for the checkpoint that
/// follows one.
struct LedgerIndex: Sendable {
    struct BlockRow: Sendable {
        let height: UInt64
        let hash: SHA256Hash
        let digest: SHA256Hash
        let offset: UInt64
        let length: UInt64
        var end: UInt64 { offset + length }
    }

    struct EventRow: Sendable {
        let id: SHA256Hash
        let height: UInt64
        let position: Int

        init(id: SHA256Hash, height: UInt64, position: Int) {
            (self.id, self.height, self.position) = (id, height, position)
        }

        init(id: SHA256Hash, location: EventLocation) {
            self.init(id: id, height: location.height, position: location.position)
        }

        var location: EventLocation { EventLocation(height: height, position: position) }
    }

    private let database: DatabasePool

    init(path: String) throws(LedgerError) {
        var configuration = Configuration()
        // Lookups are rare behind the event-id filter and short: two readers are plenty, and each
        // connection has a page cache of its own.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            // No locking_mode = EXCLUSIVE, which would shut the readers out; ``BlockStore`` holds a
            // ``DirectoryLock`` instead, so a second process still cannot open the index.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The checkpoint runs on the writer, after a group's commit, on the store's indexing thread,
            // so it holds up only the next group. SQLite's default of 1,000 pages (about 4 MiB) rather
            // than a larger batch: all nodes of a network reach a group boundary together, and on a small
            // machine one 40 MiB checkpoint on each of them at once starved the commit path of disk and
            // CPU (p99 at 1,000 events/s 100-190 ms with 10,000 pages, 40-50 ms with 1,000; peak events/s
            // the same).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
            // When the log starts over after a burst grew it, it is cut back to this.
            try db.execute(sql: "PRAGMA journal_size_limit = \(64 << 20)")
            // A 1 MiB page cache for the writer (SQLite's default is 2 MiB): the events table is written a
            // group at a time in key order, so each leaf page is needed once per group, and lookups are
            // rare behind the event-id filter; what must stay cached are the B-trees' interior pages. The
            // readers serve those rare lookups: a quarter of that each keeps the node's memory in budget.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -256" : "PRAGMA cache_size = -1024")
        }
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS blocks(
                            height INTEGER PRIMARY KEY, hash BLOB NOT NULL, digest BLOB NOT NULL,
                            offset INTEGER NOT NULL, length INTEGER NOT NULL);
                        CREATE UNIQUE INDEX IF NOT EXISTS blocks_by_hash ON blocks(hash);
                        CREATE TABLE IF NOT EXISTS events(
                            id BLOB PRIMARY KEY, height INTEGER NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;
                        CREATE INDEX IF NOT EXISTS events_by_height ON events(height);
                        """)
            }
        } catch {
            throw .index("opening \(path): \(error)")
        }
    }

    // MARK: Reads

    func topHeight() throws(LedgerError) -> UInt64 {
        try read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT MAX(height) FROM blocks") ?? 0) }
    }

    func block(atHeight height: UInt64) throws(LedgerError) -> BlockRow? {
        try read { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM blocks WHERE height = ?"), arguments: [Int64(height)]).map(Self.blockRow)
        }
    }

    func blocks(from height: UInt64, limit: Int) throws(LedgerError) -> [BlockRow] {
        try read { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM blocks WHERE height >= ? ORDER BY height LIMIT ?"),
                arguments: [Int64(height), limit]
            ).map(Self.blockRow)
        }
    }

    func height(ofBlock hash: SHA256Hash) throws(LedgerError) -> UInt64? {
        try read { db in
            try Int64.fetchOne(try db.cachedStatement(sql: "SELECT height FROM blocks WHERE hash = ?"), arguments: [Data(hash.bytes)]).map(UInt64.init)
        }
    }

    /// The rows of those of `ids` that are indexed, looked up in one database access.
    func events(_ ids: [SHA256Hash]) throws(LedgerError) -> [EventRow] {
        guard !ids.isEmpty else { return [] }
        return try read { db in
            let statement = try db.cachedStatement(sql: "SELECT height, position FROM events WHERE id = ?")
            return try ids.compactMap { id in
                try Row.fetchOne(statement, arguments: [Data(id.bytes)]).map { EventRow(id: id, height: UInt64($0[0] as Int64), position: $0[1]) }
            }
        }
    }

    /// Walks every block row in height order, stopping when `visit` returns false.
    func forEachBlock(_ visit: (BlockRow) -> Bool) throws(LedgerError) {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM blocks ORDER BY height")
            while let row = try rows.next() {
                if !visit(Self.blockRow(row)) { break }
            }
        }
    }

    /// A filter holding every indexed event id and those of `unindexed` the index lacks, sized by
    /// `capacity` for their number.
    ///
    /// All in one read transaction: `unindexed` may include a group the store is writing meanwhile, and
    /// one consistent state of the index counts each of its ids once, whether the write is in it or not.
    func eventFilter(adding unindexed: [SHA256Hash], capacity: (Int) -> Int) throws(LedgerError) -> EventIDFilter {
        try read { db in
            let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            let lookup = try db.cachedStatement(sql: "SELECT 1 FROM events WHERE id = ?")
            let missing = try unindexed.filter { try Row.fetchOne(lookup, arguments: [Data($0.bytes)]) == nil }
            var filter = EventIDFilter(capacity: capacity(indexed + missing.count))
            let rows = try Row.fetchCursor(db, sql: "SELECT id FROM events")
            while let row = try rows.next() {
                let bytes: Data = row[0]
                if let id = SHA256Hash(bytes: bytes) { filter.insert(id) }
            }
            for id in missing { filter.insert(id) }
            return filter
        }
    }

    /// SQLite's plan for a query, one detail line per step; tests use it to show lookups use an index.
    func queryPlan(_ sql: String) throws(LedgerError) -> [String] {
        try read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] } }
    }

    // MARK: Writes

    /// Indexes blocks in one transaction. Event ids already indexed keep their first location.
    func insert(_ blocks: [BlockRow], events: [EventRow]) throws(LedgerError) {
        try write { db in try Self.insert(blocks, events: events, into: db, refusingIndexedEvents: false) }
    }

    /// Indexes a group of appended blocks and their events, the events in key order, in one transaction.
    ///
    /// The caller has checked that no event is indexed already (``BlockStore`` does, through its filter
    /// and its memory of the group's rows): a conflict here throws and rolls the group back, and the store
    /// must then stop.
    ///
    /// Why groups, and why in key order: event ids are random keys, so every event belongs in its own
    /// B-tree page, and SQLite's page cache holds a small part of the table. Inserted one append at a
    /// time, in arrival order, the events of a group fetch, dirty and evict pages at random, many of them
    /// several times, and every commit writes each dirty page to the WAL. Inserted together in key order,
    /// each page is fetched, changed and written once per group. The index is derived data, so rows a
    /// crash loses before the commit are rebuilt from the log on open, like any index lag.
    func commitGroup(blocks: [BlockRow], events: [EventRow]) throws(LedgerError) {
        guard !blocks.isEmpty || !events.isEmpty else { return }
        try write { db in
            try Self.insert(blocks, events: events.sorted { $0.id < $1.id }, into: db, refusingIndexedEvents: true)
        }
    }

    private static func insert(_ blocks: [BlockRow], events: [EventRow], into db: Database, refusingIndexedEvents: Bool) throws {
        for row in blocks {
            try db.execute(
                sql: "INSERT INTO blocks(height, hash, digest, offset, length) VALUES (?, ?, ?, ?, ?)",
                arguments: [Int64(row.height), Data(row.hash.bytes), Data(row.digest.bytes), Int64(row.offset), Int64(row.length)])
        }
        let verb = refusingIndexedEvents ? "INSERT" : "INSERT OR IGNORE"
        let statement = try db.cachedStatement(sql: "\(verb) INTO events(id, height, position) VALUES (?, ?, ?)")
        for event in events {
            do {
                try statement.execute(arguments: [Data(event.id.bytes), Int64(event.height), event.position])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw LedgerError.duplicateEvent(event.id, height: event.height)
            }
        }
    }

    /// Forgets every block above `height` and its events.
    func removeBlocks(above height: UInt64) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "DELETE FROM events WHERE height > ?", arguments: [Int64(height)])
            try db.execute(sql: "DELETE FROM blocks WHERE height > ?", arguments: [Int64(height)])
        }
    }

    private static func blockRow(_ row: Row) -> BlockRow {
        BlockRow(
            height: UInt64(row["height"] as Int64),
            hash: SHA256Hash(bytes: row["hash"] as Data) ?? .zero,
            digest: SHA256Hash(bytes: row["digest"] as Data) ?? .zero,
            offset: UInt64(row["offset"] as Int64),
            length: UInt64(row["length"] as Int64))
    }

    private func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try database.read(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .index(String(describing: error))
        }
    }

    private func write(_ body: (Database) throws -> Void) throws(LedgerError) {
        do {
            try database.write(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .index(String(describing: error))
        }
    }
}
