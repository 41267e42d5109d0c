import Foundation

/// A Kubernetes timestamp (`metav1.Time` or `metav1.MicroTime`), kept as the RFC 3339 string the API
/// server sent.
///
/// Keeping the string means a decoded object re-encodes byte-for-byte, which matters when it is sent
/// back in an update; ``date`` parses it on demand.
public struct KubeTime: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How many fractional digits to write when creating a timestamp from a `Date`.
    public enum Precision: Sendable {
        /// `2024-05-01T12:00:00Z`, as `metav1.Time` fields (creationTimestamp, conditions) use.
        case seconds
        /// `2024-05-01T12:00:00.000000Z`, as `metav1.MicroTime` fields (Lease renewTime, Event
        /// eventTime) require: the API server parses MicroTime with a layout of exactly six
        /// fractional digits.
        case microseconds
    }

    /// The RFC 3339 text.
    public let rfc3339: String

    /// Wraps an RFC 3339 string without validating it.
    ///
    /// - Parameter rfc3339: A timestamp such as `2024-05-01T12:00:00Z`.
    public init(rfc3339: String) {
        self.rfc3339 = rfc3339
    }

    /// Formats a date in UTC.
    ///
    /// - Parameters:
    ///   - date: The instant to format.
    ///   - precision: Whole seconds (`metav1.Time`) or microseconds (`metav1.MicroTime`).
    public init(_ date: Date, precision: Precision = .seconds) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
            + "T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))"
        if precision == .microseconds {
            let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
            text += ".\(pad(min(micros, 999_999), 6))"
        }
        self.rfc3339 = text + "Z"
    }

    /// The instant, or `nil` when the string is not valid RFC 3339.
    public var date: Date? {
        if let date = try? Date(rfc3339, strategy: .iso8601) { return date }
        return try? Date(rfc3339, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public var description: String { rfc3339 }

    public init(from decoder: any Decoder) throws {
        rfc3339 = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}
