import Foundation
import KubeCore
import Testing

@testable import KubeRuntime

/// The leader election state machine: acquiring, renewing, stepping down at the renew deadline, taking over
/// only after the lease duration on the candidate's own clock, releasing, and two or more instances with
/// skewed clocks against a simulated Lease store that never lead at the same time.
@Suite struct LeaderElectionTests {
    // MARK: Configuration

    @Test func theDefaultsAreClientGosAndTimingsThatCouldOverlapAreRejected() throws {
        let defaults = try LeaderElectionConfiguration(identity: "a", leaseNamespace: "demo", leaseName: "operator")
        #expect(defaults.leaseDuration == .seconds(15))
        #expect(defaults.renewDeadline == .seconds(10))
        #expect(defaults.retryPeriod == .seconds(2))
        #expect(defaults.jitterFactor == 1.2)
        #expect(defaults.leaseDurationSeconds == 15)

        func make(
            identity: String = "a", name: String = "operator", lease: Duration = .seconds(15),
            renew: Duration = .seconds(10), retry: Duration = .seconds(2), jitter: Double = 1.2
        ) throws(LeaderElectionConfigurationError) -> LeaderElectionConfiguration {
            try LeaderElectionConfiguration(
                identity: identity, leaseNamespace: "demo", leaseName: name, leaseDuration: lease, renewDeadline: renew,
                retryPeriod: retry, jitterFactor: jitter)
        }
        #expect(throws: LeaderElectionConfigurationError.emptyIdentity) { try make(identity: "") }
        #expect(throws: LeaderElectionConfigurationError.emptyLeaseName) { try make(name: "") }
        #expect(throws: LeaderElectionConfigurationError.retryPeriodNotPositive) { try make(retry: .zero) }
        #expect(throws: LeaderElectionConfigurationError.invalidJitterFactor(-1)) { try make(jitter: -1) }
        #expect(throws: LeaderElectionConfigurationError.leaseDurationOutOfRange) { try make(lease: .milliseconds(900)) }
        #expect(throws: LeaderElectionConfigurationError.renewDeadlineNotShorterThanLeaseDuration) {
            try make(lease: .seconds(10))
        }
        // The Lease stores 10 s for 10.5 s, and others judge by what is stored.
        #expect(throws: LeaderElectionConfigurationError.renewDeadlineNotShorterThanLeaseDuration) {
            try make(lease: .milliseconds(10_500))
        }
        #expect(throws: LeaderElectionConfigurationError.renewDeadlineNotLongerThanJitteredRetryPeriod) {
            try make(renew: .milliseconds(2_400))
        }
        #expect(try make(renew: .milliseconds(2_401)).renewDeadline == .milliseconds(2_401))
    }

    // MARK: Acquiring and renewing

    @Test func aMissingLeaseIsCreatedAndTheCandidateLeadsOnceTheCreateSucceeds() throws {
        var store = LeaseStore()
        var a = Candidate("a")
        #expect(a.handle(.tick, at: .zero) == [.get])
        let create = a.handle(store.get(), at: .milliseconds(100))
        let lease = try #require(written(create))
        #expect(create == [.create(lease)])
        #expect(lease.metadata.name == "operator")
        #expect(lease.metadata.namespace == "demo")
        #expect(lease.metadata.resourceVersion == nil)
        let stamp = KubeTime(a.wallClock(at: .milliseconds(100)), precision: .microseconds)
        #expect(lease.spec == LeaseSpec(
            holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0))
        #expect(!a.state.isLeading)
        #expect(a.handle(store.perform(create), at: .milliseconds(300)) == [.startLeading, .waitUntil(.milliseconds(2_300))])
        #expect(a.state.isLeading)
        #expect(a.state.observedHolder == "a")
    }

    @Test func theLeaderRenewsEveryRetryPeriodFromItsLastWriteWithoutReadingFirst() throws {
        var (a, store) = leader("a")
        #expect(a.handle(.tick, at: .seconds(1)) == [.waitUntil(.seconds(2))])
        let renew = a.handle(.tick, at: .seconds(2))
        let lease = try #require(written(renew))
        #expect(renew == [.update(lease), .waitUntil(.seconds(10))])
        #expect(lease.metadata.resourceVersion == store.lease?.metadata.resourceVersion)
        #expect(lease.spec?.holderIdentity == "a")
        #expect(lease.spec?.acquireTime == store.lease?.spec?.acquireTime)
        #expect(lease.spec?.renewTime == KubeTime(a.wallClock(at: .seconds(2)), precision: .microseconds))
        #expect(lease.spec?.leaseTransitions == 0)
        // The deadline now runs from when this renewal was sent.
        #expect(a.handle(store.perform(renew), at: .milliseconds(2_500)) == [.waitUntil(.milliseconds(4_500))])
        #expect(a.handle(.tick, at: .milliseconds(4_500)).first.flatMap(Self.request) == "update")
        #expect(a.handle(.tick, at: .milliseconds(11_999)) == [.waitUntil(.seconds(12))])
        #expect(a.state.isLeading)
        #expect(a.handle(.tick, at: .seconds(12)) == [.stopLeading])
    }

    @Test func aRenewalThatMissesTheDeadlineStopsLeadingAtOnceAndAFailedAnswerLaterChangesNothing() {
        var (a, _) = leader("a")
        #expect(a.handle(.tick, at: .seconds(2)).first.flatMap(Self.request) == "update")
        // The renewal hangs: the leader still leads just before the deadline and stops exactly at it.
        #expect(a.handle(.tick, at: .milliseconds(9_999)) == [.waitUntil(.seconds(10))])
        #expect(a.state.isLeading)
        #expect(a.handle(.tick, at: .seconds(10)) == [.stopLeading])
        #expect(!a.state.isLeading)
        // Stepped down, it waits for the hung request rather than sending another.
        #expect(a.handle(.tick, at: .seconds(11)) == [])
        // The failed fast-path renewal falls back to a read at once; a failed read waits a jittered period.
        #expect(a.handle(.writeFailed, at: .seconds(11)) == [.get])
        #expect(a.handle(.readFailed, at: .seconds(12), random: 0.5) == [.waitUntil(.milliseconds(15_200))])
        #expect(!a.state.isLeading)
        #expect(a.handle(.tick, at: .milliseconds(15_200)) == [.get])
    }

    @Test func aRenewalAnsweredOnlyAfterItsOwnDeadlineDoesNotLeadButTheLeaseIsReclaimedWithoutWaiting() throws {
        var (a, store) = leader("a")
        let renew = a.handle(.tick, at: .seconds(2))
        #expect(a.handle(.tick, at: .seconds(10)) == [.stopLeading])
        // Applied, but answered 10 s after it was sent: it proves nothing about now.
        let answer = store.perform(renew)
        #expect(a.handle(answer, at: .seconds(12)) == [.waitUntil(.seconds(14))])
        #expect(!a.state.isLeading)
        #expect(a.state.observedHolder == "a")
        #expect(a.handle(.tick, at: .seconds(14)) == [.get])
        // The Lease names this process, so it renews at once instead of waiting the lease out.
        let reclaim = a.handle(store.get(), at: .milliseconds(14_100))
        let lease = try #require(written(reclaim))
        #expect(reclaim == [.update(lease)])
        #expect(lease.spec?.leaseTransitions == 0)
        #expect(a.handle(store.perform(reclaim), at: .milliseconds(14_200)) == [.startLeading, .waitUntil(.milliseconds(16_200))])
    }

    @Test func failedRenewalsFallBackToReadingThenRetryOnThePeriodUntilTheDeadline() throws {
        var (a, store) = leader("a")
        #expect(a.handle(.tick, at: .seconds(2)).first.flatMap(Self.request) == "update")
        // client-go's fast path failed: read at once, then retry on the period (no jitter for a leader).
        #expect(a.handle(.writeFailed, at: .milliseconds(2_100)) == [.get, .waitUntil(.seconds(10))])
        #expect(a.handle(.readFailed, at: .milliseconds(2_200), random: 0.9) == [.waitUntil(.milliseconds(4_200))])
        #expect(a.handle(.tick, at: .milliseconds(4_200)) == [.get, .waitUntil(.seconds(10))])
        let renew = a.handle(store.get(), at: .milliseconds(4_300))
        let lease = try #require(written(renew))
        #expect(renew == [.update(lease), .waitUntil(.seconds(10))])
        #expect(lease.metadata.resourceVersion == store.lease?.metadata.resourceVersion)
        #expect(a.handle(store.perform(renew), at: .milliseconds(4_400)) == [.waitUntil(.milliseconds(6_400))])
        #expect(a.state.isLeading)
        #expect(a.handle(.tick, at: .milliseconds(14_299)).last == .waitUntil(.milliseconds(14_300)))
        #expect(a.handle(.writeFailed, at: .milliseconds(14_299)) == [.get, .waitUntil(.milliseconds(14_300))])
        #expect(a.handle(.tick, at: .milliseconds(14_300)) == [.stopLeading])
    }

    @Test func aLeaderThatFindsAnotherHolderStopsAtOnce() {
        var (a, store) = leader("a")
        store.write(holder: "intruder", wallClock: epoch)
        let renew = a.handle(.tick, at: .seconds(2))
        #expect(a.handle(store.perform(renew), at: .milliseconds(2_100)) == [.get, .waitUntil(.seconds(10))])
        #expect(a.handle(store.get(), at: .milliseconds(2_200), random: 0) == [.stopLeading, .waitUntil(.milliseconds(4_200))])
        #expect(!a.state.isLeading)
        #expect(a.state.observedHolder == "intruder")
    }

    @Test func aDeletedLeaseIsCreatedAgainWithoutLosingLeadership() throws {
        var (a, store) = leader("a")
        store.delete()
        let renew = a.handle(.tick, at: .seconds(2))
        // 404 on the update.
        #expect(a.handle(store.perform(renew), at: .milliseconds(2_100)) == [.get, .waitUntil(.seconds(10))])
        let create = a.handle(store.get(), at: .milliseconds(2_200))
        let lease = try #require(written(create))
        #expect(create == [.create(lease), .waitUntil(.seconds(10))])
        #expect(a.handle(store.perform(create), at: .milliseconds(2_300)) == [.waitUntil(.milliseconds(4_300))])
        #expect(a.state.isLeading)
    }

    @Test func renewalsChangeTheRecordEvenWhenTheWallClockStandsStill() throws {
        var (a, store) = leader("a")
        a.frozenWallClock = epoch
        let first = a.handle(.tick, at: .seconds(2))
        #expect(a.handle(store.perform(first), at: .milliseconds(2_100)).contains(.startLeading) == false)
        let second = a.handle(.tick, at: .milliseconds(4_100))
        let renewed = try #require(written(second))
        let before = try #require(store.lease)
        #expect(renewed.spec?.renewTime != before.spec?.renewTime)
        // The store, like the API server, keeps the resourceVersion of an update that changes nothing.
        guard case .writeSucceeded(let after) = store.perform(second) else {
            Issue.record("the renewal was not accepted")
            return
        }
        #expect(after.metadata.resourceVersion != before.metadata.resourceVersion)
    }

    // MARK: Taking over

    @Test func aCandidateWaitsTheLeaseDurationOnItsOwnClockHoweverOldTheRenewTimeLooks() throws {
        var store = LeaseStore()
        // Renewed an hour ago by the holder's wall clock: skewed, or long dead; only our own clock counts.
        store.write(holder: "b", wallClock: epoch.addingTimeInterval(-3_600), transitions: 3)
        var a = Candidate("a")
        #expect(a.handle(.tick, at: .seconds(100)) == [.get])
        #expect(a.handle(store.get(), at: .seconds(100)) == [.waitUntil(.seconds(102))])
        #expect(a.state.observedHolder == "b")
        var now = Duration.seconds(102)
        while now < .seconds(114) {
            #expect(a.handle(.tick, at: now) == [.get])
            #expect(a.handle(store.get(), at: now) == [.waitUntil(now + .seconds(2))])
            now += .seconds(2)
        }
        // The read sent at 114 s: answered just before the lease duration has passed since 100 s, it waits;
        // answered at 115 s, it takes over.
        #expect(a.handle(.tick, at: .seconds(114)) == [.get])
        var early = a
        #expect(early.handle(store.get(), at: .milliseconds(114_999)) == [.waitUntil(.milliseconds(116_999))])
        let takeover = a.handle(store.get(), at: .seconds(115))
        let lease = try #require(written(takeover))
        #expect(takeover == [.update(lease)])
        let now115 = KubeTime(a.wallClock(at: .seconds(115)), precision: .microseconds)
        #expect(lease.spec == LeaseSpec(
            holderIdentity: "a", leaseDurationSeconds: 15, acquireTime: now115, renewTime: now115, leaseTransitions: 4))
        #expect(lease.metadata.resourceVersion == store.lease?.metadata.resourceVersion)
        #expect(a.handle(store.perform(takeover), at: .milliseconds(115_100)) == [.startLeading, .waitUntil(.milliseconds(117_100))])
    }

    @Test func aRenewTimeInTheFutureDoesNotDelayATakeover() throws {
        var store = LeaseStore()
        store.write(holder: "b", wallClock: epoch.addingTimeInterval(3_600))
        var a = Candidate("a")
        _ = a.handle(.tick, at: .zero)
        #expect(a.handle(store.get(), at: .zero) == [.waitUntil(.seconds(2))])
        _ = a.handle(.tick, at: .seconds(15))
        #expect(written(a.handle(store.get(), at: .seconds(15)))?.spec?.holderIdentity == "a")
    }

    @Test func everyChangeToTheRecordRestartsTheWait() {
        var store = LeaseStore()
        store.write(holder: "b", wallClock: epoch)
        var a = Candidate("a")
        _ = a.handle(.tick, at: .zero)
        _ = a.handle(store.get(), at: .zero)
        store.write(holder: "b", wallClock: epoch.addingTimeInterval(10))
        _ = a.handle(.tick, at: .seconds(12))
        #expect(a.handle(store.get(), at: .seconds(12)) == [.waitUntil(.seconds(14))])
        // 15 s after the first sighting, but only 3 s after the renewal was seen.
        _ = a.handle(.tick, at: .seconds(15))
        #expect(a.handle(store.get(), at: .seconds(15)) == [.waitUntil(.seconds(17))])
        #expect(a.handle(.tick, at: .seconds(26)) == [.get])
        var early = a
        #expect(early.handle(store.get(), at: .milliseconds(26_999)) == [.waitUntil(.milliseconds(28_999))])
        #expect(written(a.handle(store.get(), at: .seconds(27)))?.spec?.holderIdentity == "a")
    }

    @Test func theLeaseDurationWrittenInTheRecordDecidesExpiryAndOursStandsInWhenItIsMissing() {
        var store = LeaseStore()
        store.write(holder: "b", wallClock: epoch, leaseDurationSeconds: 30)
        var a = Candidate("a")
        _ = a.handle(.tick, at: .zero)
        _ = a.handle(store.get(), at: .zero)
        #expect(a.handle(.tick, at: .seconds(29)) == [.get])
        var early = a
        #expect(early.handle(store.get(), at: .milliseconds(29_999)) == [.waitUntil(.milliseconds(31_999))])
        #expect(written(a.handle(store.get(), at: .seconds(30)))?.spec?.holderIdentity == "a")

        var unlabelled = LeaseStore()
        unlabelled.write(holder: "b", wallClock: epoch, leaseDurationSeconds: nil)
        var c = Candidate("c")
        _ = c.handle(.tick, at: .zero)
        _ = c.handle(unlabelled.get(), at: .zero)
        #expect(c.handle(.tick, at: .seconds(14)) == [.get])
        var earlyC = c
        #expect(earlyC.handle(unlabelled.get(), at: .milliseconds(14_999)) == [.waitUntil(.milliseconds(16_999))])
        #expect(written(c.handle(unlabelled.get(), at: .seconds(15))) != nil)
    }

    @Test func theLeaseIsTakenOverAfterItsHolderCrashesWhenItExpiresOnTheSuccessorsClock() throws {
        // a leads from 0 s, then crashes silently: it never sends another request.
        var (_, store) = leader("a")
        // b's monotonic clock has another origin and its wall clock runs 4 s ahead.
        var b = Candidate("b", wallSkew: 4)
        let origin = Duration.seconds(5_000)
        #expect(b.handle(.tick, at: origin + .milliseconds(300)) == [.get])
        #expect(b.handle(store.get(), at: origin + .milliseconds(300), random: 0) == [.waitUntil(origin + .milliseconds(2_300))])
        var now = origin + .milliseconds(2_300)
        var takeover: [LeaderElectionAction] = []
        // Bounded, so a machine that never takes over fails instead of hanging.
        for _ in 0..<30 where takeover.isEmpty {
            #expect(b.handle(.tick, at: now) == [.get])
            let answer = b.handle(store.get(), at: now, random: 0)
            if written(answer) != nil { takeover = answer } else { now += .seconds(2) }
        }
        #expect(now == origin + .milliseconds(16_300))
        let lease = try #require(written(takeover))
        #expect(lease.spec?.leaseTransitions == 1)
        #expect(lease.spec?.acquireTime == KubeTime(b.wallClock(at: now), precision: .microseconds))
        #expect(b.handle(store.perform(takeover), at: now + .milliseconds(100)).first == .startLeading)
        #expect(store.lease?.spec?.holderIdentity == "b")
    }

    @Test func aReleasedLeaseIsTakenAtOnce() {
        var store = LeaseStore()
        store.write(holder: "", wallClock: epoch, leaseDurationSeconds: 1)
        var a = Candidate("a")
        _ = a.handle(.tick, at: .zero)
        #expect(written(a.handle(store.get(), at: .zero))?.spec?.holderIdentity == "a")
    }

    @Test func whenTwoCandidatesCreateAtOnceTheLoserRetriesAfterAJitteredPeriodAndWaits() {
        var store = LeaseStore()
        var a = Candidate("a")
        var b = Candidate("b")
        _ = a.handle(.tick, at: .zero)
        _ = b.handle(.tick, at: .zero)
        let createA = a.handle(.notFound, at: .milliseconds(10))
        let createB = b.handle(.notFound, at: .milliseconds(20))
        #expect(a.handle(store.perform(createA), at: .milliseconds(30)).first == .startLeading)
        // AlreadyExists: a period of 2 s stretched by 1.2 × 0.5.
        #expect(b.handle(store.perform(createB), at: .milliseconds(40), random: 0.5) == [.waitUntil(.milliseconds(3_240))])
        #expect(!b.state.isLeading)
        #expect(b.handle(.tick, at: .milliseconds(3_240)) == [.get])
        #expect(b.handle(store.get(), at: .milliseconds(3_250), random: 0.5) == [.waitUntil(.milliseconds(6_450))])
        #expect(b.state.observedHolder == "a")
    }

    // MARK: Renewal racing a takeover

    @Test(arguments: [true, false])
    func aRenewalRacingATakeoverLetsExactlyOneWinAndTheLoserDoesNotLead(renewalLandsFirst: Bool) throws {
        var (a, store) = leader("a")
        var b = Candidate("b", wallSkew: -3)
        _ = b.handle(.tick, at: .milliseconds(500))
        _ = b.handle(store.get(), at: .milliseconds(500))
        // a's renewals never arrive (a partition towards the server), so it stops at its deadline.
        var now = Duration.seconds(2)
        while a.state.isLeading, now < .seconds(30) {
            for action in a.handle(.tick, at: now) where Self.request(action) != nil {
                _ = a.handle(action == .get ? .readFailed : .writeFailed, at: now)
            }
            now += .milliseconds(500)
        }
        #expect(now == .milliseconds(10_500))
        // The partition heals. Both read the unchanged record: b because 15 s passed since it saw it, a because
        // it names a. Both send an update preconditioned on the same resourceVersion.
        _ = a.handle(.tick, at: .seconds(16))
        _ = b.handle(.tick, at: .seconds(16))
        let renewal = try #require(written(a.handle(store.get(), at: .seconds(16))))
        let takeover = try #require(written(b.handle(store.get(), at: .seconds(16))))
        #expect(renewal.metadata.resourceVersion == takeover.metadata.resourceVersion)
        #expect(takeover.spec?.leaseTransitions == 1)
        let answers: (renewal: LeaderElectionEvent, takeover: LeaderElectionEvent)
        if renewalLandsFirst {
            let first = store.update(renewal)
            answers = (first, store.update(takeover))
        } else {
            let first = store.update(takeover)
            answers = (store.update(renewal), first)
        }
        #expect((answers.renewal == .writeConflicted) == !renewalLandsFirst)
        #expect((answers.takeover == .writeConflicted) == renewalLandsFirst)
        let leading = (
            a: a.handle(answers.renewal, at: .milliseconds(16_100)), b: b.handle(answers.takeover, at: .milliseconds(16_100))
        )
        #expect(leading.a.contains(.startLeading) == renewalLandsFirst)
        #expect(leading.b.contains(.startLeading) == !renewalLandsFirst)
        #expect(a.state.isLeading != b.state.isLeading)
        #expect(store.lease?.spec?.holderIdentity == (renewalLandsFirst ? "a" : "b"))
        // The loser reads the winner's record and, having just seen it change, waits a full lease duration.
        var loser = renewalLandsFirst ? b : a
        #expect(loser.handle(.tick, at: .seconds(20)) == [.get])
        #expect(loser.handle(store.get(), at: .seconds(20), random: 0) == [.waitUntil(.seconds(22))])
    }

    // MARK: Releasing

    @Test func aGracefulShutdownStopsLeadingThenClearsTheHolderSoASuccessorTakesOverAtOnce() throws {
        var (a, store) = leader("a")
        var b = Candidate("b")
        _ = b.handle(.tick, at: .milliseconds(500))
        _ = b.handle(store.get(), at: .milliseconds(500))
        let shutdown = a.handle(.shutdown, at: .seconds(5))
        let release = try #require(written(shutdown))
        #expect(shutdown == [.stopLeading, .update(release)])
        #expect(!a.state.isLeading)
        let now5 = KubeTime(a.wallClock(at: .seconds(5)), precision: .microseconds)
        #expect(release.spec == LeaseSpec(
            holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now5, renewTime: now5, leaseTransitions: 0))
        #expect(release.metadata.resourceVersion == store.lease?.metadata.resourceVersion)
        #expect(a.handle(store.perform(shutdown), at: .milliseconds(5_100)) == [.released])
        #expect(a.state.isReleased)
        #expect(a.handle(.tick, at: .seconds(6)) == [])
        #expect(a.handle(.shutdown, at: .seconds(6)) == [])
        // b saw a's record 5.5 s ago; the empty holder lets it take over without waiting the lease out.
        _ = b.handle(.tick, at: .seconds(6))
        let takeover = b.handle(store.get(), at: .seconds(6))
        #expect(written(takeover)?.spec?.leaseTransitions == 1)
        #expect(b.handle(store.perform(takeover), at: .milliseconds(6_100)).first == .startLeading)
    }

    @Test func aShutdownDuringARenewalWaitsForItsAnswerBeforeReleasing() throws {
        var (a, store) = leader("a")
        let renew = a.handle(.tick, at: .seconds(2))
        #expect(a.handle(.shutdown, at: .milliseconds(2_100)) == [.stopLeading])
        let renewed = store.perform(renew)
        let release = a.handle(renewed, at: .milliseconds(2_200))
        let lease = try #require(written(release))
        #expect(release == [.update(lease)])
        // The precondition is the renewal's new resourceVersion, not the one before it.
        #expect(lease.metadata.resourceVersion == store.lease?.metadata.resourceVersion)
        #expect(lease.spec?.holderIdentity == "")
        #expect(!a.state.isLeading)
        // Someone wrote in between: the Lease is no longer ours to release.
        #expect(a.handle(.writeConflicted, at: .milliseconds(2_300)) == [.released])
    }

    @Test func aCandidateThatHoldsNothingIsReleasedAtOnce() {
        var fresh = Candidate("a")
        #expect(fresh.handle(.shutdown, at: .zero) == [.released])

        var store = LeaseStore()
        store.write(holder: "b", wallClock: epoch)
        var waiting = Candidate("a")
        _ = waiting.handle(.tick, at: .zero)
        _ = waiting.handle(store.get(), at: .zero)
        #expect(waiting.handle(.shutdown, at: .seconds(1)) == [.released])

        // A read in flight is answered first: it could show this process as the holder.
        var reading = Candidate("a")
        _ = reading.handle(.tick, at: .zero)
        #expect(reading.handle(.shutdown, at: .seconds(1)) == [])
        #expect(reading.handle(store.get(), at: .seconds(2)) == [.released])
    }

    @Test func resultsNobodyAskedForAreIgnored() throws {
        var store = LeaseStore()
        var a = Candidate("a")
        #expect(a.handle(.tick, at: .zero) == [.get])
        let bogus = Lease(metadata: ObjectMeta(name: "operator", namespace: "demo", resourceVersion: "9"))
        #expect(a.handle(.writeSucceeded(bogus), at: .milliseconds(10)) == [])
        #expect(a.handle(.writeConflicted, at: .milliseconds(20)) == [])
        #expect(!a.state.isLeading)
        #expect(a.state.observedHolder == nil)
        let create = a.handle(store.get(), at: .milliseconds(30))
        #expect(written(create)?.metadata.resourceVersion == nil)
        #expect(a.handle(.observed(bogus), at: .milliseconds(40)) == [])
        #expect(a.handle(store.perform(create), at: .milliseconds(50)).first == .startLeading)
    }

    // MARK: Two or more instances, skewed clocks, random interleavings

    @Test(arguments: 1...24)
    func instancesWithSkewedClocksNeverLeadAtTheSameTime(seed: Int) {
        var simulation = Simulation(seed: UInt64(seed))
        simulation.run(for: .seconds(1_800))
        #expect(!simulation.stalled, "seed \(seed)")
        #expect(simulation.overlaps == [], "seed \(seed)")
        #expect(simulation.leadersNotHoldingTheLease == [], "seed \(seed)")
        // Safety alone would pass for instances that never lead: leadership must also move between them.
        #expect(simulation.terms >= 3, "seed \(seed)")
        #expect(simulation.leadIdentities.count >= 2, "seed \(seed)")
        #expect(simulation.timeWithALeader >= .seconds(600), "seed \(seed)")
    }

    // MARK: Helpers

    private static func request(_ action: LeaderElectionAction) -> String? {
        switch action {
        case .get: "get"
        case .create: "create"
        case .update: "update"
        default: nil
        }
    }

    /// A candidate that created the Lease and leads since 0 s.
    private func leader(_ identity: String) -> (Candidate, LeaseStore) {
        var store = LeaseStore()
        var candidate = Candidate(identity)
        _ = candidate.handle(.tick, at: .zero)
        let create = candidate.handle(store.get(), at: .zero)
        let started = candidate.handle(store.perform(create), at: .zero)
        #expect(started == [.startLeading, .waitUntil(.seconds(2))])
        return (candidate, store)
    }
}

/// The wall clock all candidates share, before their skew.
private let epoch = Date(timeIntervalSince1970: 1_700_000_000)

private func configuration(_ identity: String) -> LeaderElectionConfiguration {
    // Valid by construction: the defaults with a name.
    try! LeaderElectionConfiguration(identity: identity, leaseNamespace: "demo", leaseName: "operator")
}

/// The Lease a create or update action carries.
private func written(_ actions: [LeaderElectionAction]) -> Lease? {
    for action in actions {
        switch action {
        case .create(let lease), .update(let lease): return lease
        default: continue
        }
    }
    return nil
}

/// One machine with its own wall clock: `epoch` plus the monotonic time plus a skew.
private struct Candidate {
    var state: LeaderElectionState
    var wallSkew: TimeInterval
    /// A wall clock that does not move, when set.
    var frozenWallClock: Date?

    init(_ identity: String, wallSkew: TimeInterval = 0) {
        self.state = LeaderElectionState(configuration: configuration(identity))
        self.wallSkew = wallSkew
    }

    func wallClock(at now: Duration) -> Date {
        frozenWallClock ?? epoch.addingTimeInterval(seconds(now) + wallSkew)
    }

    mutating func handle(_ event: LeaderElectionEvent, at now: Duration, random: Double = 0) -> [LeaderElectionAction] {
        state.handle(event, now: now, wallClock: wallClock(at: now), random: random)
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A Lease store with the API server's concurrency rules: creates fail when the Lease exists, updates
/// when their `resourceVersion` is not the current one, and an update that changes nothing keeps the version.
private struct LeaseStore {
    private(set) var lease: Lease?
    private var version = 0

    func get() -> LeaderElectionEvent {
        lease.map { .observed($0) } ?? .notFound
    }

    /// Performs the first request among the actions and answers it.
    mutating func perform(_ actions: [LeaderElectionAction]) -> LeaderElectionEvent {
        for action in actions {
            switch action {
            case .get: return get()
            case .create(let new): return create(new)
            case .update(let new): return update(new)
            default: continue
            }
        }
        Issue.record("no request among \(actions)")
        return .readFailed
    }

    mutating func create(_ new: Lease) -> LeaderElectionEvent {
        guard lease == nil else { return .writeConflicted }
        return store(new)
    }

    mutating func update(_ new: Lease) -> LeaderElectionEvent {
        // 404: reported to the machine as a failed write.
        guard let current = lease else { return .writeFailed }
        guard new.metadata.resourceVersion == current.metadata.resourceVersion else { return .writeConflicted }
        if new.spec == current.spec { return .writeSucceeded(current) }
        return store(new)
    }

    /// A write by someone outside the test's machines.
    mutating func write(
        holder: String, wallClock: Date, leaseDurationSeconds: Int32? = 15, transitions: Int32 = 0
    ) {
        let time = KubeTime(wallClock, precision: .microseconds)
        var new = lease ?? Lease(metadata: ObjectMeta(name: "operator", namespace: "demo"))
        new.spec = LeaseSpec(
            holderIdentity: holder, leaseDurationSeconds: leaseDurationSeconds, acquireTime: time, renewTime: time,
            leaseTransitions: transitions)
        _ = store(new)
    }

    mutating func delete() {
        lease = nil
    }

    private mutating func store(_ new: Lease) -> LeaderElectionEvent {
        version += 1
        var stored = new
        stored.metadata.resourceVersion = String(version)
        lease = stored
        return .writeSucceeded(stored)
    }
}

/// SplitMix64: seeded, so a failing interleaving replays from its seed.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double.random(in: 0..<1, using: &self) }
}

/// Instances against one ``LeaseStore`` in simulated time: each with its own monotonic origin and a wall clock
/// skewed by up to 5 s, requests and answers delayed at random (sometimes past the renew deadline), failures,
/// partitions, crashes, graceful shutdowns and replacements. Records every moment two instances lead at once.
private struct Simulation {
    private struct Instance {
        var state: LeaderElectionState
        var monotonicOrigin: Duration
        var wallSkew: TimeInterval
        var alive = true
        var leading = false
        var shuttingDown = false
        var tickGeneration = 0
        var failureRate = 0.02
    }

    private enum Happening {
        /// A tick asked for with `waitUntil` (`generation`), or a spurious one (`nil`).
        case tick(Int, generation: Int?)
        case requestArrives(Int, LeaderElectionAction)
        case answerArrives(Int, LeaderElectionEvent)
        case disruption
        case heal(Int)
        case spawn
    }

    private var random: SeededGenerator
    private var now = Duration.zero
    private var order = 0
    private var agenda: [(at: Duration, order: Int, happening: Happening)] = []
    private var instances: [Instance] = []
    private var store = LeaseStore()

    private(set) var overlaps: [String] = []
    private(set) var leadersNotHoldingTheLease: [String] = []
    private(set) var terms = 0
    private(set) var leadIdentities: Set<String> = []
    private(set) var timeWithALeader = Duration.zero
    private(set) var stalled = false

    init(seed: UInt64) {
        random = SeededGenerator(state: seed)
    }

    mutating func run(for length: Duration) {
        spawn()
        spawn()
        schedule(.disruption, at: .seconds(random.unit() * 60 + 20))
        var happenings = 0
        while let next = popEarliest(), next.at <= length {
            happenings += 1
            // A machine that keeps asking for ticks in the past would spin at one instant forever.
            guard happenings < 500_000 else {
                stalled = true
                return
            }
            if instances.contains(where: \.leading) { timeWithALeader += next.at - now }
            now = next.at
            happen(next.happening)
        }
    }

    private mutating func happen(_ happening: Happening) {
        switch happening {
        case .tick(let index, let generation):
            guard generation == nil || generation == instances[index].tickGeneration else { return }
            deliver(.tick, to: index)
        case .requestArrives(let index, let action):
            serve(action, from: index)
        case .answerArrives(let index, let event):
            deliver(event, to: index)
        case .disruption:
            disrupt()
            schedule(.disruption, at: now + .seconds(random.unit() * 40 + 10))
        case .heal(let index):
            instances[index].failureRate = 0.02
        case .spawn:
            spawn()
        }
    }

    private mutating func spawn() {
        let index = instances.count
        instances.append(
            Instance(
                state: LeaderElectionState(configuration: configuration("instance-\(index)")),
                monotonicOrigin: .seconds(random.unit() * 10_000), wallSkew: random.unit() * 10 - 5))
        schedule(.tick(index, generation: nil), at: now + .seconds(random.unit() * 3))
    }

    /// Crashes, shuts down or cuts off a running instance, the leader more often than not.
    private mutating func disrupt() {
        let running = instances.indices.filter { instances[$0].alive && !instances[$0].shuttingDown }
        guard !running.isEmpty else { return }
        let leaders = running.filter { instances[$0].leading }
        let index = (random.unit() < 0.8 ? leaders.randomElement(using: &random) : nil)
            ?? running.randomElement(using: &random)!
        switch random.unit() {
        case ..<0.25:
            // The process dies: it stops reconciling with it, but requests it sent may still land.
            instances[index].alive = false
            instances[index].leading = false
            schedule(.spawn, at: now + .seconds(random.unit() * 20))
        case ..<0.5:
            instances[index].shuttingDown = true
            deliver(.shutdown, to: index)
        default:
            // Cut off (every request fails) or flaky, for long enough to miss the deadline more often than not.
            instances[index].failureRate = random.unit() < 0.7 ? 1 : 0.6
            schedule(.heal(index), at: now + .seconds(random.unit() * 35 + 5))
        }
    }

    private mutating func deliver(_ event: LeaderElectionEvent, to index: Int) {
        guard instances[index].alive else { return }
        let local = now + instances[index].monotonicOrigin
        let wallClock = epoch.addingTimeInterval(seconds(now) + instances[index].wallSkew)
        let actions = instances[index].state.handle(event, now: local, wallClock: wallClock, random: random.unit())
        for action in actions {
            switch action {
            case .get, .create, .update:
                schedule(.requestArrives(index, action), at: now + latency())
            case .startLeading:
                startLeading(index)
            case .stopLeading:
                instances[index].leading = false
            case .waitUntil(let time):
                instances[index].tickGeneration += 1
                let at = max(now, time - instances[index].monotonicOrigin)
                schedule(.tick(index, generation: instances[index].tickGeneration), at: at)
            case .released:
                instances[index].alive = false
                schedule(.spawn, at: now + .seconds(random.unit() * 20))
            }
        }
        if random.unit() < 0.05 { schedule(.tick(index, generation: nil), at: now + .seconds(random.unit() * 3)) }
    }

    private mutating func startLeading(_ index: Int) {
        let identity = "instance-\(index)"
        if let other = instances.indices.first(where: { $0 != index && instances[$0].alive && instances[$0].leading }) {
            overlaps.append("instance-\(other) and \(identity) lead at \(now)")
        }
        if store.lease?.spec?.holderIdentity != identity {
            leadersNotHoldingTheLease.append("\(identity) leads at \(now) while \(store.lease?.spec?.holderIdentity ?? "nobody") holds the lease")
        }
        instances[index].leading = true
        terms += 1
        leadIdentities.insert(identity)
    }

    /// Applies a request at the store. A failing instance's request is lost on the way in, or applied with its
    /// answer lost on the way back; either way the instance hears of a failure.
    private mutating func serve(_ action: LeaderElectionAction, from index: Int) {
        let draw = random.unit()
        let failureRate = instances[index].failureRate
        let answer: LeaderElectionEvent
        if draw < failureRate / 2 {
            answer = action == .get ? .readFailed : .writeFailed
        } else {
            let applied = store.perform([action])
            answer = draw < failureRate ? (action == .get ? .readFailed : .writeFailed) : applied
        }
        schedule(.answerArrives(index, answer), at: now + latency())
    }

    /// Mostly quick, sometimes slow, now and then longer than the renew deadline.
    private mutating func latency() -> Duration {
        let draw = random.unit()
        let seconds =
            switch draw {
            case ..<0.5: random.unit() * 0.02
            case ..<0.9: random.unit() * 0.8
            case ..<0.98: 0.8 + random.unit() * 3.2
            default: 4 + random.unit() * 8
            }
        return .seconds(seconds)
    }

    private mutating func schedule(_ happening: Happening, at time: Duration) {
        order += 1
        agenda.append((time, order, happening))
    }

    private mutating func popEarliest() -> (at: Duration, order: Int, happening: Happening)? {
        guard let index = agenda.indices.min(by: { (agenda[$0].at, agenda[$0].order) < (agenda[$1].at, agenda[$1].order) })
        else { return nil }
        return agenda.remove(at: index)
    }
}
