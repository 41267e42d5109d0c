import Foundation
import KubeClient
import KubeCore
import Logging
import Synchronization

/// Writes events for a controller without ever holding it up: ``record(_:)`` only queues (dropping the
/// oldest when more than ``bufferLimit`` wait), and ``run()`` writes them, aggregating repeats into
/// series. It writes `events.k8s.io/v1` Events and falls back to core `v1` Events on a server that does
/// not serve the newer API. A failed write is logged and dropped: an event is never worth failing a
/// reconcile over.
public final class EventRecorder: Sendable {
    /// How many events may wait to be written.
    public let bufferLimit: Int
    private let client: KubeClient
    private let reportingController: String
    private let reportingInstance: String
    private let logger: Logger
    private let stream: AsyncStream<(EventRecord, Date)>
    private let continuation: AsyncStream<(EventRecord, Date)>.Continuation

    /// - Parameters:
    ///   - reportingController: The controller's name (`hierachain.io/subchain-operator`).
    ///   - reportingInstance: This instance (its pod name).
    public init(
        client: KubeClient, reportingController: String, reportingInstance: String, bufferLimit: Int = 1_000,
        logger: Logger = Logger(label: "kube-runtime.events")
    ) {
        self.client = client
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.bufferLimit = bufferLimit
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: (EventRecord, Date).self, bufferingPolicy: .bufferingNewest(bufferLimit))
    }

    /// Queues an event; returns at once.
    public func record(_ event: EventRecord) {
        continuation.yield((event, Date()))
    }

    /// Writes queued events until the calling task is cancelled.
    public func run() async {
        var aggregator = EventAggregator()
        var useCoreEvents = false
        let cancelled = Mutex(false)
        await withTaskCancellationHandler {
            for await (event, time) in stream {
                if cancelled.withLock({ $0 }) { break }
                let write = aggregator.record(event, now: time)
                do {
                    try await perform(write, event, time: time, useCoreEvents: &useCoreEvents)
                } catch let error as KubeError where error.code == .notFound && !isCreate(write) {
                    // The series' Event is gone (deleted, or its create was lost): start the series again.
                    aggregator.forget(event)
                    do {
                        try await perform(aggregator.record(event, now: time), event, time: time, useCoreEvents: &useCoreEvents)
                    } catch {
                        aggregator.forget(event)
                    }
                } catch {
                    // Not counted into a series whose Event does not exist.
                    if isCreate(write) { aggregator.forget(event) }
                    logger.debug("event dropped", metadata: ["reason": "\(event.reason)", "error": "\(error)"])
                }
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
            continuation.finish()
        }
    }

    /// Writes through `events.k8s.io`, or core `v1` once the server has shown it lacks the newer API.
    private func perform(_ write: EventAggregator.Write, _ event: EventRecord, time: Date, useCoreEvents: inout Bool) async throws {
        if !useCoreEvents {
            do {
                try await writeEvent(write, event, time: time)
                return
            } catch let error as KubeError where error.code == .notFound && isCreate(write) {
                // The server serves no events.k8s.io: record through core v1 from now on.
                useCoreEvents = true
            }
        }
        try await writeCoreEvent(write, event, time: time)
    }

    private func isCreate(_ write: EventAggregator.Write) -> Bool {
        if case .create = write { return true }
        return false
    }

    private func writeEvent(_ write: EventAggregator.Write, _ event: EventRecord, time: Date) async throws {
        switch write {
        case .create(let name, let namespace):
            let object = Event(
                metadata: ObjectMeta(name: name, namespace: namespace), eventTime: KubeTime(time, precision: .microseconds),
                reportingController: reportingController, reportingInstance: reportingInstance, action: event.action,
                reason: event.reason, regarding: event.regarding, note: event.note, type: event.kind.rawValue)
            _ = try await client.create(object)
        case .updateSeries(let name, let namespace, let count, let last):
            let series: JSONValue = [
                "series": ["count": .integer(Int64(count)), "lastObservedTime": .string(KubeTime(last, precision: .microseconds).rfc3339)]
            ]
            _ = try await client.patch(Event.self, name: name, namespace: namespace, patch: .merge(series))
        }
    }

    private static let coreEvents = ResourceDescriptor(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)

    private func writeCoreEvent(_ write: EventAggregator.Write, _ event: EventRecord, time: Date) async throws {
        let timestamp = JSONValue.string(KubeTime(time).rfc3339)
        switch write {
        case .create(let name, let namespace):
            let reference = try JSONValue(encoding: event.regarding)
            let object: JSONValue = [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "involvedObject": reference, "reason": .string(event.reason), "message": .string(event.note),
                "type": .string(event.kind.rawValue), "action": .string(event.action), "count": 1,
                "firstTimestamp": timestamp, "lastTimestamp": timestamp,
                "source": ["component": .string(reportingController)],
                "reportingComponent": .string(reportingController), "reportingInstance": .string(reportingInstance),
            ]
            _ = try await client.create(Self.coreEvents, namespace: namespace, object: object)
        case .updateSeries(let name, let namespace, let count, _):
            _ = try await client.patch(
                Self.coreEvents, name: name, namespace: namespace, patch: .merge(["count": .integer(Int64(count)), "lastTimestamp": timestamp]))
        }
    }
}
