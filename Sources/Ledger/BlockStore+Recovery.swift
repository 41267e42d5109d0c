import Consensus
import Logging

extension BlockStore {
    struct Recovered {
        var height: UInt64
        var hash: SHA256Hash
        /// The end of the last good record: where the next one goes.
        var end: UInt64
    }

    /// Checks the log and the index as ``Verification`` says, cuts a damaged tail, indexes logged blocks the
    /// index lacks, and returns the head.
    ///
    /// Expected flow: (1) walk the index from genesis checking every hash link, offset and height (cheap:
    /// no block is read); rows past the first inconsistency are dropped and re-indexed from the log.
    /// (2) Read the log from the start of the tail (or from block 1 with ``Verification/full``) and check
    /// every record: checksum, height, event ids and digest recomputed by decoding, previous-hash link,
    /// certificate for this block, and the certificate's signatures for the last `tail` blocks. (3) At the
    /// first record that fails, truncate the log there and drop the index rows above it.
    static func recover(configuration: BlockStoreConfiguration, log: borrowing DurableFile, index: LedgerIndex) throws(LedgerError) -> Recovered {
        let logger = configuration.logger
        let fileSize = try log.size()
        let indexTop = try index.topHeight()
        var indexedThrough = indexTop
        var start: (height: UInt64, offset: UInt64, previous: SHA256Hash) = (1, RecordFraming.fileHeaderSize, configuration.genesisHash)

        if let tail = configuration.verification.tailBlocks {
            var good = Recovered(height: 0, hash: configuration.genesisHash, end: RecordFraming.fileHeaderSize)
            var goodRows: [LedgerIndex.BlockRow] = []  // the last `tail` rows, to start the log scan from
            try index.forEachBlock { row in
                guard row.height == good.height + 1, row.offset == good.end,
                    row.hash == CommittedBlock.chainHash(previous: good.hash, digest: row.digest)
                else { return false }
                good = Recovered(height: row.height, hash: row.hash, end: row.end)
                goodRows.append(row)
                if goodRows.count > tail + 1 { goodRows.removeFirst(goodRows.count - tail - 1) }
                return true
            }
            if good.height < indexTop {
                logger.warning(
                    "ledger index does not link from genesis; re-indexing from the block log",
                    metadata: ["consistentThrough": "\(good.height)", "indexHeight": "\(indexTop)"])
                try index.removeBlocks(above: good.height)
                indexedThrough = good.height
            }
            // goodRows ends with the head and reaches back tail+1 rows: the first of the tail and its parent.
            let tailRows = goodRows.suffix(tail)
            if let first = tailRows.first, first.height > 1 {
                let parent = goodRows[goodRows.count - tailRows.count - 1]
                start = (first.height, first.offset, parent.hash)
            }
        }

        // Count the records from the scan's start by their headers alone, to find the tail whose
        // certificates are checked (the index may know fewer blocks than the log holds).
        var recordCount: UInt64 = 0
        var probe = start.offset
        while let next = try RecordFraming.skip(log, at: probe, fileSize: fileSize, maxPayload: configuration.maxRecordBytes) {
            recordCount += 1
            probe = next
        }
        let logHeight = start.height + recordCount - 1
        let certificatesFrom: UInt64 =
            configuration.verification.tailBlocks.map { tail in
                max(start.height, logHeight >= UInt64(tail) ? logHeight - UInt64(tail) + 1 : 1)
            } ?? 1

        var scan = LogScan(configuration: configuration, index: index, indexedThrough: indexedThrough)
        let damage = try scan.run(
            log, from: start.offset, height: start.height, previous: start.previous, fileSize: fileSize,
            certificatesFrom: certificatesFrom)
        let head = scan.head

        if let damage {
            logger.warning(
                "block log tail is damaged; cut back to the last good block, later blocks will come from peers",
                metadata: [
                    "damagedHeight": "\(head.height + 1)", "reason": "\(damage)", "cutBackTo": "\(head.height)",
                    "droppedBytes": "\(fileSize - head.end)", "file": "\(log.path)",
                ])
            try log.truncate(to: head.end)
        } else if let cut = try RecordFraming.cutUnfinishedTail(log, after: head.end) {
            logger.warning(
                "block log had bytes of an unfinished write after its last block; cut them",
                metadata: ["height": "\(head.height)", "droppedBytes": "\(cut)", "file": "\(log.path)"])
        }
        let indexHeight = try index.topHeight()
        if indexHeight > head.height {
            logger.warning(
                "ledger index holds blocks the block log does not; dropping them",
                metadata: ["logHeight": "\(head.height)", "indexHeight": "\(indexHeight)"])
            try index.removeBlocks(above: head.height)
        }
        logger.info(
            "ledger opened",
            metadata: [
                "height": "\(head.height)", "verification": "\(configuration.verification)",
                "certificatesCheckedFrom": "\(certificatesFrom)",
            ])
        return head
    }
}

/// One pass over the block log, checking each record and indexing those the index lacks.
private struct LogScan {
    let configuration: BlockStoreConfiguration
    let index: LedgerIndex
    var indexedThrough: UInt64
    var head = BlockStore.Recovered(height: 0, hash: .zero, end: 0)
    private var pendingRows: [LedgerIndex.BlockRow] = []
    private var pendingEvents: [LedgerIndex.EventRow] = []

    init(configuration: BlockStoreConfiguration, index: LedgerIndex, indexedThrough: UInt64) {
        self.configuration = configuration
        self.index = index
        self.indexedThrough = indexedThrough
    }

    /// Scans to the end of the log or the first damaged record.
    /// - Returns: what is wrong with the first damaged record, or `nil` when the log ended cleanly.
    mutating func run(
        _ log: borrowing DurableFile, from offset: UInt64, height: UInt64, previous: SHA256Hash, fileSize: UInt64,
        certificatesFrom: UInt64
    ) throws(LedgerError) -> String? {
        head = BlockStore.Recovered(height: height - 1, hash: previous, end: offset)
        var damage: String?
        while damage == nil {
            let read = try RecordFraming.read(log, at: head.end, fileSize: fileSize, maxPayload: configuration.maxRecordBytes)
            switch read {
            case .end:
                try flush()
                return nil
            case .damaged(let reason):
                damage = reason
            case .record(let sequence, let payload, let next):
                damage = try accept(sequence: sequence, payload: payload, next: next, certificatesFrom: certificatesFrom)
            }
        }
        // Blocks before the damaged one are good: index them before the caller cuts the rest.
        try flush()
        return damage
    }

    /// Checks one record and queues it for indexing.
    /// - Returns: why the record is not a good next block, or `nil` when it is.
    private mutating func accept(sequence: UInt64, payload: [UInt8], next: UInt64, certificatesFrom: UInt64) throws(LedgerError) -> String? {
        let expected = head.height + 1
        guard sequence == expected else { return "a record for height \(sequence) where \(expected) belongs" }
        let block: CommittedBlock
        do {
            block = try CommittedBlock.decode(
                payload, chainID: configuration.chainID, limits: configuration.limits, maxVotes: configuration.maxVotes)
        } catch {
            return "an undecodable block: \(error)"
        }
        guard block.height == expected else { return "a block claiming height \(block.height)" }
        guard block.previousHash == head.hash else { return "a block that does not link to the previous hash" }
        guard block.certificate.sequence == expected, block.certificate.digest == block.block.digest else {
            return "a commit certificate for another block"
        }
        if expected >= certificatesFrom,
            let problem = configuration.verifier.problem(with: block.certificate, sequence: expected, digest: block.block.digest)
        {
            return "an invalid commit certificate: \(problem)"
        }
        if expected <= indexedThrough {
            let row = try index.block(atHeight: expected)
            if row?.hash != block.hash || row?.offset != head.end || row?.end != next {
                configuration.logger.warning(
                    "ledger index disagrees with the block log; re-indexing from the log", metadata: ["height": "\(expected)"])
                try index.removeBlocks(above: expected - 1)
                indexedThrough = expected - 1
            }
        }
        if expected > indexedThrough {
            pendingRows.append(
                LedgerIndex.BlockRow(height: expected, hash: block.hash, digest: block.block.digest, offset: head.end, length: next - head.end))
            for (position, event) in block.block.events.enumerated() where !block.duplicateEventIDs.contains(event.id) {
                pendingEvents.append(LedgerIndex.EventRow(id: event.id, height: expected, position: position))
            }
            if pendingRows.count >= 256 { try flush() }
        }
        head = BlockStore.Recovered(height: expected, hash: block.hash, end: next)
        return nil
    }

    private mutating func flush() throws(LedgerError) {
        guard !pendingRows.isEmpty else { return }
        try index.insert(pendingRows, events: pendingEvents)
        indexedThrough = pendingRows[pendingRows.count - 1].height
        pendingRows.removeAll(keepingCapacity: true)
        pendingEvents.removeAll(keepingCapacity: true)
    }
}
