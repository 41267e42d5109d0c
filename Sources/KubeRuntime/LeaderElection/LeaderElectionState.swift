import Foundation
import KubeCore

/// Leader election over a `coordination.k8s.io/v1` Lease, as client-go's `tools/leaderelection` does it,
/// as a pure state machine: ``handle(_:now:wallClock:random:)`` takes an event and returns the actions a
/// shell performs. It never sleeps, reads a clock, draws a random number or does I/O.
///
/// `now` is monotonic time, as the `Duration` since any origin the shell fixes once (for instance
/// `ContinuousClock.now - start`); ``LeaderElectionAction/waitUntil(_:)`` uses the same origin. The wall
/// clock is used only for the `acquireTime` and `renewTime` the machine writes, which no one relies on.
///
/// Why two leaders never overlap, whatever the wall clocks say:
/// - The leader stops leading once ``LeaderElectionConfiguration/renewDeadline`` has passed since it *sent*
///   its last renewal that succeeded; the server applied that write after it was sent.
/// - A candidate takes over only when the Lease's duration has passed on *its own* monotonic clock since it
///   *received* the record in its current form (client-go's `observedRecord`/`observedTime`), which is after
///   the server applied it; the `renewTime` in the record is never compared with any clock.
/// - The takeover is an update preconditioned on the `resourceVersion` the candidate saw, so it fails if the
///   leader renewed meanwhile. With the renew deadline shorter than the lease duration, the old leader has
///   stopped before the new one starts (given clocks that run at the same rate and prompt ticks).
///
/// Stricter than client-go in two ways: the deadline runs from the last successful renewal rather than from
/// the start of the current renewal loop, and a leader that finds another holder in the Lease stops at once.
public struct LeaderElectionState: Sendable {
    /// The identity, the Lease and the timing.
    public let configuration: LeaderElectionConfiguration

    private enum Phase: Sendable, Hashable {
        case candidate
        case leading
        case shuttingDown
        case released
    }

    /// The one request the shell is performing; the machine never asks for two at once.
    private enum Request: Sendable, Hashable {
        case get
        /// A create or update that makes us the holder, sent at `sentAt`; `optimistic` when it renews from
        /// the Lease our last write returned, without a GET first (client-go's fast path).
        case claim(sentAt: Duration, optimistic: Bool)
        case release
    }

    private var phase = Phase.candidate
    private var inFlight: Request?
    /// The Lease as last read or written (`nil`: not found, or not read yet), whose `resourceVersion` is the
    /// precondition of the next update.
    private var observedLease: Lease?
    /// When the record was first seen in its current form, on our clock: what expiry is judged from.
    private var observedTime: Duration?
    /// When the last successful claim was sent: the leader stops leading `renewDeadline` after it.
    private var lastRenewalSent: Duration?
    /// When the next attempt to acquire or renew is due; `nil` for at once.
    private var nextAttempt: Duration?
    /// The next attempt must GET first: after a failure the Lease we hold a copy of may be stale.
    private var mustRead = true

    /// A candidate that has not read the Lease yet; send ``LeaderElectionEvent/tick`` to start.
    public init(configuration: LeaderElectionConfiguration) {
        self.configuration = configuration
    }

    /// Whether this process leads: between ``LeaderElectionAction/startLeading`` and
    /// ``LeaderElectionAction/stopLeading``.
    public var isLeading: Bool { phase == .leading }

    /// Whether the election is over after a shutdown.
    public var isReleased: Bool { phase == .released }

    /// The holder of the Lease as last read or written, `nil` when it is free or unknown
    /// (client-go's `GetLeader`); it may be this process even when it does not lead.
    public var observedHolder: String? { Self.holder(of: observedLease) }

    /// Handles one event and returns what to do, in order.
    ///
    /// - Parameters:
    ///   - event: What happened.
    ///   - now: The monotonic time, read when the event happened (for a result: after the answer arrived).
    ///   - wallClock: The wall clock, for the timestamps written to the Lease.
    ///   - random: A number in `0..<1` that places a candidate's next attempt within its jitter.
    public mutating func handle(
        _ event: LeaderElectionEvent, now: Duration, wallClock: Date, random: Double
    ) -> [LeaderElectionAction] {
        guard phase != .released else { return [] }
        var actions: [LeaderElectionAction] = []
        // Before anything else: a late answer must not keep a leader leading past its deadline.
        stepDownIfDeadlinePassed(now: now, into: &actions)
        switch event {
        case .tick:
            break
        case .shutdown:
            if phase == .leading { stopLeading(into: &actions) }
            phase = .shuttingDown
        case .observed(let lease):
            guard inFlight == .get else { break }
            readAnswered(lease, now: now, wallClock: wallClock, random: random, into: &actions)
        case .notFound:
            guard inFlight == .get else { break }
            readAnswered(nil, now: now, wallClock: wallClock, random: random, into: &actions)
        case .readFailed:
            guard inFlight == .get else { break }
            inFlight = nil
            nextAttempt = now + retryDelay(random: random)
        case .writeSucceeded(let lease):
            writeSucceeded(lease, now: now, random: random, into: &actions)
        case .writeConflicted, .writeFailed:
            writeFailed(now: now, random: random, into: &actions)
        }
        proceed(now: now, wallClock: wallClock, into: &actions)
        return actions
    }

    // MARK: - Transitions

    private mutating func stepDownIfDeadlinePassed(now: Duration, into actions: inout [LeaderElectionAction]) {
        guard phase == .leading, let deadline else { return }
        if now >= deadline { stopLeading(into: &actions) }
    }

    private mutating func stopLeading(into actions: inout [LeaderElectionAction]) {
        phase = .candidate
        lastRenewalSent = nil
        actions.append(.stopLeading)
    }

    /// client-go's `tryAcquireOrRenew` after its GET: create a missing Lease, take a free or expired one,
    /// renew our own, or wait.
    private mutating func readAnswered(
        _ lease: Lease?, now: Duration, wallClock: Date, random: Double, into actions: inout [LeaderElectionAction]
    ) {
        inFlight = nil
        mustRead = false
        observe(lease, now: now)
        guard phase == .candidate || phase == .leading else { return }
        guard let lease else {
            send(claim: claimLease(from: nil, wallClock: wallClock), now: now, optimistic: false, into: &actions)
            return
        }
        if let holder = Self.holder(of: lease), holder != configuration.identity, !isExpired(lease, now: now) {
            // Someone else holds it. A leader only gets here when the Lease was changed behind its back.
            if phase == .leading { stopLeading(into: &actions) }
            nextAttempt = now + retryDelay(random: random)
            return
        }
        send(claim: claimLease(from: lease, wallClock: wallClock), now: now, optimistic: false, into: &actions)
    }

    private mutating func writeSucceeded(
        _ lease: Lease, now: Duration, random: Double, into actions: inout [LeaderElectionAction]
    ) {
        switch inFlight {
        case .claim(let sentAt, _):
            inFlight = nil
            mustRead = false
            observe(lease, now: now)
            // An answer that took longer than the deadline proves nothing about now: lead only within it.
            if phase != .shuttingDown, now < sentAt + configuration.renewDeadline {
                lastRenewalSent = sentAt
                if phase == .candidate {
                    phase = .leading
                    actions.append(.startLeading)
                }
            }
            nextAttempt = now + retryDelay(random: random)
        case .release:
            inFlight = nil
            observe(lease, now: now)
            finish(into: &actions)
        case .get, nil:
            break
        }
    }

    private mutating func writeFailed(now: Duration, random: Double, into actions: inout [LeaderElectionAction]) {
        switch inFlight {
        case .claim(_, let optimistic):
            inFlight = nil
            mustRead = true
            // client-go falls back from a failed fast-path renewal to a GET at once; any other failed
            // attempt waits for the next period.
            nextAttempt = optimistic ? now : now + retryDelay(random: random)
        case .release:
            // Nothing more to try on the way out: a successor waits the Lease out instead.
            inFlight = nil
            finish(into: &actions)
        case .get, nil:
            break
        }
    }

    /// Starts whatever is due and says when to tick next.
    private mutating func proceed(now: Duration, wallClock: Date, into actions: inout [LeaderElectionAction]) {
        switch phase {
        case .released:
            return
        case .shuttingDown:
            guard inFlight == nil else { return }
            if observedHolder == configuration.identity, let lease = observedLease {
                inFlight = .release
                actions.append(.update(releaseLease(from: lease, wallClock: wallClock)))
            } else {
                finish(into: &actions)
            }
        case .candidate, .leading:
            if inFlight == nil, nextAttempt.map({ now >= $0 }) ?? true { startAttempt(now: now, wallClock: wallClock, into: &actions) }
            var wake = inFlight == nil ? nextAttempt : nil
            if phase == .leading, let deadline { wake = min(wake ?? deadline, deadline) }
            if let wake { actions.append(.waitUntil(wake)) }
        }
    }

    private mutating func startAttempt(now: Duration, wallClock: Date, into actions: inout [LeaderElectionAction]) {
        if phase == .leading, !mustRead, let lease = observedLease, observedHolder == configuration.identity {
            send(claim: claimLease(from: lease, wallClock: wallClock), now: now, optimistic: true, into: &actions)
        } else {
            inFlight = .get
            actions.append(.get)
        }
    }

    private mutating func send(
        claim lease: Lease, now: Duration, optimistic: Bool, into actions: inout [LeaderElectionAction]
    ) {
        inFlight = .claim(sentAt: now, optimistic: optimistic)
        actions.append(lease.metadata.resourceVersion == nil ? .create(lease) : .update(lease))
    }

    private mutating func finish(into actions: inout [LeaderElectionAction]) {
        phase = .released
        actions.append(.released)
    }

    /// Remembers the record, and when it was first seen as it is now. The `resourceVersion` counts as part of
    /// it, so any write by anyone restarts the wait.
    private mutating func observe(_ lease: Lease?, now: Duration) {
        let unchanged = observedLease?.spec == lease?.spec
            && observedLease?.metadata.resourceVersion == lease?.metadata.resourceVersion
        if !unchanged || observedTime == nil { observedTime = now }
        observedLease = lease
    }

    // MARK: - Timing

    private var deadline: Duration? { lastRenewalSent.map { $0 + configuration.renewDeadline } }

    /// The record's own duration decides, since its holder chose its renew deadline to fit it; ours stands in
    /// for a record without one.
    private func isExpired(_ lease: Lease, now: Duration) -> Bool {
        guard let observedTime else { return false }
        let seconds = lease.spec?.leaseDurationSeconds ?? 0
        let duration = seconds > 0 ? Duration.seconds(Int64(seconds)) : configuration.leaseDuration
        return now >= observedTime + duration
    }

    /// The leader retries on the period (client-go's `wait.Until`); a candidate adds jitter (`wait.JitterUntil`).
    private func retryDelay(random: Double) -> Duration {
        guard phase != .leading else { return configuration.retryPeriod }
        let random = random.isFinite ? min(max(random, 0), 1) : 0
        return configuration.retryPeriod * (1 + configuration.jitterFactor * random)
    }

    // MARK: - Records

    private static func holder(of lease: Lease?) -> String? {
        guard let holder = lease?.spec?.holderIdentity, !holder.isEmpty else { return nil }
        return holder
    }

    /// The Lease that makes us the holder: created, taken over (a new `acquireTime`, one more transition)
    /// or renewed (only `renewTime` moves), as client-go's `tryAcquireOrRenew` writes it.
    private func claimLease(from current: Lease?, wallClock: Date) -> Lease {
        let time = KubeTime(wallClock, precision: .microseconds)
        guard var lease = current else {
            let metadata = ObjectMeta(name: configuration.leaseName, namespace: configuration.leaseNamespace)
            return Lease(
                metadata: metadata,
                spec: LeaseSpec(
                    holderIdentity: configuration.identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
                    acquireTime: time, renewTime: time, leaseTransitions: 0))
        }
        let old = lease.spec ?? LeaseSpec()
        let renewing = Self.holder(of: lease) == configuration.identity
        let transitions = old.leaseTransitions ?? 0
        lease.spec = LeaseSpec(
            holderIdentity: configuration.identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
            acquireTime: renewing ? old.acquireTime : time, renewTime: Self.renewTime(time, after: old.renewTime),
            leaseTransitions: renewing ? transitions : (transitions == .max ? transitions : transitions + 1))
        return lease
    }

    /// The Lease that gives it up: no holder and a one-second duration, transitions kept, as client-go's
    /// `release` writes it, so a successor takes over on its next attempt.
    private func releaseLease(from current: Lease, wallClock: Date) -> Lease {
        var lease = current
        let time = KubeTime(wallClock, precision: .microseconds)
        lease.spec = LeaseSpec(
            holderIdentity: "", leaseDurationSeconds: 1, acquireTime: time, renewTime: time,
            leaseTransitions: current.spec?.leaseTransitions)
        return lease
    }

    /// A renewal must change the record: the API server treats an unchanged update as a no-op that keeps
    /// the `resourceVersion`, so candidates would not see it and would count on towards a takeover while we
    /// believe we renewed. A wall clock that stood still (or is coarse) would write the same `renewTime`.
    private static func renewTime(_ time: KubeTime, after previous: KubeTime?) -> KubeTime {
        guard time == previous, let date = time.date else { return time }
        return KubeTime(date.addingTimeInterval(0.001), precision: .microseconds)
    }
}
