/// Size bounds that every decoded message is held to before anything is allocated for it.
public struct MessageLimits: Hashable, Sendable {
    /// The most events one block may hold (also the leader's batch size cap).
    public var maxBlockEvents: Int
    /// The largest single event payload, in bytes.
    public var maxEventBytes: Int
    /// The largest sum of event payloads in one block, in bytes.
    public var maxBlockBytes: Int
    /// The most blocks one frame may carry (state transfer, view change).
    public var maxBlocksPerFrame: Int
    /// The largest frame accepted from a peer, in bytes.
    public var maxFrameBytes: Int

    public init(
        maxBlockEvents: Int = 1_000,
        maxEventBytes: Int = 64 * 1024,
        maxBlockBytes: Int = 512 * 1024,
        maxBlocksPerFrame: Int = 256,
        maxFrameBytes: Int = 64 * 1024 * 1024
    ) {
        self.maxBlockEvents = maxBlockEvents
        self.maxEventBytes = maxEventBytes
        self.maxBlockBytes = maxBlockBytes
        self.maxBlocksPerFrame = maxBlocksPerFrame
        self.maxFrameBytes = maxFrameBytes
    }
}
