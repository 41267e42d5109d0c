import Consensus
import Foundation
import Hummingbird
import Ledger

/// `POST /v1/events` and `GET /v1/events/{id}`.
///
/// ## Expected flow
/// The body is read (up to the size limit), decoded and every event validated before anything is submitted,
/// so a bad event rejects the whole request and nothing of it is accepted. The events then go to the local
/// replica, which forwards them to the primary itself: any node takes writes.
///
/// ## Caveats
/// The replica may refuse some events of a batch as overload after accepting others (its pending set
/// filled up half-way). The 503 then lists each event's state; resubmitting the whole batch is safe, since
/// an event's id is the hash of its content and it commits once.
struct EventRoutes: Sendable {
    let backend: any NodeBackend
    let configuration: NodeAPIConfiguration
    let metrics: NodeMetrics

    func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let waitForCommit = try Self.waitsForCommit(request)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > configuration.maxBodyBytes {
            throw bodyTooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw bodyTooLarge()
        }
        let body = try EventSubmissionBody.parse(
            Data(buffer.readableBytesView), maxBatchEvents: configuration.maxBatchEvents, limits: configuration.eventLimits)
        let events = body.events.map(\.consensusEvent)
        let started = ContinuousClock.now
        let outcome = await backend.submit(events)
        let ids = events.map(\.id)

        if let reason = outcome.stopped {
            throw NodeAPIError(
                status: .serviceUnavailable, code: "node_stopped",
                message: "the node took none of the \(ids.count) events: \(reason); submit them to another node")
        }
        if !outcome.overloaded.isEmpty {
            let refused = Set(outcome.overloaded)
            let states = ids.map { EventSubmissionStatus(id: $0.hex, status: refused.contains($0) ? .overloaded : .accepted) }
            let seconds = configuration.overloadRetryAfterSeconds
            return try Response.json(
                EventSubmissionFailureDocument(
                    error: .init(
                        code: "overloaded",
                        message: "the node holds as many events as it may; \(refused.count) of \(ids.count) were refused, retry them after \(seconds) s (resubmitting accepted ones is harmless)"),
                    events: states),
                status: .serviceUnavailable, headers: [.retryAfter: "\(seconds)"])
        }
        guard waitForCommit else {
            return try Response.json(EventSubmissionDocument(events: ids.map { .init(id: $0.hex, status: .accepted) }), status: .accepted)
        }
        let heights = await backend.waitForCommit(Array(Set(ids)), timeout: configuration.commitWaitTimeout)
        let states = ids.map { id in
            if let height = heights[id] ?? nil {
                EventSubmissionStatus(id: id.hex, status: .committed, height: height)
            } else {
                EventSubmissionStatus(id: id.hex, status: .pending)
            }
        }
        guard states.allSatisfy({ $0.status == .committed }) else {
            let waiting = states.count { $0.status == .pending }
            return try Response.json(
                EventSubmissionFailureDocument(
                    error: .init(
                        code: "commit_timeout",
                        message: "\(waiting) of \(ids.count) events did not commit within \(configuration.commitWaitTimeout); they stay pending, poll GET /v1/events/{id}"),
                    events: states),
                status: .gatewayTimeout)
        }
        metrics.recordCommitLatency(started.duration(to: .now))
        return try Response.json(EventSubmissionDocument(events: states), status: .ok)
    }

    func lookup(_ request: Request, context: some RequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = SHA256Hash(hex: text) else {
            throw NodeAPIError.badRequest("invalid_id", "an event id is 64 hexadecimal digits (the SHA-256 of the event's canonical encoding)", field: "id")
        }
        if let stored = try committedEvent(id) { return try Response.json(EventLookupDocument.committed(stored)) }
        if let held = await backend.pendingEvent(withID: id) { return try Response.json(EventLookupDocument.pending(held)) }
        // It may have committed since the first look: the replica lets go of an event only once the
        // ledger holds it.
        if let stored = try committedEvent(id) { return try Response.json(EventLookupDocument.committed(stored)) }
        throw NodeAPIError.notFound("no event \(id.hex) has committed, and this node's replica does not hold it")
    }

    private func committedEvent(_ id: SHA256Hash) throws(NodeAPIError) -> StoredEvent? {
        do {
            return try backend.committedEvent(withID: id)
        } catch {
            throw NodeAPIError.storage(error)
        }
    }

    private func bodyTooLarge() -> NodeAPIError {
        NodeAPIError(
            status: .contentTooLarge, code: "body_too_large",
            message: "the body is larger than \(configuration.maxBodyBytes) bytes; split the batch into smaller requests")
    }

    /// Whether `?wait=commit` was asked for; any other `wait` value is an error rather than ignored.
    private static func waitsForCommit(_ request: Request) throws(NodeAPIError) -> Bool {
        guard let wait = request.uri.queryParameters.get("wait") else { return false }
        guard wait == "commit" else { throw .badRequest("invalid_parameter", "wait must be \"commit\" (or absent)", field: "wait") }
        return true
    }
}
