import Consensus
import Foundation
import Ledger

/// What became of one submitted event, as `POST /v1/events` reports it.
struct EventSubmissionStatus: Codable, Sendable, Equatable {
    enum State: String, Codable, Sendable {
        /// The node holds it; it will commit once.
        case accepted
        /// It committed at `height`.
        case committed
        /// Accepted, but not committed before the wait timed out.
        case pending
        /// Refused because the node is full; resubmit it later (resubmitting is idempotent).
        case overloaded
    }

    var id: String
    var status: State
    var height: UInt64?
}

/// The body of a successful `POST /v1/events` (202, or 200 with `?wait=commit`).
struct EventSubmissionDocument: Codable, Sendable {
    var events: [EventSubmissionStatus]
}

/// The body of a `POST /v1/events` that failed after submission (503 overload, 504 commit timeout): the
/// error and each event's state, so that the client knows what to retry.
struct EventSubmissionFailureDocument: Codable, Sendable {
    var error: NodeAPIErrorBody.Detail
    var events: [EventSubmissionStatus]
}

/// An event with its content: decoded when it is a canonical client event, its raw bytes otherwise
/// (consensus orders any bytes, so a block may hold payloads this build cannot read).
struct EventContentDocument: Codable, Sendable {
    var id: String
    var event: ClientEvent?
    /// Base64 of the payload, present only when it does not decode as a client event.
    var payload: String?

    init(id: SHA256Hash, payload: [UInt8]) {
        self.id = id.hex
        if let event = try? ClientEvent(canonicalEncoding: payload) {
            self.event = event
        } else {
            self.payload = Data(payload).base64EncodedString()
        }
    }
}

/// The body of `GET /v1/events/{id}`.
struct EventLookupDocument: Codable, Sendable {
    enum State: String, Codable, Sendable { case pending, committed }

    struct Place: Codable, Sendable {
        var height: UInt64
        var position: Int
    }

    var id: String
    var status: State
    /// Where it committed; absent while pending.
    var block: Place?
    var event: ClientEvent?
    var payload: String?

    static func committed(_ stored: StoredEvent) -> Self {
        let content = EventContentDocument(id: stored.id, payload: stored.payload)
        return Self(
            id: stored.id.hex, status: .committed, block: Place(height: stored.location.height, position: stored.location.position),
            event: content.event, payload: content.payload)
    }

    static func pending(_ event: Event) -> Self {
        let content = EventContentDocument(id: event.id, payload: event.payload)
        return Self(id: event.id.hex, status: .pending, block: nil, event: content.event, payload: content.payload)
    }
}
