import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import KubeTestSupport
import Testing

@testable import KubeRuntime

/// Events as client-go's recorder writes them: repeats within six minutes counted into a series, a
/// write queue that never holds up the caller.
@Suite struct EventRecorderTests {
    private let reference = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "settings", uid: "u-1")

    @Test func repeatsWithinTheWindowCountIntoOneSeriesAndLaterOnesStartAnew() {
        var aggregator = EventAggregator()
        let event = EventRecord(regarding: reference, reason: "Synced", action: "Reconcile", note: "all good")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        guard case .create(let name, let namespace) = aggregator.record(event, now: start) else {
            Issue.record("the first occurrence was not a create")
            return
        }
        #expect(name.hasPrefix("settings."))
        #expect(namespace == "default")
        #expect(aggregator.record(event, now: start + 60) == .updateSeries(name: name, namespace: "default", count: 2, lastObserved: start + 60))
        // Another note is another event.
        var other = event
        other.note = "something else"
        guard case .create = aggregator.record(other, now: start + 61) else {
            Issue.record("a different note joined the series")
            return
        }
        // Six minutes after the last occurrence the series is over.
        guard case .create(let later, _) = aggregator.record(event, now: start + 60 + 361) else {
            Issue.record("an expired series was continued")
            return
        }
        #expect(later != name)
    }

    @Test func recordedEventsReachTheServerAggregated() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            let recorder = EventRecorder(client: client, reportingController: "example.com/test-controller", reportingInstance: "test-0")
            let runner = Task { await recorder.run() }
            var regarding = reference
            regarding.namespace = namespace
            let event = EventRecord(regarding: regarding, kind: .warning, reason: "Failed", action: "Reconcile", note: "quota exceeded")
            recorder.record(event)
            recorder.record(event)
            recorder.record(event)
            let deadline = ContinuousClock.now + .seconds(20)
            var events: [Event] = []
            while ContinuousClock.now < deadline {
                events = try await client.list(Event.self, namespace: namespace).items.filter { $0.reason == "Failed" }
                if events.first?.series?.count == 3 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(events.count == 1)
            #expect(events.first?.series?.count == 3)
            #expect(events.first?.type == "Warning")
            #expect(events.first?.regarding?.name == "settings")
            #expect(events.first?.reportingController == "example.com/test-controller")
            runner.cancel()
            _ = await runner.value
        }
    }

    @Test func aServerWithoutEventsAPIGetsCoreEventsCountedInPlace() async throws {
        let connection = try await SandboxConnection.start()
        let client = connection.client
        // The sandbox answers the first events.k8s.io create with 404, as a server that does not serve
        // the group: the recorder writes core v1 Events from then on.
        try connection.server.sandbox.injectFailures(FaultPlan.Rule(verb: "create", pathPrefix: "/apis/events.k8s.io/", status: 404))
        let recorder = EventRecorder(client: client, reportingController: "example.com/test-controller", reportingInstance: "test-0")
        let runner = Task { await recorder.run() }
        let event = EventRecord(regarding: reference, reason: "Synced", action: "Reconcile", note: "in core")
        recorder.record(event)
        recorder.record(event)
        let core = ResourceDescriptor(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
        var found: [JSONValue] = []
        try await eventually {
            found = (try? await client.list(core, namespace: "default").items.filter { $0["reason"] == "Synced" }) ?? []
            return found.first?["count"] == 2
        }
        #expect(found.count == 1)
        #expect(found.first?["message"] == "in core")
        #expect(found.first?["involvedObject"]?["name"] == "settings")
        #expect(found.first?["source"]?["component"] == "example.com/test-controller")
        #expect(found.first?["reportingComponent"] == "example.com/test-controller")
        runner.cancel()
        _ = await runner.value
        await connection.stop()
    }
}
