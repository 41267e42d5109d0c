import KubeCore

/// A failed request, answered as a `meta.k8s.io/v1` `Status` with the code, reason and message shapes
/// a kube-apiserver uses (apimachinery's `StatusError` constructors), so that clients branch on them as
/// they would against a real server.
struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One field-level cause in `details.causes`.
    struct Cause: Sendable, Hashable {
        /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`, …
        var type: String
        var message: String
        /// The field path, `spec.replicas` or `metadata.name`.
        var field: String
    }

    var code: Int
    var reason: String
    var message: String
    var name: String?
    var group: String?
    /// The resource (plural) in `details.kind`, as the server puts it for most errors.
    var kind: String?
    var causes: [Cause] = []
    var retryAfterSeconds: Int?

    var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` object.
    var status: JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map { .object(["reason": .string($0.type), "message": .string($0.message), "field": .string($0.field)]) })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .integer(Int64(retryAfterSeconds)) }
        var status: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .integer(Int64(code)),
        ]
        if !details.isEmpty { status["details"] = .object(details) }
        return .object(status)
    }

    // MARK: - The server's errors

    static func notFound(_ resource: StorageKey, _ name: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found", name: name, group: resource.group,
            kind: resource.resource)
    }

    static func alreadyExists(_ resource: StorageKey, _ name: String) -> APIError {
        APIError(
            code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists", name: name,
            group: resource.group, kind: resource.resource)
    }

    static func conflict(_ resource: StorageKey, _ name: String, _ detail: String) -> APIError {
        APIError(
            code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(detail)",
            name: name, group: resource.group, kind: resource.resource)
    }

    /// The resourceVersion precondition failed.
    static func modified(_ resource: StorageKey, _ name: String) -> APIError {
        conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 422 with field causes: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: …`.
    static func invalid(kind: String, group: String, name: String, causes: [Cause]) -> APIError {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        let list = causes.map { "\($0.field): \($0.message)" }
        let summary = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        return APIError(
            code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(summary)", name: name,
            group: group, kind: kind, causes: causes)
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func forbidden(_ message: String, resource: StorageKey? = nil, name: String? = nil) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message, name: name, group: resource?.group, kind: resource?.resource)
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 410 for a continue token or resourceVersion older than the history kept.
    static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func methodNotAllowed(_ message: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got \(contentType))")
    }

    static func notAcceptable(_ accept: String) -> APIError {
        APIError(code: 406, reason: "NotAcceptable", message: "only the following media types are accepted: application/json, application/yaml (got \(accept))")
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }
}
