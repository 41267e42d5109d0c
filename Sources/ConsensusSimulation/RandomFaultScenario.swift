import Consensus
import Foundation

/// One randomized run: a network with random loss, duplication and delay, up to f faulty replicas
/// (crashing and restarting, silent, equivocating, replaying old frames, or a twin sharing a key), an
/// optional partition, and clients submitting each event to f+1 replicas. After a faulty period the
/// network heals and crashed replicas restart; the run then expects every correct replica to commit every
/// event on one chain.
///
/// Everything derives from the seed, so a failing run replays exactly.
public struct RandomFaultScenario: Sendable {
    /// What a run found.
    public struct Outcome: Sendable {
        public let seed: UInt64
        /// A one-line description of the faults drawn.
        public let summary: String
        /// Safety violations (see ``Simulation/violations``).
        public let violations: [String]
        /// Whether every correct replica committed every event after the network healed.
        public let converged: Bool
        /// Heights of the correct replicas at the end.
        public let heights: [UInt64]

        public var passed: Bool { violations.isEmpty && converged }
    }

    private enum Fault: CaseIterable {
        case crashRestart, silent, equivocating, replaying, twin
    }

    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Runs the scenario.
    /// - Parameter trace: when set, receives a line for every message sent, view entered and block
    ///   committed, for replaying a failing seed by eye.
    public func run(trace: ((String) -> Void)? = nil) throws -> Outcome {
        var random = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D)
        let validatorCount = [4, 4, 4, 4, 5, 7].randomElement(using: &random)!
        let tolerance = (validatorCount - 1) / 3
        let faultyCount = Int.random(in: 0...tolerance, using: &random)
        let faultyIDs = Array((0..<validatorCount).shuffled(using: &random).prefix(faultyCount))
        var faults: [Int: Fault] = [:]
        for index in faultyIDs { faults[index] = Fault.allCases.randomElement(using: &random)! }
        let twins = faults.filter { $0.value == .twin }.map { ReplicaID(UInt32($0.key)) }
        let conditions = NetworkConditions(
            dropRate: Double.random(in: 0...0.15, using: &random),
            duplicateRate: Double.random(in: 0...0.1, using: &random),
            minDelay: .microseconds(100),
            maxDelay: .milliseconds(Int64.random(in: 1...20, using: &random)))
        let batch = Int.random(in: 1...8, using: &random)
        let interval = UInt64.random(in: 2...8, using: &random)
        let timeout = Int64.random(in: 50...200, using: &random)
        // From one proposal at a time to a full window of them in flight.
        let inFlight = Int.random(in: 1...Int(2 * interval), using: &random)
        let simulation = try Simulation(validatorCount: validatorCount, seed: seed, conditions: conditions, twins: twins) {
            $0.maxBatchEvents = batch
            $0.checkpointInterval = interval
            $0.watermarkWindow = 2 * interval
            $0.maxProposalsInFlight = inFlight
            $0.viewChangeTimeout = .milliseconds(timeout)
            $0.maxViewChangeTimeout = .seconds(2)
        }
        for (index, fault) in faults {
            switch fault {
            case .silent: simulation.nodes[index].behaviour = .silent
            case .equivocating: simulation.nodes[index].behaviour = .equivocating
            case .replaying: simulation.nodes[index].behaviour = .replaying
            case .crashRestart, .twin: break
            }
        }
        if let trace { simulation.traceActions(to: trace) }
        simulation.start()

        // Clients: each event goes to f+1 distinct replicas, so at least one correct replica holds it.
        let eventCount = Int.random(in: 10...40, using: &random)
        var events: [Event] = []
        var submitted = 0
        while submitted < eventCount {
            let size = min(Int.random(in: 1...5, using: &random), eventCount - submitted)
            let chunk = (submitted..<submitted + size).map { Event(payload: Array("sweep-\(seed)-\($0)".utf8)) }
            let at = Duration.milliseconds(Int64.random(in: 0...2_000, using: &random))
            for target in (0..<validatorCount).shuffled(using: &random).prefix(tolerance + 1) {
                simulation.submit(chunk, to: target, after: at)
            }
            events += chunk
            submitted += size
        }

        // The faulty period: crashes and restarts, and perhaps one partition.
        let crashers = faults.filter { $0.value == .crashRestart }.map(\.key)
        let partitionStart = random.chance(0.3) ? Int.random(in: 0...30, using: &random) : nil
        let partitionEnd = partitionStart.map { $0 + Int.random(in: 2...20, using: &random) }
        let groups = Self.randomSplit(validatorCount, using: &random)
        for slice in 0..<60 {
            if slice == partitionStart { simulation.partition(groups) }
            if slice == partitionEnd { simulation.heal() }
            for index in crashers where random.chance(0.1) {
                if simulation.nodes[index].isCrashed { try simulation.restart(index) } else { simulation.crash(index) }
            }
            simulation.run(for: .milliseconds(50))
        }

        // Heal: a reliable network, no partition, every crashed replica back.
        simulation.conditions = .reliable
        simulation.heal()
        for index in simulation.nodes.indices where simulation.nodes[index].isCrashed { try simulation.restart(index) }
        // A client probe to every replica, as ongoing traffic would bring: a replica that missed every
        // message of the last blocks learns it is behind only when new work reaches it.
        let probe = Event(payload: Array("sweep-\(seed)-probe".utf8))
        for index in simulation.nodes.indices { simulation.submit([probe], to: index) }
        events.append(probe)
        let ids = events.map(\.id)
        let converged = simulation.run(until: { simulation.correctNodesAgree(onEvents: ids) }, timeout: .seconds(120))
        let summary = "n=\(validatorCount) faults=\(faults.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }) "
            + "drop=\(String(format: "%.2f", conditions.dropRate)) batch=\(batch) K=\(interval) events=\(eventCount) "
            + "partition=\(partitionStart.map { "\($0)-\(partitionEnd!)" } ?? "none")"
        return Outcome(
            seed: seed, summary: summary, violations: simulation.violations, converged: converged,
            heights: simulation.correctNodes.map(\.height))
    }

    private static func randomSplit(_ count: Int, using random: inout SeededRandom) -> [[ReplicaID]] {
        let ids = (0..<count).map { ReplicaID(UInt32($0)) }.shuffled(using: &random)
        let cut = Int.random(in: 1..<count, using: &random)
        return [Array(ids[..<cut]), Array(ids[cut...])]
    }
}
