import Foundation

/// One event of a watch stream: `{"type": "ADDED", "object": {...}}`.
///
/// An `ERROR` event carries a ``Status`` instead of an object. When ``requiresRelist`` is true (a
/// 410 `Expired`/`Gone`), the resource version the watch started from has been compacted: the
/// caller must list again and watch from the new list's resource version, or it will miss changes.
public enum WatchEvent<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    /// The object as it was just before deletion.
    case deleted(Object)
    /// Only the resource version advanced; requested with `allowWatchBookmarks`.
    case bookmark(Bookmark)
    case error(Status)

    /// The object of an `ADDED`, `MODIFIED` or `DELETED` event.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark, .error: nil
        }
    }

    /// Whether this is an `ERROR` saying the watch's resource version is too old (HTTP 410).
    public var requiresRelist: Bool {
        if case .error(let status) = self { return status.isGone }
        return false
    }

    /// Decodes one line of a watch stream.
    ///
    /// - Parameters:
    ///   - line: One JSON document, as produced by ``WatchLineSplitter``.
    ///   - decoder: The decoder to use.
    /// - Returns: The event.
    /// - Throws: ``KubeCoreError`` with code `invalidWatchEvent` naming the problem (an unknown
    ///   `type`, a missing `object`, or an object that does not decode as `Object`) and the start of
    ///   the offending line.
    public static func decode(_ line: Data, using decoder: JSONDecoder = JSONDecoder()) throws(KubeCoreError) -> WatchEvent {
        do {
            return try decoder.decode(WatchEvent.self, from: line)
        } catch {
            let excerpt = String(decoding: line.prefix(200), as: UTF8.self)
            throw .invalidWatchEvent("\(Self.explain(error)) in line: \(excerpt)\(line.count > 200 ? "…" : "")")
        }
    }

    private static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        switch error {
        case .dataCorrupted(let context):
            return pathed(context, context.debugDescription)
        case .keyNotFound(let key, let context):
            return pathed(context, "missing key \"\(key.stringValue)\"")
        case .typeMismatch(let type, let context):
            return pathed(context, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return pathed(context, "expected \(type) but found null")
        @unknown default:
            return String(describing: error)
        }
    }

    private static func pathed(_ context: DecodingError.Context, _ message: String) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? message : "\(path): \(message)"
    }
}

extension WatchEvent: Decodable {
    private enum CodingKeys: String, CodingKey {
        case type, object
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .added(try container.decode(PreservingDecoding<Object>.self, forKey: .object).value)
        case "MODIFIED": self = .modified(try container.decode(PreservingDecoding<Object>.self, forKey: .object).value)
        case "DELETED": self = .deleted(try container.decode(PreservingDecoding<Object>.self, forKey: .object).value)
        case "BOOKMARK": self = .bookmark(try container.decode(Bookmark.self, forKey: .object))
        case "ERROR": self = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown watch event type \"\(type)\" (expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)")
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}

/// The object of a `BOOKMARK` event: only the kind and a resource version are meaningful.
public struct Bookmark: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: Metadata

    /// The metadata of a bookmark.
    public struct Metadata: Codable, Hashable, Sendable {
        /// Resume the watch from here.
        public var resourceVersion: String?
        public var annotations: [String: String]?

        public init(resourceVersion: String? = nil, annotations: [String: String]? = nil) {
            self.resourceVersion = resourceVersion
            self.annotations = annotations
        }
    }

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: Metadata = Metadata()) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
    }

    /// Whether this bookmark ends the initial events of a streaming list (`sendInitialEvents`).
    public var isInitialEventsEnd: Bool {
        metadata.annotations?["k8s.io/initial-events-end"] == "true"
    }
}
