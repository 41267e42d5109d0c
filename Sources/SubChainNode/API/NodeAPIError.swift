import Foundation
import Hummingbird

/// An error the API answers with a JSON body `{"error": {"code": "...", "message": "..."}}`.
///
/// `code` is stable for clients to branch on; `message` says what is wrong and, where it helps, what to do.
/// `field` names the offending input (a JSON path such as `events[2].details.color`) when there is one.
public struct NodeAPIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    /// Extra headers, such as `Retry-After`.
    public let headers: HTTPFields

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try Response.json(NodeAPIErrorBody(error: .init(code: code, message: message, field: field)), status: status, headers: headers)
    }

    static func badRequest(_ code: String, _ message: String, field: String? = nil) -> Self {
        Self(status: .badRequest, code: code, message: message, field: field)
    }

    static func notFound(_ message: String) -> Self { Self(status: .notFound, code: "not_found", message: message) }

    static func storage(_ error: any Error) -> Self {
        Self(status: .internalServerError, code: "storage_error", message: "the block store could not be read: \(error); check the node's disk and logs")
    }
}

/// The JSON body of every error response.
struct NodeAPIErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
        var field: String?
    }

    var error: Detail
}
