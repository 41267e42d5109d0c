import DequeModule
import Foundation
import KubeClient
import KubeCore
import Logging
import Synchronization

/// Runs the leader election of ``LeaderElectionState`` against a `coordination.k8s.io/v1` Lease: while
/// this instance leads, `whileLeading` runs; when a renewal misses its deadline (or another holder is
/// seen) it is cancelled at once and awaited before anything else happens, so two instances never do the
/// leader's work at the same time. Cancelling ``run(whileLeading:)`` steps down and releases the Lease
/// (holder cleared), so a successor takes over without waiting the lease out.
public final class LeaderElector: Sendable {
    public let configuration: LeaderElectionConfiguration
    private let client: KubeClient
    private let logger: Logger
    private let leading = Mutex(false)

    public init(client: KubeClient, configuration: LeaderElectionConfiguration, logger: Logger = Logger(label: "kube-runtime.leader-election")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether this instance leads now (for `/readyz` and `leader_election_master_status`).
    public var isLeading: Bool { leading.withLock { $0 } }

    /// Campaigns, leads and renews until the calling task is cancelled, then releases the Lease.
    ///
    /// - Parameter whileLeading: The leader's work, started in a task of its own each time leadership is
    ///   gained and cancelled when it is lost; it should return promptly once cancelled.
    public func run(whileLeading: @escaping @Sendable () async -> Void) async {
        let started = ContinuousClock.now
        var machine = LeaderElectionState(configuration: configuration)
        func handle(_ event: LeaderElectionEvent) -> [LeaderElectionAction] {
            machine.handle(event, now: ContinuousClock.now - started, wallClock: Date(), random: Double.random(in: 0..<1))
        }
        var pending = Deque(handle(.tick))
        var work: Task<Void, Never>?
        var shutdownSent = false
        while true {
            if Task.isCancelled, !shutdownSent {
                shutdownSent = true
                pending.append(contentsOf: handle(.shutdown))
            }
            guard let action = pending.popFirst() else { return }
            switch action {
            case .get:
                pending.append(contentsOf: handle(await read()))
            case .create(let lease):
                pending.append(contentsOf: handle(await write(lease, creating: true)))
            case .update(let lease):
                pending.append(contentsOf: handle(await write(lease, creating: false)))
            case .startLeading:
                logger.info("started leading", metadata: ["lease": "\(configuration.leaseNamespace)/\(configuration.leaseName)"])
                leading.withLock { $0 = true }
                work = Task { await whileLeading() }
            case .stopLeading:
                // The work ends before the next request: nobody may act as leader past the renew deadline.
                work?.cancel()
                await work?.value
                work = nil
                leading.withLock { $0 = false }
                logger.info("stopped leading", metadata: ["lease": "\(configuration.leaseNamespace)/\(configuration.leaseName)"])
            case .waitUntil(let time):
                try? await Task.sleep(until: started + time)
                pending.append(contentsOf: handle(.tick))
            case .released:
                return
            }
        }
    }

    // MARK: - Requests

    /// Requests run in tasks of their own: a cancelled election must still be able to release its
    /// Lease. Each is bounded by the renew deadline, past which its answer would be too late anyway.
    private func bounded(_ request: @escaping @Sendable () async -> LeaderElectionEvent) async -> LeaderElectionEvent {
        let deadline = configuration.renewDeadline
        return await Task {
            await withTaskGroup(of: LeaderElectionEvent?.self) { group in
                group.addTask { await request() }
                group.addTask {
                    try? await Task.sleep(for: deadline)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first ?? .readFailed
            }
        }.value
    }

    private func read() async -> LeaderElectionEvent {
        let client = client
        let configuration = configuration
        let logger = logger
        return await bounded {
            do {
                return .observed(try await client.get(Lease.self, name: configuration.leaseName, namespace: configuration.leaseNamespace))
            } catch let error as KubeError where error.code == .notFound {
                return .notFound
            } catch {
                logger.debug("reading the lease failed", metadata: ["error": "\(error)"])
                return .readFailed
            }
        }
    }

    private func write(_ lease: Lease, creating: Bool) async -> LeaderElectionEvent {
        let client = client
        let logger = logger
        let event = await bounded {
            do {
                let stored = creating ? try await client.create(lease) : try await client.replace(lease)
                return .writeSucceeded(stored)
            } catch let error as KubeError where error.code == .conflict || error.code == .alreadyExists {
                return .writeConflicted
            } catch {
                logger.debug("writing the lease failed", metadata: ["error": "\(error)"])
                return .writeFailed
            }
        }
        // A timed-out write is a failed one, not a failed read.
        return event == .readFailed ? .writeFailed : event
    }
}
