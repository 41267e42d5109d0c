import Foundation
import Ledger

/// The body of `POST /v1/events`: one event, or `{"events": [...]}`.
///
/// Decoding is strict about types and required fields so that a client learns which field is wrong
/// (``fieldPath(_:)`` turns a decoding error's coding path into `events[2].details.color`). Unknown fields
/// are ignored, so that clients may send fields a later version adds.
struct EventSubmissionBody: Decodable {
    /// The events in the order the client gave them.
    let events: [ClientEvent]
    /// Whether the client sent the batch form; the response mirrors it.
    let isBatch: Bool

    private enum BatchKeys: String, CodingKey { case events }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: BatchKeys.self)
        if container.contains(.events) {
            events = try container.decode([EventInput].self, forKey: .events).map(\.event)
            isBatch = true
        } else {
            events = [try EventInput(from: decoder).event]
            isBatch = false
        }
    }

    /// Parses and validates a body.
    /// - Throws: ``NodeAPIError`` (400) naming the problem and, where there is one, the field.
    static func parse(_ data: Data, maxBatchEvents: Int, limits: ClientEvent.Limits) throws(NodeAPIError) -> EventSubmissionBody {
        guard !data.isEmpty else { throw .badRequest("empty_body", "the request body is empty; send an event or {\"events\": [...]}") }
        let body: EventSubmissionBody
        do {
            body = try JSONDecoder().decode(EventSubmissionBody.self, from: data)
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch {
            throw .badRequest("malformed_json", "the body is not valid JSON: \(error)")
        }
        guard !body.events.isEmpty else { throw .badRequest("empty_batch", "events is empty; send at least one event", field: "events") }
        guard body.events.count <= maxBatchEvents else {
            throw .badRequest(
                "batch_too_large", "the batch has \(body.events.count) events; send at most \(maxBatchEvents) per request",
                field: "events")
        }
        for (index, event) in body.events.enumerated() {
            do {
                try event.validate(limits: limits)
            } catch {
                let prefix = body.isBatch ? "events[\(index)]" : nil
                let field = [prefix, error.field].compactMap { $0 }.joined(separator: ".")
                throw .badRequest("invalid_event", "\(prefix.map { "\($0): " } ?? "")\(error.description)", field: field.isEmpty ? nil : field)
            }
        }
        return body
    }

    private static func describe(_ error: DecodingError) -> NodeAPIError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = fieldPath(context.codingPath + [key])
            return .badRequest("missing_field", "\(field) is required", field: field)
        case .typeMismatch(let type, let context):
            let field = fieldPath(context.codingPath)
            return .badRequest("wrong_type", "\(field.isEmpty ? "the body" : field) must be \(jsonTypeName(type))", field: field.isEmpty ? nil : field)
        case .valueNotFound(let type, let context):
            let field = fieldPath(context.codingPath)
            return .badRequest("wrong_type", "\(field) must be \(jsonTypeName(type)), not null", field: field)
        case .dataCorrupted(let context):
            let field = fieldPath(context.codingPath)
            let reason = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            return field.isEmpty
                ? .badRequest("malformed_json", "the body is not valid JSON: \(reason)")
                : .badRequest("invalid_value", "\(field): \(context.debugDescription)", field: field)
        @unknown default:
            return .badRequest("malformed_json", "the body could not be decoded: \(error)")
        }
    }

    /// `events[2].details.color` from a coding path.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String: String].Type: "an object of string values"
        case is [EventInput].Type, is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// One event as JSON: `details` may be left out (no details), the other optional fields may be absent.
private struct EventInput: Decodable {
    let event: ClientEvent

    private enum Keys: String, CodingKey { case entityId, type, details, clientId, nonce }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        event = ClientEvent(
            entityId: try container.decode(String.self, forKey: .entityId),
            type: try container.decode(String.self, forKey: .type),
            details: try container.decodeIfPresent([String: String].self, forKey: .details) ?? [:],
            clientId: try container.decodeIfPresent(String.self, forKey: .clientId),
            nonce: try container.decodeIfPresent(String.self, forKey: .nonce))
    }
}
