import Logging
import Synchronization

/// Collects log lines so tests can assert that a warning was emitted.
public final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A logger whose lines (level, message and metadata) land here.
    public var logger: Logger {
        Logger(label: "captured") { _ in Handler(log: self) }
    }

    /// Every line so far, as "level: message metadata".
    public var messages: [String] { lines.withLock { $0 } }

    /// Whether some line contains every one of `fragments`.
    public func contains(_ fragments: String...) -> Bool {
        messages.contains { line in fragments.allSatisfy { line.contains($0) } }
    }

    fileprivate func record(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.record("\(event.level): \(event.message) \(fields)")
        }
    }
}
