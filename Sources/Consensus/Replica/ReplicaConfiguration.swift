import Crypto

/// Everything a replica needs to know that is fixed for the life of the chain or set by the operator.
public struct ReplicaConfiguration: Sendable {
    /// The sub-chain this replica belongs to; every signature covers it.
    public var chainID: String
    /// The validators, in genesis order.
    public var validators: ValidatorSet
    /// The most events the primary puts in one block.
    public var maxBatchEvents: Int
    /// How long the primary waits for a batch to fill before proposing what it has. Zero proposes at once:
    /// with few proposals in flight, events gather while the previous block commits, which batches under
    /// load without delaying the first event of a quiet period.
    public var maxBatchWait: Duration
    /// How long a replica waits for progress on pending work before it asks for a new view. Doubles on each
    /// consecutive view change without progress, up to ``maxViewChangeTimeout``.
    public var viewChangeTimeout: Duration
    /// The ceiling for the doubled view-change timeout.
    public var maxViewChangeTimeout: Duration
    /// A checkpoint is taken every this many blocks. The message log, with the blocks it carries, is kept
    /// back to the last stable checkpoint, so this bounds a replica's memory under load: the default of
    /// 16 keeps up to about 32 blocks, some 6 MiB at 1,000 events of 100 bytes each, for a checkpoint
    /// (three signature checks per replica) every 16 blocks.
    public var checkpointInterval: UInt64
    /// The number of sequence numbers above the stable checkpoint that may be in progress (PBFT's L).
    public var watermarkWindow: UInt64
    /// The most proposals the primary keeps in flight (proposed, not yet executed here). Events arriving
    /// meanwhile gather into the next block, so under load blocks grow instead of multiplying, and the
    /// signatures, messages and fsyncs each block costs are shared by more events. One (as BFT-SMaRt runs
    /// one consensus instance at a time) is the best on CPU-bound nodes; more pipelines blocks where
    /// network round trips, not CPU, bound the commit rate.
    public var maxProposalsInFlight: Int
    /// The most client events a replica holds before refusing more.
    public var maxPendingEvents: Int
    /// The most payload bytes of pending events a replica holds before refusing more, so that large
    /// events, or a faulty peer forwarding them, cannot exhaust memory within the event-count limit.
    public var maxPendingBytes: Int
    /// How long a replica waits for a state-transfer answer before asking another peer.
    public var stateTransferTimeout: Duration
    /// The most blocks one state-transfer answer carries.
    public var maxBlocksPerStateResponse: Int
    /// Size bounds for everything decoded from peers.
    public var limits: MessageLimits

    /// The default for ``maxProposalsInFlight``.
    public static let defaultMaxProposalsInFlight = 1

    /// Creates a configuration with production defaults.
    public init(
        chainID: String,
        validators: ValidatorSet,
        maxBatchEvents: Int = 1_000,
        maxBatchWait: Duration = .zero,
        viewChangeTimeout: Duration = .seconds(1),
        maxViewChangeTimeout: Duration = .seconds(60),
        checkpointInterval: UInt64 = 16,
        watermarkWindow: UInt64? = nil,
        maxProposalsInFlight: Int = Self.defaultMaxProposalsInFlight,
        maxPendingEvents: Int = 100_000,
        maxPendingBytes: Int = 64 * 1024 * 1024,
        stateTransferTimeout: Duration = .seconds(1),
        maxBlocksPerStateResponse: Int = 32,
        limits: MessageLimits = MessageLimits()
    ) {
        self.chainID = chainID
        self.validators = validators
        self.maxBatchEvents = maxBatchEvents
        self.maxBatchWait = maxBatchWait
        self.viewChangeTimeout = viewChangeTimeout
        self.maxViewChangeTimeout = maxViewChangeTimeout
        self.checkpointInterval = checkpointInterval
        self.watermarkWindow = watermarkWindow ?? 2 * checkpointInterval
        self.maxProposalsInFlight = maxProposalsInFlight
        self.maxPendingEvents = maxPendingEvents
        self.maxPendingBytes = maxPendingBytes
        self.stateTransferTimeout = stateTransferTimeout
        self.maxBlocksPerStateResponse = maxBlocksPerStateResponse
        self.limits = limits
    }

    /// The largest checkpoint interval that passes ``validate()`` with the default window of two intervals:
    /// a full window of blocks must fit in one frame (62 with the default ``MessageLimits``).
    public static func largestCheckpointInterval(limits: MessageLimits = MessageLimits()) -> UInt64 {
        let window = min(limits.maxFrameBytes / viewChangeBytesPerSequence(limits), limits.maxBlocksPerFrame)
        return UInt64(max(1, window / 2))
    }

    /// The most bytes one sequence of the window adds to a VIEW-CHANGE or NEW-VIEW: its largest block,
    /// the block's event ids, and room for its certificate.
    private static func viewChangeBytesPerSequence(_ limits: MessageLimits) -> Int {
        limits.maxBlockBytes + 8 * limits.maxBlockEvents + 4_096
    }

    /// Checks that the values work together.
    /// - Throws: ``ConfigurationError`` naming the first value that does not.
    public func validate() throws(ConfigurationError) {
        guard !chainID.isEmpty, chainID.utf8.count <= 253 else { throw .invalid("chain id must be 1 to 253 bytes, got \"\(chainID)\"") }
        guard maxBatchEvents >= 1, maxBatchEvents <= limits.maxBlockEvents else {
            throw .invalid("batch size \(maxBatchEvents) must be between 1 and the block limit \(limits.maxBlockEvents)")
        }
        guard maxBatchWait >= .zero else { throw .invalid("batch wait must not be negative") }
        guard viewChangeTimeout > .zero, maxViewChangeTimeout >= viewChangeTimeout else {
            throw .invalid("view-change timeout must be positive and at most the maximum view-change timeout")
        }
        guard checkpointInterval >= 1 else { throw .invalid("checkpoint interval must be at least 1") }
        guard watermarkWindow >= checkpointInterval, Int(watermarkWindow) <= limits.maxBlocksPerFrame else {
            throw .invalid(
                "watermark window \(watermarkWindow) must be at least the checkpoint interval \(checkpointInterval) "
                    + "and at most \(limits.maxBlocksPerFrame) blocks per frame")
        }
        guard maxProposalsInFlight >= 1 else { throw .invalid("proposals in flight must be at least 1, got \(maxProposalsInFlight)") }
        // A VIEW-CHANGE or NEW-VIEW carries up to one block per sequence of the window; it must fit in a
        // frame, or a view change under full load could never complete.
        let viewChangeBytes = Int(watermarkWindow) * Self.viewChangeBytesPerSequence(limits)
        guard viewChangeBytes <= limits.maxFrameBytes else {
            throw .invalid(
                "watermark window \(watermarkWindow) × block limit \(limits.maxBlockBytes) bytes needs frames of "
                    + "\(viewChangeBytes) bytes, above the frame limit \(limits.maxFrameBytes)")
        }
        guard maxPendingEvents >= maxBatchEvents else { throw .invalid("pending-event limit must be at least the batch size") }
        guard maxPendingBytes >= limits.maxEventBytes else { throw .invalid("pending-byte limit must hold at least one event of the largest size") }
        guard stateTransferTimeout > .zero else { throw .invalid("state-transfer timeout must be positive") }
        guard maxBlocksPerStateResponse >= 1, maxBlocksPerStateResponse <= limits.maxBlocksPerFrame else {
            throw .invalid("blocks per state response must be between 1 and \(limits.maxBlocksPerFrame)")
        }
    }

    /// The hash the ledger chain starts from: it names the chain id and every validator key, so two chains
    /// with different validators never share a block hash.
    public var genesisHash: SHA256Hash {
        var writer = ByteWriter(capacity: 64 + 36 * validators.count)
        writer.writeRaw("hierachain/genesis/v1".utf8)
        writer.write(chainID)
        writer.writeCount(validators.count)
        for validator in validators.validators {
            writer.write(validator.id)
            writer.writeLengthPrefixed(Array(validator.publicKey.rawRepresentation))
        }
        return SHA256Hash.sha256(writer.bytes)
    }
}
