/// A batch of events proposed for one height.
///
/// The block digest covers the chain id, the height and every event id, so a digest names one block on
/// one chain. It does not cover the previous block's hash: PBFT may propose height h+1 before h commits,
/// and a view change may replace an uncommitted h by an empty block, so the hash chain is computed when
/// blocks commit (``CommittedBlock/hash``), from the agreed sequence of digests, identically on every replica.
public struct Block: Hashable, Sendable {
    /// The sequence number this block was proposed for; heights start at 1.
    public let height: UInt64
    /// The events, in the order the leader chose.
    public let events: [Event]
    /// The ids of ``events``, in the same order: what the replica's bookkeeping walks, without touching
    /// (and reference-counting) each event's payload.
    public let eventIDs: [SHA256Hash]
    /// The digest that votes and certificates sign.
    public let digest: SHA256Hash

    /// Creates a block and computes its digest.
    public init(chainID: String, height: UInt64, events: [Event]) {
        self.height = height
        self.events = events
        eventIDs = events.map(\.id)
        digest = Self.digest(chainID: chainID, height: height, eventIDs: eventIDs)
    }

    // `eventIDs` follow from `events`, and `digest` names the events: neither needs comparing or hashing
    // again, id by id.
    public static func == (lhs: Block, rhs: Block) -> Bool {
        lhs.height == rhs.height && lhs.digest == rhs.digest && lhs.events == rhs.events
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(height)
        hasher.combine(digest)
    }

    /// The total size of the event payloads, which the block size limit bounds.
    public var payloadBytes: Int { events.reduce(0) { $0 + $1.payload.count } }

    static func digest(chainID: String, height: UInt64, eventIDs: [SHA256Hash]) -> SHA256Hash {
        var writer = ByteWriter(capacity: 64 + 32 * eventIDs.count)
        writer.writeRaw("hierachain/block/v1".utf8)
        writer.write(chainID)
        writer.write(height)
        writer.write(UInt64(eventIDs.count))
        writer.write(eventIDs)
        return SHA256Hash.sha256(writer.bytes)
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(height)
        writer.writeCount(events.count)
        for event in events { writer.writeLengthPrefixed(event.payload) }
    }

    static func decode(from reader: inout ByteReader, chainID: String, limits: MessageLimits) throws(WireFormatError) -> Block {
        let height = try reader.readUInt64()
        let count = try reader.readCount(maximum: limits.maxBlockEvents, minimumElementSize: 4, field: "block event count")
        var events = [Event]()
        events.reserveCapacity(count)
        var total = 0
        for _ in 0..<count {
            let payload = try reader.readLengthPrefixedBytes(maximum: limits.maxEventBytes, field: "event payload")
            total += payload.count
            guard total <= limits.maxBlockBytes else {
                throw .tooLarge(field: "block payload bytes", length: total, maximum: limits.maxBlockBytes)
            }
            events.append(Event(payload: payload))
        }
        return Block(chainID: chainID, height: height, events: events)
    }

    /// Writes a count and the blocks: how frames and stored records carry lists of blocks.
    static func encodeList(_ blocks: [Block], into writer: inout ByteWriter) {
        writer.writeCount(blocks.count)
        for block in blocks { block.encode(into: &writer) }
    }

    /// Reads a list written by ``encodeList(_:into:)``, at most `limits.maxBlocksPerFrame` long.
    static func decodeList(from reader: inout ByteReader, chainID: String, limits: MessageLimits, field: String) throws(WireFormatError) -> [Block] {
        let count = try reader.readCount(maximum: limits.maxBlocksPerFrame, minimumElementSize: 12, field: field)
        var blocks = [Block]()
        blocks.reserveCapacity(count)
        for _ in 0..<count { blocks.append(try Block.decode(from: &reader, chainID: chainID, limits: limits)) }
        return blocks
    }
}
