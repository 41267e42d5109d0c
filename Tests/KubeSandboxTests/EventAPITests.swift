import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// The two Event APIs share one storage, as on a kube-apiserver: an event written through
/// `events.k8s.io/v1` is read, selected and patched through core `v1` under its core names, and the
/// other way round; each API validates writes by its own rules.
@Suite struct EventAPITests {
    static let coreEvents = ResourceDescriptor(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
    static let events = ResourceDescriptor(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true)

    static func recorded(_ name: String, namespace: String, regarding: String = "web") -> Event {
        Event(
            metadata: ObjectMeta(name: name, namespace: namespace), eventTime: KubeTime(Date(), precision: .microseconds),
            reportingController: "example.com/operator", reportingInstance: "operator-0", action: "Scale", reason: "Scaled",
            regarding: ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: regarding),
            note: "scaled to 3", type: "Normal")
    }

    @Test func anEventRecordedThroughEventsAPIReadsThroughCoreAndBack() async throws {
        try await TestCluster.run { cluster in
            let created = try await cluster.client.create(Self.recorded("web.1", namespace: cluster.namespace))
            #expect(created.note == "scaled to 3" && created.regarding?.name == "web")

            let core = try await cluster.client.get(Self.coreEvents, name: "web.1", namespace: cluster.namespace)
            #expect(core[member: "apiVersion"] == "v1")
            #expect(core[member: "message"] == "scaled to 3" && core[member: "note"] == nil)
            #expect(core.value(atPath: "involvedObject.name") == "web" && core[member: "regarding"] == nil)
            #expect(core[member: "reportingComponent"] == "example.com/operator" && core[member: "reportingInstance"] == "operator-0")
            #expect(core.value(atPath: "metadata.resourceVersion") == .string(created.metadata.resourceVersion ?? ""))

            // kubectl describe finds an object's events with this selector on the core API.
            let selector = "involvedObject.kind=Deployment,involvedObject.name=web,involvedObject.namespace=\(cluster.namespace)"
            let found = try await cluster.client.list(Self.coreEvents, namespace: cluster.namespace, options: ListOptions(fieldSelector: selector))
            #expect(found.items.map { $0.value(atPath: "metadata.name") } == ["web.1"])

            // Through the newer API, with its own field labels.
            let listed = try await cluster.client.list(
                Self.events, namespace: cluster.namespace, options: ListOptions(fieldSelector: "regarding.name=web,reportingController=example.com/operator"))
            #expect(listed.items.count == 1)
            #expect(listed.items.first?[member: "note"] == "scaled to 3")
            let none = try await cluster.client.list(Self.events, namespace: cluster.namespace, options: ListOptions(fieldSelector: "regarding.name=db"))
            #expect(none.items.isEmpty)
        }
    }

    @Test func aCoreEventReadsThroughEventsAPIUnderItsDeprecatedNames() async throws {
        try await TestCluster.run { cluster in
            let now = KubeTime(Date()).rfc3339
            let event: JSONValue = [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "pod.1", "namespace": .string(cluster.namespace)],
                "involvedObject": ["kind": "Pod", "name": "pod", "namespace": .string(cluster.namespace)],
                "reason": "BackOff", "message": "Back-off restarting", "type": "Warning", "count": 3,
                "firstTimestamp": .string(now), "lastTimestamp": .string(now), "source": ["component": "kubelet"],
            ]
            _ = try await cluster.client.create(Self.coreEvents, namespace: cluster.namespace, object: event)
            let read = try await cluster.client.get(Self.events, name: "pod.1", namespace: cluster.namespace)
            #expect(read[member: "apiVersion"] == "events.k8s.io/v1")
            #expect(read[member: "note"] == "Back-off restarting" && read.value(atPath: "regarding.name") == "pod")
            #expect(read[member: "deprecatedCount"] == 3 && read.value(atPath: "deprecatedSource.component") == "kubelet")
            #expect(read[member: "deprecatedFirstTimestamp"] == .string(now) && read[member: "count"] == nil)

            // A merge patch in the newer API's names lands on the core fields (the core API allows
            // changing them; the newer one does not, see below).
            let core = try await cluster.client.patch(
                Self.coreEvents, name: "pod.1", namespace: cluster.namespace, patch: .merge(["count": 4]))
            #expect(core[member: "count"] == 4)
        }
    }

    @Test func eachAPIValidatesByItsOwnRules() async throws {
        try await TestCluster.run { cluster in
            // The newer API requires eventTime and the reporting fields, and leaves the deprecated ones unset.
            var untimed = Self.recorded("bad.1", namespace: cluster.namespace)
            untimed.eventTime = nil
            untimed.type = "Info"
            let error = await #expect(throws: KubeError.self) { _ = try await cluster.client.create(untimed) }
            #expect(error?.code == .invalid)
            let message = error?.status?.message ?? ""
            #expect(message.hasPrefix("Event.events.k8s.io \"bad.1\" is invalid"), "\(message)")
            #expect(message.contains("eventTime: Required value") && message.contains("type: Invalid value: \"\": has invalid value: Info"), "\(message)")
            var actionless = Self.recorded("bad.2", namespace: cluster.namespace)
            actionless.action = nil
            let noAction = await #expect(throws: KubeError.self) { _ = try await cluster.client.create(actionless) }
            #expect(noAction?.status?.message == "Event.events.k8s.io \"bad.2\" is invalid: action: Required value")

            // Through the newer API a recorded event's note may not change; its series may.
            _ = try await cluster.client.create(Self.recorded("ok.1", namespace: cluster.namespace))
            let changedNote = await #expect(throws: KubeError.self) {
                _ = try await cluster.client.patch(Self.events, name: "ok.1", namespace: cluster.namespace, patch: .merge(["note": "other"]))
            }
            #expect(changedNote?.code == .invalid)
            #expect(changedNote?.status?.message?.contains("message: Invalid value") ?? false, "\(changedNote?.status?.message ?? "")")
            let series = try await cluster.client.patch(
                Self.events, name: "ok.1", namespace: cluster.namespace,
                patch: .merge(["series": ["count": 2, "lastObservedTime": .string(KubeTime(Date(), precision: .microseconds).rfc3339)]]))
            #expect(series.value(atPath: "series.count") == 2 && series[member: "note"] == "scaled to 3")

            // The core API keeps its legacy rules only: an event without eventTime is fine.
            let legacy: JSONValue = [
                "metadata": ["name": "legacy.1"], "involvedObject": ["kind": "Pod", "name": "p", "namespace": .string(cluster.namespace)],
                "reason": "Started", "message": "started",
            ]
            _ = try await cluster.client.create(Self.coreEvents, namespace: cluster.namespace, object: legacy)
            // ... but its namespace must be the involved object's.
            let elsewhere: JSONValue = [
                "metadata": ["name": "legacy.2"], "involvedObject": ["kind": "Pod", "name": "p", "namespace": "other"], "reason": "Started",
            ]
            let mismatch = await #expect(throws: KubeError.self) {
                _ = try await cluster.client.create(Self.coreEvents, namespace: cluster.namespace, object: elsewhere)
            }
            #expect(mismatch?.status?.message?.contains("involvedObject.namespace: Invalid value: \"other\": does not match event.namespace") ?? false)
        }
    }

    @Test func errorsNameTheResourceAndFieldLabelsOfTheAPIAsked() async throws {
        try await TestCluster.run { cluster in
            let missing = await #expect(throws: KubeError.self) {
                _ = try await cluster.client.get(Self.events, name: "absent", namespace: cluster.namespace)
            }
            #expect(missing?.status?.message == "events.events.k8s.io \"absent\" not found")
            #expect(missing?.status?.details?.group == "events.k8s.io")
            let coreMissing = await #expect(throws: KubeError.self) {
                _ = try await cluster.client.get(Self.coreEvents, name: "absent", namespace: cluster.namespace)
            }
            #expect(coreMissing?.status?.message == "events \"absent\" not found")

            // Core labels are not the newer API's.
            let label = await #expect(throws: KubeError.self) {
                _ = try await cluster.client.list(Self.events, namespace: cluster.namespace, options: ListOptions(fieldSelector: "involvedObject.name=web"))
            }
            #expect(label?.code == .badRequest)
            #expect(label?.status?.message?.contains("field label not supported: involvedObject.name") ?? false)
            // The core API selects by source and reporting component.
            _ = try await cluster.client.list(Self.coreEvents, namespace: cluster.namespace, options: ListOptions(fieldSelector: "source=kubelet,reportingComponent=x"))
        }
    }

    @Test func aWatchOnOneAPISeesEventsWrittenThroughTheOther() async throws {
        try await TestCluster.run { cluster in
            let start = try await cluster.client.listPage(Self.events, namespace: cluster.namespace)
            let stream = try await cluster.client.watch(
                Self.events, namespace: cluster.namespace, options: WatchOptions(resourceVersion: start.metadata.resourceVersion, timeoutSeconds: 30))
            let legacy: JSONValue = [
                "metadata": ["name": "seen.1"], "involvedObject": ["kind": "Pod", "name": "p", "namespace": .string(cluster.namespace)],
                "reason": "Started", "message": "started",
            ]
            _ = try await cluster.client.create(Self.coreEvents, namespace: cluster.namespace, object: legacy)
            var received: JSONValue?
            for try await event in stream {
                guard case .added(let object) = event else { continue }
                received = object
                break
            }
            #expect(received?[member: "apiVersion"] == "events.k8s.io/v1" && received?[member: "note"] == "started")
            #expect(received?.value(atPath: "regarding.name") == "p")
        }
    }

    @Test func conversionRenamesTopLevelFieldsBothWaysAndDropsTheOtherAPIsNames() {
        let events: JSONValue = [
            "apiVersion": "events.k8s.io/v1", "note": "n", "regarding": ["name": "x"], "deprecatedCount": 2, "message": "unknown here",
        ]
        let core = EventConversion.toCore(events)
        #expect(core == ["apiVersion": "v1", "message": "n", "involvedObject": ["name": "x"], "count": 2])
        #expect(EventConversion.toEvents(core) == ["apiVersion": "events.k8s.io/v1", "note": "n", "regarding": ["name": "x"], "deprecatedCount": 2])
        let patch: JSONValue = [["op": "replace", "path": "/regarding/name", "value": "y"], ["op": "test", "path": "/reason", "value": "r"]]
        #expect(
            EventConversion.jsonPatchToCore(patch)
                == [["op": "replace", "path": "/involvedObject/name", "value": "y"], ["op": "test", "path": "/reason", "value": "r"]])
        #expect(EventConversion.strategicPatchToCore(["$retainKeys": ["note", "reason"]]) == ["$retainKeys": ["message", "reason"]])
    }
}
