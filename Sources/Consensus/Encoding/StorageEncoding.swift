/// The byte encodings the ledger stores: committed blocks and durable consensus records.
///
/// They reuse the wire encoding of blocks, votes and certificates, so a block read back from disk is
/// checked exactly as one received from a peer: event ids and the block digest are recomputed, never read.
extension CommittedBlock {
    /// The block, its commit certificate, the previous hash and the duplicate event ids.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: block.payloadBytes + 64 * block.events.count + 512)
        block.encode(into: &writer)
        certificate.encode(into: &writer)
        writer.write(previousHash)
        writer.writeCount(duplicateEventIDs.count)
        for id in duplicateEventIDs.sorted() { writer.write(id) }
        return writer.bytes
    }

    /// Decodes a stored block. The hash is recomputed from the previous hash and the recomputed digest.
    /// - Throws: ``WireFormatError`` naming what is malformed.
    public static func decode(_ bytes: [UInt8], chainID: String, limits: MessageLimits, maxVotes: Int) throws(WireFormatError) -> CommittedBlock {
        var reader = ByteReader(bytes)
        let block = try Block.decode(from: &reader, chainID: chainID, limits: limits)
        let certificate = try CommitCertificate.decode(from: &reader, maxVotes: maxVotes)
        let previousHash = try reader.readDigest()
        let count = try reader.readCount(maximum: limits.maxBlockEvents, minimumElementSize: 32, field: "duplicate event ids")
        var duplicates = Set<SHA256Hash>()
        for _ in 0..<count { duplicates.insert(try reader.readDigest()) }
        try reader.expectEnd()
        return CommittedBlock(block: block, certificate: certificate, previousHash: previousHash, duplicateEventIDs: duplicates)
    }
}

extension DurableRecord {
    private enum Tag: UInt8 {
        case view = 1, vote, prepared, stableCheckpoint, installedView
    }

    /// One record as bytes, for an append-only log.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        switch self {
        case .view(let view):
            writer.write(Tag.view.rawValue)
            writer.write(view)
        case .vote(let vote):
            writer.write(Tag.vote.rawValue)
            vote.encode(into: &writer)
        case .prepared(let certificate, let block):
            writer.write(Tag.prepared.rawValue)
            certificate.encode(into: &writer)
            block.encode(into: &writer)
        case .stableCheckpoint(let checkpoint):
            writer.write(Tag.stableCheckpoint.rawValue)
            checkpoint.encode(into: &writer)
        case .installedView(let newView, let blocks):
            writer.write(Tag.installedView.rawValue)
            newView.encode(into: &writer)
            Block.encodeList(blocks, into: &writer)
        }
        return writer.bytes
    }

    /// Decodes a record written by ``encoded()``.
    /// - Throws: ``WireFormatError`` naming what is malformed.
    public static func decode(_ bytes: [UInt8], chainID: String, limits: MessageLimits, maxVotes: Int) throws(WireFormatError) -> DurableRecord {
        var reader = ByteReader(bytes)
        let rawTag = try reader.readUInt8()
        let record: DurableRecord
        switch Tag(rawValue: rawTag) {
        case .view:
            record = .view(try reader.readUInt64())
        case .vote:
            record = .vote(try Vote.decode(from: &reader))
        case .prepared:
            let certificate = try PreparedCertificate.decode(from: &reader, maxVotes: maxVotes)
            record = .prepared(certificate, try Block.decode(from: &reader, chainID: chainID, limits: limits))
        case .stableCheckpoint:
            record = .stableCheckpoint(try CheckpointCertificate.decode(from: &reader, maxVotes: maxVotes))
        case .installedView:
            let newView = try NewView.decode(from: &reader, limits: limits, maxVotes: maxVotes)
            record = .installedView(newView, blocks: try Block.decodeList(from: &reader, chainID: chainID, limits: limits, field: "new-view blocks"))
        case nil:
            throw .invalid(field: "durable record tag", reason: "unknown value \(rawTag)")
        }
        try reader.expectEnd()
        return record
    }
}
