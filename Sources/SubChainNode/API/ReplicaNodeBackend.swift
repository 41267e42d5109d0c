import Consensus
import Ledger

/// The production ``NodeBackend``: the replica driver for writes and state, the block store for reads and
/// the peer transport for link state.
public struct ReplicaNodeBackend: NodeBackend {
    private let driver: ReplicaDriver
    private let store: BlockStore
    private let peers: @Sendable () -> PeerTransportStatus
    public let validatorCount: Int

    /// Creates the backend of a node with a peer transport.
    /// - Parameters:
    ///   - driver: the node's replica driver.
    ///   - store: the block store the driver appends to.
    ///   - transport: the node's peer transport.
    ///   - validators: the genesis validator set.
    public init(driver: ReplicaDriver, store: BlockStore, transport: PeerTransport, validators: ValidatorSet) {
        self.init(driver: driver, store: store, validators: validators, peerStatus: { transport.status() })
    }

    /// Creates a backend whose peer state comes from `peerStatus`, for a node without a ZeroMQ transport
    /// (a single validator, or a test wiring drivers in memory).
    public init(
        driver: ReplicaDriver, store: BlockStore, validators: ValidatorSet,
        peerStatus: @escaping @Sendable () -> PeerTransportStatus
    ) {
        self.driver = driver
        self.store = store
        self.peers = peerStatus
        self.validatorCount = validators.count
    }

    public func submit(_ events: [Event]) async -> SubmitOutcome { await driver.submit(events) }

    public func waitForCommit(_ ids: [SHA256Hash], timeout: Duration) async -> [SHA256Hash: UInt64?] {
        await driver.waitForCommit(ids, timeout: timeout)
    }

    public func replicaStatus() async -> ReplicaStatus { await driver.status }

    public func peerStatus() -> PeerTransportStatus { peers() }

    public func block(atHeight height: UInt64) throws -> CommittedBlock? { try store.block(atHeight: height) }

    public func latestBlock() throws -> CommittedBlock? { try store.latestBlock() }

    public func blocks(from height: UInt64, limit: Int) throws -> [CommittedBlock] { try store.blocks(from: height, limit: limit) }

    public func committedEvent(withID id: SHA256Hash) throws -> StoredEvent? { try store.event(withID: id) }

    public func pendingEvent(withID id: SHA256Hash) async -> Event? { await driver.heldEvent(id) }
}
