import KubeCore
import Testing

@testable import KubeRuntime

/// The list-then-watch loop: paged lists emitted whole, resuming from the last version, relisting on 410,
/// and a backoff that grows on failures and resets once a watch is healthy.
@Suite struct WatcherStateMachineTests {
    typealias Machine = WatcherStateMachine<ConfigMap>
    typealias Action = WatcherAction<ConfigMap>

    static func configMap(_ name: String, version: String?) -> ConfigMap {
        ConfigMap(metadata: ObjectMeta(name: name, namespace: "demo", resourceVersion: version))
    }

    static let defaults = WatcherConfiguration()
    static let firstPage = Action.list(defaults.firstPageOptions())
    static func watch(from version: String) -> Action { .watch(defaults.watchOptions(from: version)) }

    /// A machine that listed `objects` in one page at `version` and whose watch started at time zero.
    static func watching(_ objects: [ConfigMap] = [], at version: String = "10", configuration: WatcherConfiguration = defaults) -> Machine {
        var machine = Machine(configuration: configuration)
        _ = machine.handle(.start, at: .zero, random: 0)
        _ = machine.handle(.listPage(items: objects, continueToken: nil, resourceVersion: version), at: .zero, random: 0)
        _ = machine.handle(.watchStarted, at: .zero, random: 0)
        return machine
    }

    static let transport = WatcherFailure(.transport, message: "connection reset")
    static let expired = WatcherFailure(.expired, message: "too old resource version")

    @Test func aPagedListIsBufferedAndEmittedWholeThenWatchedFromItsVersion() {
        var machine = Machine()
        #expect(machine.phase == .idle)
        #expect(machine.handle(.start, at: .zero, random: 0) == [Self.firstPage])
        #expect(Self.defaults.firstPageOptions() == ListOptions(limit: 500))
        let a = Self.configMap("a", version: "7"), b = Self.configMap("b", version: "9")
        let next = machine.handle(.listPage(items: [a], continueToken: "page-2", resourceVersion: "10"), at: .zero, random: 0)
        #expect(next == [.list(ListOptions(limit: 500, continue: "page-2"))])
        #expect(machine.phase == .listing(pagesReceived: 1))
        let done = machine.handle(.listPage(items: [b], continueToken: "", resourceVersion: "10"), at: .zero, random: 0)
        #expect(done == [.emit(.restarted([a, b])), Self.watch(from: "10")])
        #expect(machine.phase == .startingWatch(resourceVersion: "10"))
        #expect(machine.handle(.watchStarted, at: .seconds(1), random: 0) == [])
        #expect(machine.phase == .watching(resourceVersion: "10"))
    }

    @Test func selectorsPageSizeTimeoutAndBookmarksAreCarriedOnEveryRequest() {
        let configuration = WatcherConfiguration(
            labelSelector: "app=node", fieldSelector: "metadata.name=genesis", pageSize: 2, timeoutSeconds: 60,
            allowBookmarks: false, listSemantic: .any)
        var machine = Machine(configuration: configuration)
        let first = ListOptions(labelSelector: "app=node", fieldSelector: "metadata.name=genesis", resourceVersion: "0", limit: 2)
        #expect(machine.handle(.start, at: .zero, random: 0) == [.list(first)])
        // A continue token pins the version, so the following page names none.
        let second = ListOptions(labelSelector: "app=node", fieldSelector: "metadata.name=genesis", limit: 2, continue: "c")
        #expect(machine.handle(.listPage(items: [], continueToken: "c", resourceVersion: "5"), at: .zero, random: 0) == [.list(second)])
        let watch = WatchOptions(
            labelSelector: "app=node", fieldSelector: "metadata.name=genesis", resourceVersion: "5", timeoutSeconds: 60)
        #expect(machine.handle(.listPage(items: [], continueToken: nil, resourceVersion: "5"), at: .zero, random: 0) == [.emit(.restarted([])), .watch(watch)])
        #expect(Self.defaults.watchOptions(from: "5") == WatchOptions(resourceVersion: "5", timeoutSeconds: 290, allowWatchBookmarks: true))
    }

    @Test func watchEventsAreEmittedAndTheWatchResumesFromTheLastVersionAfterACleanEnd() {
        var machine = Self.watching()
        let a1 = Self.configMap("a", version: "11"), a2 = Self.configMap("a", version: "12"), a3 = Self.configMap("a", version: "13")
        #expect(machine.handle(.watchEvent(.added(a1)), at: .seconds(1), random: 0) == [.emit(.applied(a1))])
        #expect(machine.handle(.watchEvent(.modified(a2)), at: .seconds(2), random: 0) == [.emit(.applied(a2))])
        #expect(machine.handle(.watchEvent(.deleted(a3)), at: .seconds(3), random: 0) == [.emit(.deleted(a3))])
        #expect(machine.phase == .watching(resourceVersion: "13"))
        #expect(machine.handle(.watchEnded, at: .seconds(290), random: 0) == [Self.watch(from: "13")])
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func aBookmarkWithNoObjectsAdvancesTheVersionWithoutEmittingAnything() {
        var machine = Self.watching()
        let bookmark = Bookmark(kind: "ConfigMap", metadata: .init(resourceVersion: "42"))
        #expect(machine.handle(.watchEvent(.bookmark(bookmark)), at: .seconds(60), random: 0) == [])
        #expect(machine.phase == .watching(resourceVersion: "42"))
        // A bookmark without a version keeps the one the watcher had.
        #expect(machine.handle(.watchEvent(.bookmark(Bookmark())), at: .seconds(61), random: 0) == [])
        #expect(machine.phase == .watching(resourceVersion: "42"))
        // The bookmark resumes the next watch, even after the stream broke.
        #expect(machine.handle(.watchFailed(Self.transport), at: .seconds(62), random: 0) == [.failed(Self.transport), .waitBackoff(.milliseconds(800))])
        #expect(machine.handle(.backoffElapsed, at: .seconds(63), random: 0) == [Self.watch(from: "42")])
    }

    @Test func aWatchThatClosesAtOnceWithoutEventsBacksOffBeforeResuming() {
        var machine = Self.watching()
        let actions = machine.handle(.watchEnded, at: .milliseconds(200), random: 0)
        #expect(actions.count == 2)
        guard case .failed(let failure) = actions.first else { Issue.record("expected a failure, got \(actions)"); return }
        #expect(failure.reason == .shortWatch)
        #expect(actions.last == .waitBackoff(.milliseconds(800)))
        #expect(machine.phase == .backingOff(then: .watch(resourceVersion: "10")))
        #expect(machine.handle(.backoffElapsed, at: .seconds(1), random: 0) == [Self.watch(from: "10")])
        // A quiet watch that lasted past the threshold is a normal end.
        _ = machine.handle(.watchStarted, at: .seconds(1), random: 0)
        #expect(machine.handle(.watchEnded, at: .seconds(2), random: 0) == [Self.watch(from: "10")])
    }

    @Test func aBrokenOrRefusedWatchBacksOffWithGrowingJitteredDelaysAndResumes() {
        var machine = Self.watching()
        #expect(machine.handle(.watchFailed(Self.transport), at: .seconds(5), random: 0) == [.failed(Self.transport), .waitBackoff(.milliseconds(800))])
        #expect(machine.phase == .backingOff(then: .watch(resourceVersion: "10")))
        #expect(machine.handle(.backoffElapsed, at: .seconds(6), random: 0) == [Self.watch(from: "10")])
        // The watch is refused this time; the jitter places the delay within 1.6–3.2 s.
        let forbidden = WatcherFailure(.forbidden, message: "RBAC")
        #expect(machine.handle(.watchFailed(forbidden), at: .seconds(7), random: 0.5) == [.failed(forbidden), .waitBackoff(.milliseconds(2_400))])
        #expect(machine.consecutiveFailures == 2)
        #expect(machine.handle(.backoffElapsed, at: .seconds(10), random: 0) == [Self.watch(from: "10")])
    }

    @Test func aServerRetryAfterLongerThanTheBackoffIsHonoured() {
        var machine = Self.watching()
        let throttled = WatcherFailure(.throttled, message: "slow down", retryAfter: .seconds(10))
        #expect(machine.handle(.watchFailed(throttled), at: .seconds(5), random: 0) == [.failed(throttled), .waitBackoff(.seconds(10))])
    }

    @Test func a410OnTheWatchRelistsAtOnce() {
        var machine = Self.watching([Self.configMap("a", version: "3")])
        _ = machine.handle(.watchEvent(.modified(Self.configMap("a", version: "11"))), at: .seconds(1), random: 0)
        #expect(machine.handle(.watchFailed(Self.expired), at: .seconds(2), random: 0) == [.failed(Self.expired), Self.firstPage])
        #expect(machine.phase == .listing(pagesReceived: 0))
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func anErrorEventWithCode410InsideTheStreamRelistsAtOnce() {
        var machine = Self.watching()
        _ = machine.handle(.watchEvent(.bookmark(Bookmark(metadata: .init(resourceVersion: "20")))), at: .seconds(1), random: 0)
        let status = Status(status: "Failure", message: "too old resource version: 10 (20)", reason: "Expired", code: 410)
        let actions = machine.handle(.watchEvent(.error(status)), at: .seconds(2), random: 0)
        #expect(actions == [.failed(WatcherFailure(status)), Self.firstPage])
        #expect(WatcherFailure(status).isExpired)
    }

    @Test func anErrorEventWithAnotherCodeBacksOffAndResumesTheWatch() {
        var machine = Self.watching()
        let status = Status(status: "Failure", message: "etcd leader changed", code: 500)
        let actions = machine.handle(.watchEvent(.error(status)), at: .seconds(2), random: 0)
        #expect(actions == [.failed(WatcherFailure(status)), .waitBackoff(.milliseconds(800))])
        #expect(WatcherFailure(status).reason == .serverError)
        // Events still read from the abandoned stream are ignored.
        #expect(machine.handle(.watchEvent(.added(Self.configMap("late", version: "30"))), at: .seconds(2), random: 0) == [])
        #expect(machine.handle(.backoffElapsed, at: .seconds(3), random: 0) == [Self.watch(from: "10")])
    }

    @Test func a410MidRelistDropsTheBufferedPagesAndListsAgainFromTheFirstPage() {
        var machine = Machine()
        _ = machine.handle(.start, at: .zero, random: 0)
        let stale = Self.configMap("stale", version: "4")
        _ = machine.handle(.listPage(items: [stale], continueToken: "page-2", resourceVersion: "5"), at: .zero, random: 0)
        // The continue token expired before the second page was read.
        #expect(machine.handle(.listFailed(Self.expired), at: .seconds(1), random: 0) == [.failed(Self.expired), Self.firstPage])
        let fresh = Self.configMap("fresh", version: "8")
        let done = machine.handle(.listPage(items: [fresh], continueToken: nil, resourceVersion: "9"), at: .seconds(1), random: 0)
        #expect(done == [.emit(.restarted([fresh])), Self.watch(from: "9")])
    }

    @Test func otherListFailuresBackOffAndRestartTheListFromTheFirstPage() {
        var machine = Machine()
        _ = machine.handle(.start, at: .zero, random: 0)
        _ = machine.handle(.listPage(items: [Self.configMap("a", version: "4")], continueToken: "page-2", resourceVersion: "5"), at: .zero, random: 0)
        let failure = WatcherFailure(.serverError, message: "HTTP 503")
        #expect(machine.handle(.listFailed(failure), at: .seconds(1), random: 0) == [.failed(failure), .waitBackoff(.milliseconds(800))])
        #expect(machine.phase == .backingOff(then: .freshList))
        #expect(machine.handle(.backoffElapsed, at: .seconds(2), random: 0) == [Self.firstPage])
        let b = Self.configMap("b", version: "6")
        #expect(machine.handle(.listPage(items: [b], continueToken: nil, resourceVersion: "7"), at: .seconds(2), random: 0) == [.emit(.restarted([b])), Self.watch(from: "7")])
    }

    @Test func aSecond410BeforeTheWatcherIsHealthyAgainBacksOffBeforeRelisting() {
        var machine = Self.watching()
        #expect(machine.handle(.watchFailed(Self.expired), at: .seconds(1), random: 0) == [.failed(Self.expired), Self.firstPage])
        _ = machine.handle(.listPage(items: [], continueToken: nil, resourceVersion: "20"), at: .seconds(1), random: 0)
        _ = machine.handle(.watchStarted, at: .seconds(1), random: 0)
        #expect(machine.handle(.watchFailed(Self.expired), at: .seconds(2), random: 0) == [.failed(Self.expired), .waitBackoff(.milliseconds(800))])
        #expect(machine.phase == .backingOff(then: .freshList))
        #expect(machine.handle(.backoffElapsed, at: .seconds(3), random: 0) == [Self.firstPage])
        // Once a watch delivered something, a 410 relists at once again.
        _ = machine.handle(.listPage(items: [], continueToken: nil, resourceVersion: "30"), at: .seconds(3), random: 0)
        _ = machine.handle(.watchStarted, at: .seconds(3), random: 0)
        _ = machine.handle(.watchEvent(.added(Self.configMap("a", version: "31"))), at: .seconds(4), random: 0)
        #expect(machine.handle(.watchFailed(Self.expired), at: .seconds(5), random: 0) == [.failed(Self.expired), Self.firstPage])
    }

    @Test func theBackoffResetsOnceAWatchDeliversAnEvent() {
        var machine = Self.watching()
        var delays: [Duration] = []
        for second in 1...3 {
            let actions = machine.handle(.watchFailed(Self.transport), at: .seconds(second), random: 0)
            if case .waitBackoff(let delay) = actions.last { delays.append(delay) }
            _ = machine.handle(.backoffElapsed, at: .seconds(second), random: 0)
        }
        #expect(delays == [.milliseconds(800), .milliseconds(1_600), .milliseconds(3_200)])
        _ = machine.handle(.watchStarted, at: .seconds(10), random: 0)
        _ = machine.handle(.watchEvent(.added(Self.configMap("a", version: "11"))), at: .seconds(11), random: 0)
        #expect(machine.consecutiveFailures == 0)
        #expect(machine.handle(.watchFailed(Self.transport), at: .seconds(12), random: 0).last == .waitBackoff(.milliseconds(800)))
    }

    @Test func theBackoffResetsWhenAQuietWatchStayedUpForTheResetInterval() {
        var machine = Self.watching()
        _ = machine.handle(.watchFailed(Self.transport), at: .seconds(1), random: 0)
        _ = machine.handle(.backoffElapsed, at: .seconds(2), random: 0)
        _ = machine.handle(.watchStarted, at: .seconds(2), random: 0)
        // Up for 119 s, just short of the 120 s reset interval: the delay keeps growing.
        #expect(machine.handle(.watchFailed(Self.transport), at: .seconds(121), random: 0).last == .waitBackoff(.milliseconds(1_600)))
        _ = machine.handle(.backoffElapsed, at: .seconds(123), random: 0)
        _ = machine.handle(.watchStarted, at: .seconds(123), random: 0)
        #expect(machine.handle(.watchFailed(Self.transport), at: .seconds(243), random: 0).last == .waitBackoff(.milliseconds(800)))
        // A quiet watch that ended cleanly after the interval resets it too.
        _ = machine.handle(.backoffElapsed, at: .seconds(244), random: 0)
        _ = machine.handle(.watchStarted, at: .seconds(244), random: 0)
        #expect(machine.consecutiveFailures == 1)
        #expect(machine.handle(.watchEnded, at: .seconds(534), random: 0) == [Self.watch(from: "10")])
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func aCompletedListAloneDoesNotResetTheBackoff() {
        var machine = Machine()
        let failure = WatcherFailure(.serverError, message: "HTTP 500")
        _ = machine.handle(.start, at: .zero, random: 0)
        _ = machine.handle(.listFailed(failure), at: .zero, random: 0)
        _ = machine.handle(.backoffElapsed, at: .seconds(1), random: 0)
        _ = machine.handle(.listPage(items: [], continueToken: nil, resourceVersion: "5"), at: .seconds(1), random: 0)
        let forbidden = WatcherFailure(.forbidden, message: "cannot watch")
        #expect(machine.handle(.watchFailed(forbidden), at: .seconds(1), random: 0) == [.failed(forbidden), .waitBackoff(.milliseconds(1_600))])
    }

    @Test func aListOrEventWithoutAResourceVersionBacksOffAndListsAfresh() {
        var machine = Machine()
        _ = machine.handle(.start, at: .zero, random: 0)
        let actions = machine.handle(.listPage(items: [Self.configMap("a", version: "1")], continueToken: nil, resourceVersion: nil), at: .zero, random: 0)
        guard case .failed(let failure) = actions.first else { Issue.record("expected a failure, got \(actions)"); return }
        #expect(failure.reason == .missingResourceVersion)
        #expect(actions.last == .waitBackoff(.milliseconds(800)))
        #expect(machine.phase == .backingOff(then: .freshList))

        var watching = Self.watching()
        let unversioned = watching.handle(.watchEvent(.added(Self.configMap("a", version: nil))), at: .seconds(1), random: 0)
        #expect(unversioned.count == 2)
        #expect(unversioned.contains { if case .emit = $0 { true } else { false } } == false)
        #expect(watching.phase == .backingOff(then: .freshList))
    }

    @Test func aDeleteMissedWhileDisconnectedIsAbsentFromTheRelistAndLeavesTheCache() {
        let a = Self.configMap("a", version: "3"), b = Self.configMap("b", version: "4")
        var machine = Self.watching([a, b])
        var store = ReflectorStore<ConfigMap>()
        store.apply(.restarted([a, b]))
        _ = machine.handle(.watchEvent(.bookmark(Bookmark(metadata: .init(resourceVersion: "12")))), at: .seconds(30), random: 0)
        _ = machine.handle(.watchFailed(Self.transport), at: .seconds(31), random: 0)
        _ = machine.handle(.backoffElapsed, at: .seconds(32), random: 0)
        // While disconnected, b was deleted and the history compacted past version 12.
        #expect(machine.handle(.watchFailed(Self.expired), at: .seconds(32), random: 0) == [.failed(Self.expired), Self.firstPage])
        let actions = machine.handle(.listPage(items: [a], continueToken: nil, resourceVersion: "50"), at: .seconds(33), random: 0)
        #expect(actions == [.emit(.restarted([a])), Self.watch(from: "50")])
        guard case .emit(let event) = actions.first else { return }
        #expect(store.apply(event) == [.removed(b)])
        #expect(store.list() == [a])
    }

    @Test func inputsThatDoNotFitThePhaseChangeNothing() {
        var machine = Machine()
        #expect(machine.handle(.watchEvent(.added(Self.configMap("a", version: "1"))), at: .zero, random: 0) == [])
        #expect(machine.handle(.backoffElapsed, at: .zero, random: 0) == [])
        #expect(machine.phase == .idle)
        _ = machine.handle(.start, at: .zero, random: 0)
        #expect(machine.handle(.start, at: .zero, random: 0) == [])
        #expect(machine.handle(.watchStarted, at: .zero, random: 0) == [])
        #expect(machine.handle(.watchEnded, at: .zero, random: 0) == [])
        #expect(machine.phase == .listing(pagesReceived: 0))
        _ = machine.handle(.listFailed(Self.transport), at: .zero, random: 0)
        #expect(machine.handle(.listPage(items: [], continueToken: nil, resourceVersion: "1"), at: .zero, random: 0) == [])
        #expect(machine.handle(.watchFailed(Self.transport), at: .zero, random: 0) == [])
        #expect(machine.phase == .backingOff(then: .freshList))
        #expect(machine.consecutiveFailures == 1)
    }

    @Test func anObjectListPageBecomesAListPageInput() {
        let a = Self.configMap("a", version: "1")
        let page = ObjectList(metadata: ListMeta(resourceVersion: "2", continue: "next"), items: [a])
        #expect(WatcherInput.listPage(page) == .listPage(items: [a], continueToken: "next", resourceVersion: "2"))
    }

    @Test func statusesMapToFailureReasons() {
        #expect(WatcherFailure(Status(reason: "Expired")).reason == .expired)
        #expect(WatcherFailure(Status(reason: "Gone", code: 410)).reason == .expired)
        #expect(WatcherFailure(Status(code: 401)).reason == .unauthorized)
        #expect(WatcherFailure(Status(code: 403)).reason == .forbidden)
        #expect(WatcherFailure(Status(code: 404)).reason == .notFound)
        #expect(WatcherFailure(Status(code: 422)).reason == .rejected)
        #expect(WatcherFailure(Status(code: 503)).reason == .serverError)
        #expect(WatcherFailure(Status(message: "no code")).reason == .serverError)
        let throttled = WatcherFailure(Status(details: StatusDetails(retryAfterSeconds: 7), code: 429))
        #expect(throttled.reason == .throttled)
        #expect(throttled.retryAfter == .seconds(7))
        #expect(throttled.description.hasPrefix("throttled: "))
    }
}
