import AsyncHTTPClient
import Foundation
import KubeCore
import NIOCore

/// The events of one watch request, decoded as they arrive.
///
/// The response body is split into lines incrementally with ``KubeCore/WatchLineSplitter``; it is
/// never buffered whole, and the next chunk is read only when the consumer asks for the next event,
/// so a slow consumer slows the connection instead of growing memory.
///
/// Expected flow: iterate until the sequence ends (the server's `timeoutSeconds` elapsed, or the
/// server closed the watch cleanly), then watch again from the last resource version seen.
///
/// Guarantees:
/// - An `ERROR` event is never yielded: it is thrown as a ``KubeError``, with code
///   ``KubeError/Code/gone`` for 410 (relist, then watch from the new list's resource version).
/// - A connection that delivers nothing for the idle timeout ends with ``KubeError/Code/idleTimeout``.
/// - A connection that breaks mid-stream ends with ``KubeError/Code/transport``.
///
/// Caveats: iterate a stream once; the body cannot be read twice.
public struct WatchStream<Object: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    public typealias Failure = KubeError

    private let body: HTTPClientResponse.Body
    private let request: String
    private let idleTimeout: Duration
    private let deadline: ContinuousClock.Instant?

    init(body: HTTPClientResponse.Body, request: String, idleTimeout: Duration, deadline: ContinuousClock.Instant?) {
        self.body = body
        self.request = request
        self.idleTimeout = idleTimeout
        self.deadline = deadline
    }

    /// Creates the iterator that reads the response body; call it once.
    public func makeAsyncIterator() -> Iterator {
        Iterator(
            reader: WatchBodyReader(
                iterator: body.makeAsyncIterator(), request: request, idleTimeout: idleTimeout, deadline: deadline))
    }

    /// Reads the next event on demand.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = WatchEvent<Object>
        public typealias Failure = KubeError

        private let reader: WatchBodyReader<Object>

        init(reader: WatchBodyReader<Object>) {
            self.reader = reader
        }

        /// The next event, or `nil` when the watch ended cleanly.
        ///
        /// - Throws: ``KubeError``: ``KubeError/Code/gone``, ``KubeError/Code/idleTimeout``,
        ///   ``KubeError/Code/transport``, ``KubeError/Code/invalidResponse``, or the code of an
        ///   `ERROR` event's status.
        public mutating func next() async throws(KubeError) -> WatchEvent<Object>? {
            try await reader.next()
        }

        /// The next event, or `nil` when the watch ended cleanly; see ``next()``.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KubeError) -> WatchEvent<Object>? {
            try await reader.next()
        }
    }
}
