import Consensus
import Crypto
import Foundation
import Ledger
import Synchronization
import SubChainNode
import Testing

/// Drivers wired to each other in memory, each with real on-disk stores in its own directory.
final class DriverCluster: Sendable {
    struct Loopback: FrameTransport {
        let cluster: DriverCluster
        let sender: ReplicaID

        func send(_ frame: [UInt8], to peer: ReplicaID) {
            guard let driver = cluster.driver(peer), cluster.isConnected(sender) else { return }
            Task { await driver.receive(frame) }
        }

        func broadcast(_ frame: [UInt8]) {
            for peer in cluster.configuration.validators.ids where peer != sender { send(frame, to: peer) }
        }
    }

    let configuration: ReplicaConfiguration
    let keys: [Curve25519.Signing.PrivateKey]
    let directory: URL
    private let drivers = Mutex<[ReplicaID: ReplicaDriver]>([:])
    private let disconnected = Mutex<Set<ReplicaID>>([])

    init(validators count: Int) throws {
        keys = (0..<count).map { _ in Curve25519.Signing.PrivateKey() }
        let set = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        configuration = ReplicaConfiguration(
            chainID: "driver-test", validators: set, maxBatchEvents: 50, maxBatchWait: .milliseconds(2),
            viewChangeTimeout: .milliseconds(300), checkpointInterval: 8)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-driver-\(UUID().uuidString)")
        for index in 0..<count { try start(index) }
    }

    func driver(_ id: ReplicaID) -> ReplicaDriver? { drivers.withLock { $0[id] } }
    func isConnected(_ id: ReplicaID) -> Bool { !disconnected.withLock { $0.contains(id) } }

    /// Opens the node's stores (creating or reopening them) and starts a driver on them.
    @discardableResult
    func start(_ index: Int) throws -> ReplicaDriver {
        let id = ReplicaID(UInt32(index))
        let path = directory.appendingPathComponent("node-\(index)").path
        let blocks = try Self.openWhenReleased { try BlockStore(configuration: BlockStoreConfiguration(directory: path, replica: configuration)) }
        let state = try ConsensusStateStore(directory: path, replica: configuration)
        let driver = try ReplicaDriver(
            configuration: configuration, id: id, signingKey: keys[index], blocks: blocks, state: state,
            transport: Loopback(cluster: self, sender: id))
        drivers.withLock { $0[id] = driver }
        disconnected.withLock { _ = $0.remove(id) }
        Task { await driver.start() }
        return driver
    }

    /// Opens a store, waiting up to two seconds while a stopped driver's store still holds the directory's
    /// lock (a frame in flight to it may keep it alive a moment after ``stop(_:)``).
    private static func openWhenReleased(_ open: () throws -> BlockStore) throws -> BlockStore {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            do {
                return try open()
            } catch let error as LedgerError where "\(error)".contains("locked") && ContinuousClock.now < deadline {
                usleep(10_000)
            }
        }
    }

    /// Cuts a node off and forgets its driver, as a crash would; its files stay.
    func stop(_ index: Int) async {
        let id = ReplicaID(UInt32(index))
        disconnected.withLock { _ = $0.insert(id) }
        let driver = drivers.withLock { $0.removeValue(forKey: id) }
        await driver?.shutdown()
    }

    func removeFiles() { try? FileManager.default.removeItem(at: directory) }
}

@Suite("Replica driver")
struct ReplicaDriverTests {
    static func events(_ count: Int, tag: String) -> [Event] {
        (0..<count).map { Event(payload: Array("{\"entityId\":\"\(tag)-\($0)\"}".utf8)) }
    }

    @Test("four drivers over real stores commit events, answer commit waiters and agree on one chain")
    func commitsAndWaits() async throws {
        let cluster = try DriverCluster(validators: 4)
        defer { cluster.removeFiles() }
        let events = Self.events(120, tag: "driver")
        let outcome = await cluster.driver(ReplicaID(2))!.submit(events)
        #expect(outcome.accepted.count == 120 && outcome.overloaded.isEmpty)
        let heights = await cluster.driver(ReplicaID(2))!.waitForCommit(events.map(\.id), timeout: .seconds(20))
        #expect(heights.values.allSatisfy { $0 != nil })
        try await Task.sleep(for: .milliseconds(300))
        var heads: Set<SHA256Hash> = []
        for index in 0..<4 {
            let status = await cluster.driver(ReplicaID(UInt32(index)))!.status
            #expect(status.failure == nil)
            heads.insert(status.headHash)
        }
        #expect(heads.count == 1)
        for driver in (0..<4).compactMap({ cluster.driver(ReplicaID(UInt32($0))) }) { await driver.shutdown() }
    }

    @Test("a driver restarted from its files resumes at its height and catches up")
    func restartFromDisk() async throws {
        let cluster = try DriverCluster(validators: 4)
        defer { cluster.removeFiles() }
        let first = Self.events(40, tag: "before")
        _ = await cluster.driver(ReplicaID(0))!.submit(first)
        _ = await cluster.driver(ReplicaID(0))!.waitForCommit(first.map(\.id), timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(200))
        var stopped = cluster.driver(ReplicaID(3))
        await cluster.stop(3)
        let heightBefore = await stopped?.status.height ?? 0
        #expect(heightBefore > 0)
        // A crashed process holds nothing: let go of the old driver, whose store locks the directory.
        stopped = nil
        let second = Self.events(40, tag: "while-down")
        _ = await cluster.driver(ReplicaID(0))!.submit(second)
        _ = await cluster.driver(ReplicaID(0))!.waitForCommit(second.map(\.id), timeout: .seconds(20))
        let restarted = try cluster.start(3)
        // Restored from its own files: never behind what it had committed before the crash.
        #expect(await restarted.status.height >= heightBefore)
        let third = Self.events(10, tag: "after")
        _ = await cluster.driver(ReplicaID(0))!.submit(third)
        let committed = await restarted.waitForCommit((second + third).map(\.id), timeout: .seconds(20))
        #expect(committed.values.allSatisfy { $0 != nil })
        for driver in (0..<4).compactMap({ cluster.driver(ReplicaID(UInt32($0))) }) { await driver.shutdown() }
    }

    @Test("replicas hold an event submitted to another node, pending or in a proposal, until it commits")
    func heldEventsWhereverSubmitted() async throws {
        let cluster = try DriverCluster(validators: 4)
        defer { cluster.removeFiles() }
        // Two of four running: the primary can propose, nothing can commit.
        await cluster.stop(2)
        await cluster.stop(3)
        let event = Self.events(1, tag: "held")[0]
        _ = await cluster.driver(ReplicaID(1))!.submit([event])
        for index in [0, 1] {
            let driver = cluster.driver(ReplicaID(UInt32(index)))!
            var held: Event?
            for _ in 0..<200 where held == nil {
                held = await driver.heldEvent(event.id)
                if held == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(held?.payload == event.payload, "node-\(index)")
        }
        #expect(await cluster.driver(ReplicaID(0))!.heldEvent(SHA256Hash.sha256(Array("never submitted".utf8))) == nil)

        try cluster.start(2)
        try cluster.start(3)
        let heights = await cluster.driver(ReplicaID(1))!.waitForCommit([event.id], timeout: .seconds(30))
        #expect(heights[event.id] != nil && heights[event.id]! != nil)
        // Executed events are the ledger's to report, not the replica's.
        #expect(await cluster.driver(ReplicaID(1))!.heldEvent(event.id) == nil)
        for driver in (0..<4).compactMap({ cluster.driver(ReplicaID(UInt32($0))) }) { await driver.shutdown() }
    }

    @Test("a commit wait times out with nil for an event that never commits")
    func waitTimesOut() async throws {
        let cluster = try DriverCluster(validators: 4)
        defer { cluster.removeFiles() }
        let unknown = SHA256Hash.sha256(Array("never submitted".utf8))
        let result = await cluster.driver(ReplicaID(1))!.waitForCommit([unknown], timeout: .milliseconds(200))
        #expect(result[unknown] == .some(nil))
        for driver in (0..<4).compactMap({ cluster.driver(ReplicaID(UInt32($0))) }) { await driver.shutdown() }
    }

    @Test("waits with different timeouts each end at their own, a shorter one after a longer one too")
    func waitsExpireInDeadlineOrder() async throws {
        let cluster = try DriverCluster(validators: 4)
        defer { cluster.removeFiles() }
        let driver = cluster.driver(ReplicaID(1))!
        let ids = (0..<3).map { SHA256Hash.sha256(Array("never submitted \($0)".utf8)) }
        let finished = await withTaskGroup(of: (index: Int, height: UInt64??).self) { group in
            // The long wait starts first; the short ones, started after it, must not wait for it.
            for (index, timeout) in [(0, Duration.seconds(3)), (1, .milliseconds(100)), (2, .milliseconds(300))] {
                let id = ids[index]
                group.addTask { (index, await driver.waitForCommit([id], timeout: timeout)[id]) }
                try? await Task.sleep(for: .milliseconds(20))
            }
            var order: [(index: Int, height: UInt64??)] = []
            for await result in group { order.append(result) }
            return order
        }
        #expect(finished.map(\.index) == [1, 2, 0])
        #expect(finished.allSatisfy { $0.height == .some(nil) })
        // Expiry leaves the other waits alone: one for an event that commits is answered with its height.
        let event = Event(payload: Array("committed".utf8))
        _ = await cluster.driver(ReplicaID(0))!.submit([event])
        let committed = await driver.waitForCommit([event.id], timeout: .seconds(20))
        #expect(committed[event.id] != nil && committed[event.id]! != nil)
        for driver in (0..<4).compactMap({ cluster.driver(ReplicaID(UInt32($0))) }) { await driver.shutdown() }
    }
}
