import AsyncHTTPClient
import Foundation
import KubeCore
import NIOCore

/// Turns a watch response body into events, enforcing the idle timeout and the client-side deadline.
///
/// It is `@unchecked Sendable` because a child task reads the body iterator (which is not
/// `Sendable`) while the idle timer runs beside it. This is safe because one `next()` call runs at
/// a time (an iterator is used by one task) and the task group awaits that child before `next()`
/// returns, so the iterator and the splitter are never touched by two tasks at once.
final class WatchBodyReader<Object: Decodable & Sendable>: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator?
    private var splitter = WatchLineSplitter()
    private var pending: [Data] = []
    private let request: String
    private let idleTimeout: Duration
    private let deadline: ContinuousClock.Instant?

    init(
        iterator: HTTPClientResponse.Body.AsyncIterator, request: String, idleTimeout: Duration,
        deadline: ContinuousClock.Instant?
    ) {
        self.iterator = iterator
        self.request = request
        self.idleTimeout = idleTimeout
        self.deadline = deadline
    }

    func next() async throws(KubeError) -> WatchEvent<Object>? {
        while true {
            if !pending.isEmpty {
                return try decode(pending.removeFirst())
            }
            guard iterator != nil else { return nil }
            guard let chunk = try await readChunk() else {
                iterator = nil
                if let last = splitter.finish() { pending.append(last) }
                continue
            }
            do {
                pending = try splitter.append(chunk.readableBytesView)
            } catch {
                finish()
                throw .invalidResponse("the watch stream of \(request)", error)
            }
        }
    }

    private func decode(_ line: Data) throws(KubeError) -> WatchEvent<Object> {
        let event: WatchEvent<Object>
        do {
            event = try WatchEvent<Object>.decode(line)
        } catch {
            finish()
            throw KubeError(.invalidResponse, "watch \(request): \(error.message)", underlying: error)
        }
        if case .error(let status) = event {
            finish()
            throw KubeError.watchStatus(status, request: "watch \(request)")
        }
        return event
    }

    private func finish() {
        iterator = nil
        pending = []
    }

    private enum ChunkOutcome: Sendable {
        case chunk(ByteBuffer?)
        case idle
        case deadline
    }

    /// The next body chunk, or `nil` at the end of the body or at the client-side deadline.
    private func readChunk() async throws(KubeError) -> ByteBuffer? {
        var wait = idleTimeout
        var limitedByDeadline = false
        if let deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero {
                finish()
                return nil
            }
            if remaining < wait {
                wait = remaining
                limitedByDeadline = true
            }
        }
        let timer = wait
        let timerOutcome: ChunkOutcome = limitedByDeadline ? .deadline : .idle
        let outcome: ChunkOutcome
        do {
            outcome = try await withThrowingTaskGroup(of: ChunkOutcome.self) { group in
                group.addTask { .chunk(try await self.iterator?.next()) }
                group.addTask {
                    try await Task.sleep(for: timer)
                    return timerOutcome
                }
                // Cancelling the losing reader cancels the HTTP request, which closes the connection.
                defer { group.cancelAll() }
                return try await group.next() ?? .chunk(nil)
            }
        } catch {
            finish()
            if Task.isCancelled { throw .cancelled }
            throw KubeError(
                .transport,
                "watch \(request) broke mid-stream: \(error). Watch again from the last resource version seen",
                underlying: error)
        }
        switch outcome {
        case .chunk(let chunk):
            return chunk
        case .deadline:
            // The server should have closed the watch at timeoutSeconds; end it as it would have.
            finish()
            return nil
        case .idle:
            finish()
            throw KubeError(
                .idleTimeout,
                "watch \(request) received nothing for \(idleTimeout), so the connection is presumed dead; watch "
                    + "again from the last resource version seen (ask for bookmarks so quiet watches stay active)")
        }
    }
}
