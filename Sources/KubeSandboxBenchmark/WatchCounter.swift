import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One watch held open on its own connection, counting the events the server streams (one JSON object per
/// line) without keeping them: the benchmark's clients share ``BenchmarkHTTP``'s connections, which wait
/// for a response to end, and a watch's does not end until it is closed.
final class WatchCounter: Sendable {
    /// The watch could not be opened, or the server refused it.
    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    private let channel: any Channel
    private let task: Task<Void, Never>
    private let state: WatchState

    /// Events received so far.
    var received: Int { state.lines.load(ordering: .relaxed) }

    private init(channel: any Channel, task: Task<Void, Never>, state: WatchState) {
        self.channel = channel
        self.task = task
        self.state = state
    }

    /// Opens `GET path` (a `?watch=true` path) and returns once the server has answered 200 to it, so what
    /// is written from then on reaches this watch.
    /// - Throws: ``OpenError`` when the connection fails, the answer is not 200, or none comes within 5 s.
    static func open(host: String, port: Int, path: String, token: String) async throws -> WatchCounter {
        let connection: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        } catch {
            throw OpenError(description: "cannot connect to \(host):\(port): \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Authorization", value: "Bearer \(token)")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        let state = WatchState()
        let (statuses, answered) = AsyncStream.makeStream(of: HTTPResponseStatus.self)
        let task = Task {
            defer { answered.finish() }
            try? await connection.executeThenClose { inbound, outbound in
                try await outbound.write(.head(head))
                try await outbound.write(.end(nil))
                for try await part in inbound {
                    switch part {
                    case .head(let response): answered.yield(response.status)
                    case .body(let bytes): state.lines.add(bytes.readableBytesView.count { $0 == UInt8(ascii: "\n") }, ordering: .relaxed)
                    case .end:
                        state.ended.store(true, ordering: .relaxed)
                        return
                    }
                }
            }
        }
        let channel = connection.channel
        // Closing the channel ends the task above, and with it the wait below.
        let patience = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
        var answers = statuses.makeAsyncIterator()
        let status = await answers.next()
        patience.cancel()
        guard status == .ok else {
            try? await channel.close()
            await task.value
            throw OpenError(description: status.map { "the server answered \($0.code) to GET \(path)" } ?? "no answer to GET \(path) within 5 s")
        }
        return WatchCounter(channel: channel, task: task, state: state)
    }

    /// Waits until `count` events have arrived, for at most `timeout`: those the server had queued when the
    /// load stopped are still on their way.
    func wait(for count: Int, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while received < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Closes the watch. - Returns: events received, and whether the server had ended the watch first.
    func close() async -> (events: Int, endedByServer: Bool) {
        let ended = state.ended.load(ordering: .relaxed)
        try? await channel.close()
        await task.value
        return (received, ended)
    }
}

/// What the watch's task shares with the ``WatchCounter``, made before either.
private final class WatchState: Sendable {
    /// Newlines received: the server ends each event with one, and JSON inside an event has none.
    let lines = Atomic<Int>(0)
    /// Set when the server ended the response: the watch fell more than its buffer behind, or timed out.
    let ended = Atomic<Bool>(false)
}
