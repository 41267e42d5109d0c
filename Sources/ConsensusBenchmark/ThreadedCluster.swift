import Consensus
import ConsensusSimulation
import Crypto
import Dispatch
import Foundation
import Synchronization

/// n replicas, each on a thread of its own, exchanging real frames through in-memory mailboxes: the
/// benchmark's way to use every core, which the deterministic, single-threaded ``Simulation`` cannot.
///
/// Only what a fault-free throughput run needs: no loss, no timers (batches are proposed when full, so
/// `maxBatchWait` must be zero), and a closed loop of client batches at the primary.
final class ThreadedCluster: Sendable {
    /// A thread's inbox: frames and client batches, drained in arrival order.
    final class Mailbox: Sendable {
        enum Item: Sendable {
            case frame([UInt8])
            case events([Event])
        }

        private let items = Mutex<[Item]>([])
        private let signal = DispatchSemaphore(value: 0)

        func post(_ item: Item) {
            items.withLock { $0.append(item) }
            signal.signal()
        }

        /// Waits for at least one item, up to `timeout`, and takes everything queued.
        func drain(timeout: DispatchTime) -> [Item] {
            guard signal.wait(timeout: timeout) == .success else { return [] }
            return items.withLock { queued in
                defer { queued.removeAll(keepingCapacity: true) }
                return queued
            }
        }
    }

    private let configuration: ReplicaConfiguration
    private let keys: [Curve25519.Signing.PrivateKey]
    private let mailboxes: [Mailbox]
    private let heights: Mutex<[UInt64]>
    private let nextBatch = Mutex<Int>(0)
    private let stop = Atomic<Bool>(false)
    /// Signalled when the last replica reaches the target height, or a replica fails.
    private let finished = DispatchSemaphore(value: 0)

    init(configuration: ReplicaConfiguration, keys: [Curve25519.Signing.PrivateKey]) {
        self.configuration = configuration
        self.keys = keys
        mailboxes = keys.map { _ in Mailbox() }
        heights = Mutex(keys.map { _ in 0 })
    }

    /// What a run measured, from the moment every replica was set up to the moment the last one reached
    /// the target height: neither setting up the ledgers nor stopping the threads is counted.
    struct Measurement {
        /// Whether every replica reached the target before the deadline.
        var reached: Bool
        var wall: Duration
        /// The process's CPU time over the same interval, in seconds.
        var cpuSeconds: Double
    }

    /// Runs until every replica has committed `blocks` blocks or `deadline` passes.
    /// - Parameter batches: the client batches, handed to the primary `outstanding` at a time.
    func run(batches: [[Event]], outstanding: Int, blocks: UInt64, deadline: ContinuousClock.Instant) throws -> Measurement {
        let failure = Mutex<String?>(nil)
        let group = DispatchGroup()
        let ready = DispatchGroup()
        for index in keys.indices {
            group.enter()
            ready.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                do {
                    try runReplica(index, batches: batches, target: blocks, ready: ready)
                } catch {
                    failure.withLock { $0 = "replica \(index): \(error)" }
                    stop.store(true, ordering: .relaxed)
                    finished.signal()
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        ready.wait()
        let cpuStart = processCPUSeconds()
        let wallStart = ContinuousClock.now
        for _ in 0..<outstanding { feedPrimary(batches) }
        // Waits without polling: a polling thread would take CPU time from the replicas it measures.
        let timeLeft = ContinuousClock.now.duration(to: deadline) / .seconds(1)
        _ = finished.wait(timeout: .now() + max(0, timeLeft))
        let measurement = Measurement(
            reached: reached(blocks), wall: ContinuousClock.now - wallStart, cpuSeconds: processCPUSeconds() - cpuStart)
        stop.store(true, ordering: .relaxed)
        group.wait()
        if let message = failure.withLock({ $0 }) { throw BenchmarkError(message) }
        return measurement
    }


    private func reached(_ blocks: UInt64) -> Bool { heights.withLock { $0.allSatisfy { $0 >= blocks } } }

    private func feedPrimary(_ batches: [[Event]]) {
        let index = nextBatch.withLock { next in
            defer { next += 1 }
            return next
        }
        if index < batches.count { mailboxes[0].post(.events(batches[index])) }
    }

    /// Sets up replica `index` and its ledger, leaves `ready`, and runs it until the cluster stops; the
    /// replica that completes the cluster's `target` height signals `finished`.
    private func runReplica(_ index: Int, batches: [[Event]], target: UInt64, ready: DispatchGroup) throws {
        // Fault-free, so no replica ever fetches old blocks: keeping a window of them, not the whole run,
        // keeps memory flat as a node's is.
        let ledger = InMemoryLedger(genesisHash: configuration.genesisHash, retainedBlocks: 2 * Int(configuration.watermarkWindow))
        ledger.reserveCapacity(events: batches.reduce(0) { $0 + $1.count }, blocks: batches.count)
        let id = ReplicaID(UInt32(index))
        let created = Result { try Replica(configuration: configuration, id: id, signingKey: keys[index], ledger: ledger) }
        ready.leave()
        var replica = try created.get()
        var inputs: [ReplicaInput] = [.start]
        while !stop.load(ordering: .relaxed) {
            for input in inputs {
                for action in replica.handle(input) {
                    switch action {
                    case .send(let frame, let peer):
                        mailboxes[Int(peer.index)].post(.frame(frame))
                    case .broadcast(let frame):
                        for peer in mailboxes.indices where peer != index { mailboxes[peer].post(.frame(frame)) }
                    case .commit(let block):
                        if let problem = ledger.append(block) { throw BenchmarkError(problem) }
                        let height = ledger.height
                        let allThere = heights.withLock { heights in
                            heights[index] = height
                            return heights.allSatisfy { $0 >= target }
                        }
                        if allThere, height == target { finished.signal() }
                        if index == 0 { feedPrimary(batches) }
                    case .persist, .startTimer, .cancelTimer, .rejectEvents, .enteredView:
                        break
                    }
                }
            }
            inputs = mailboxes[index].drain(timeout: .now() + .milliseconds(50)).map { item in
                switch item {
                case .frame(let frame): .receive(frame)
                case .events(let events): .submit(events)
                }
            }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
