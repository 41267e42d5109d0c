import Consensus
import Logging
import Synchronization

/// The replica's ``DurableRecord``s, kept in an append-only log (`consensus.log`) and folded into a
/// ``DurableState`` on open.
///
/// ## Guarantees
/// - ``append(records:)`` writes the records and fsyncs once before it returns, so the shell can send the
///   messages those records allow (``ReplicaAction/persist(_:)`` must be durable before a later send).
/// - On open, records are read up to the first torn or damaged one (a crash during an append leaves at most
///   that append torn, and it was never acknowledged); the rest is cut with a warning.
/// - When the log holds several times more records than the state needs, it is compacted: the state's
///   ``DurableState/records`` are written to a temporary file, fsynced, renamed over the log, and the
///   directory fsynced, so a crash leaves either the old log or the new one, never a mix.
///
/// Record framing is ``RecordFraming`` with consecutive record numbers; the header magic is `HCSTATE1`.
/// A final class with an internal `Mutex`: safe to call from any thread, calls are serialised.
public final class ConsensusStateStore: Sendable {
    private struct Log: ~Copyable {
        var file: DurableFile
        var end: UInt64
        var recordCount: UInt64
        var state: DurableState
        /// Compact once the log holds more records than this.
        var compactionThreshold: UInt64
    }

    static let magic = "HCSTATE1"
    /// Compaction never runs on a log shorter than this many records.
    static let minimumCompactionRecords: UInt64 = 4_096
    /// How far ahead of its records the log is extended with zeros, so that appends only sync data.
    /// Records are a few hundred bytes per block: a mebibyte lasts thousands of blocks.
    static let reservationChunk: UInt64 = 1 << 20

    private let path: String
    private let chainID: String
    private let genesisHash: SHA256Hash
    private let limits: MessageLimits
    private let maxVotes: Int
    private let logger: Logger
    private let log: Mutex<Log>

    /// Opens (or creates) `directory/consensus.log` and rebuilds the state from it.
    /// - Throws: ``LedgerError`` when the file cannot be read or belongs to another chain.
    public init(directory: String, replica: ReplicaConfiguration, logger: Logger = Logger(label: "subchain.consensus-state")) throws(LedgerError) {
        try DurableFile.createDirectory(directory)
        path = directory + "/consensus.log"
        chainID = replica.chainID
        genesisHash = replica.genesisHash
        limits = replica.limits
        maxVotes = replica.validators.count
        self.logger = logger
        let file = try DurableFile(path: path)
        try RecordFraming.prepareHeader(file, magic: Self.magic, genesisHash: genesisHash)
        let size = try file.size()
        var state = DurableState()
        var offset = RecordFraming.fileHeaderSize
        var count: UInt64 = 0
        var damage: String?
        // A state record is at most a NEW-VIEW with a window of blocks; the frame limit bounds it.
        readLoop: while true {
            switch try RecordFraming.read(file, at: offset, fileSize: size, maxPayload: limits.maxFrameBytes) {
            case .end:
                break readLoop
            case .damaged(let reason):
                damage = reason
                break readLoop
            case .record(let sequence, let payload, let next):
                guard sequence == count + 1 else {
                    damage = "record number \(sequence) where \(count + 1) belongs"
                    break readLoop
                }
                do {
                    state.apply(try DurableRecord.decode(payload, chainID: chainID, limits: limits, maxVotes: maxVotes))
                } catch {
                    damage = "an undecodable record: \(error)"
                    break readLoop
                }
                count += 1
                offset = next
            }
        }
        if let damage {
            logger.warning(
                "consensus state log has a damaged tail; cut back to the last whole record",
                metadata: ["records": "\(count)", "reason": "\(damage)", "droppedBytes": "\(size - offset)", "file": "\(path)"])
            try file.truncate(to: offset)
        } else if let cut = try RecordFraming.cutUnfinishedTail(file, after: offset) {
            logger.warning(
                "consensus state log had bytes of an unfinished write after its last record; cut them",
                metadata: ["records": "\(count)", "droppedBytes": "\(cut)", "file": "\(path)"])
        }
        log = Mutex(
            Log(file: file, end: offset, recordCount: count, state: state,
                compactionThreshold: max(Self.minimumCompactionRecords, 2 * count)))
    }

    deinit {
        // A closed log holds exactly its records; the next writer reserves again. Zeros left behind are
        // read as the end of the log, so this is tidiness, not safety.
        log.withLock { log in _ = try? log.file.truncate(to: log.end) }
    }

    /// The state folded from every durable record.
    public var state: DurableState { log.withLock { $0.state } }

    /// The number of records in the log file (after the last compaction).
    public var recordCount: UInt64 { log.withLock { $0.recordCount } }

    /// Appends one record durably.
    public func append(_ record: DurableRecord) throws(LedgerError) {
        try append(records: [record])
    }

    /// Appends `records` with one write and one fsync, then compacts if the log has grown enough.
    /// - Throws: ``LedgerError`` on an I/O failure; the records are then not durable (the partial write
    ///   is cut back) and the replica must not act on them.
    public func append(records: [DurableRecord]) throws(LedgerError) {
        guard !records.isEmpty else { return }
        try log.withLock { log throws(LedgerError) in
            var bytes: [UInt8] = []
            for (offset, record) in records.enumerated() {
                bytes += RecordFraming.frame(sequence: log.recordCount + UInt64(offset) + 1, payload: record.encoded())
            }
            do throws(LedgerError) {
                try log.file.reserve(through: log.end + UInt64(bytes.count), chunk: Self.reservationChunk)
                try log.file.write(bytes, at: log.end)
                try log.file.syncData()
            } catch {
                try? log.file.truncate(to: log.end)
                throw error
            }
            log.end += UInt64(bytes.count)
            log.recordCount += UInt64(records.count)
            for record in records { log.state.apply(record) }
            if log.recordCount > log.compactionThreshold { try compact(&log) }
        }
    }

    /// Rewrites the log as the records of the current state, atomically.
    public func compact() throws(LedgerError) {
        try log.withLock { log throws(LedgerError) in try compact(&log) }
    }

    private func compact(_ log: inout Log) throws(LedgerError) {
        let records = log.state.records
        let temporaryPath = path + ".compacting"
        do {
            let temporary = try DurableFile(path: temporaryPath)
            try temporary.truncate(to: 0)
            try RecordFraming.prepareHeader(temporary, magic: Self.magic, genesisHash: genesisHash)
            var bytes: [UInt8] = []
            for (offset, record) in records.enumerated() {
                bytes += RecordFraming.frame(sequence: UInt64(offset) + 1, payload: record.encoded())
            }
            try temporary.write(bytes, at: RecordFraming.fileHeaderSize)
            try temporary.sync()
            try DurableFile.replace(path, with: temporaryPath)
            let before = log.recordCount
            // The temporary's descriptor now names the log; the old one names the replaced file.
            log.file = temporary
            log.end = RecordFraming.fileHeaderSize + UInt64(bytes.count)
            log.recordCount = UInt64(records.count)
            log.compactionThreshold = max(Self.minimumCompactionRecords, 4 * log.recordCount)
            logger.info("compacted the consensus state log", metadata: ["recordsBefore": "\(before)", "recordsAfter": "\(records.count)"])
        } catch {
            logger.error("compacting the consensus state log failed; the old log stays in use", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
