import Foundation
import KubeCore

/// Decides whether an event is written anew or counted into the series of an identical one, as
/// client-go's `events.k8s.io` recorder does: an event like one recorded less than six minutes before
/// (same object, kind, reason, action and note) updates that event's series count and last time instead
/// of adding another. Pure: the caller passes the time.
public struct EventAggregator: Sendable {
    /// How long after its last occurrence an event can still be counted into.
    public var seriesWindow: Duration
    private var recent: [EventRecord: Entry] = [:]

    private struct Entry: Sendable {
        var name: String
        var namespace: String
        var count: Int32
        var last: Date
    }

    /// What to write for one occurrence.
    public enum Write: Sendable, Equatable {
        /// A new Event with this name.
        case create(name: String, namespace: String)
        /// The series of the Event with this name: its count and last time.
        case updateSeries(name: String, namespace: String, count: Int32, lastObserved: Date)
    }

    public init(seriesWindow: Duration = .seconds(360)) {
        self.seriesWindow = seriesWindow
    }

    /// The write for `record` happening at `now`.
    public mutating func record(_ record: EventRecord, now: Date) -> Write {
        forgetExpired(now: now)
        let namespace = record.regarding.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        if var entry = recent[record] {
            entry.count += 1
            entry.last = now
            recent[record] = entry
            return .updateSeries(name: entry.name, namespace: entry.namespace, count: entry.count, lastObserved: now)
        }
        // `<object>.<nanoseconds in hex>`, as client-go names events.
        let nanoseconds = UInt64(max(0, now.timeIntervalSince1970 * 1e9))
        let name = "\(record.regarding.name ?? "event").\(String(nanoseconds, radix: 16))"
        recent[record] = Entry(name: name, namespace: namespace, count: 1, last: now)
        return .create(name: name, namespace: namespace)
    }

    /// Forgets the series of `record`, so its next occurrence is written anew: after its Event could not
    /// be created, or was found gone when its series was updated.
    public mutating func forget(_ record: EventRecord) {
        recent[record] = nil
    }

    /// Events whose last occurrence is older than the window are written anew next time.
    private mutating func forgetExpired(now: Date) {
        let window = Double(seriesWindow.components.seconds)
        recent = recent.filter { now.timeIntervalSince($0.value.last) < window }
    }
}
