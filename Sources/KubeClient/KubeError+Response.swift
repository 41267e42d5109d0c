import Foundation
import KubeCore

extension KubeError {
    /// Builds the error for a non-2xx response, or a watch `ERROR` event.
    ///
    /// - Parameters:
    ///   - httpStatus: The HTTP status code (or the `code` of a watch `ERROR` status).
    ///   - body: The response body; a `Status` object if the server sent one.
    ///   - retryAfter: The parsed `Retry-After` header.
    ///   - request: `METHOD target`, to name the request in the message.
    static func response(httpStatus: Int, body: Data, retryAfter: Duration?, request: String) -> KubeError {
        let status = try? JSONDecoder().decode(Status.self, from: body)
        let serverMessage: String
        if let message = status?.message, !message.isEmpty {
            serverMessage = message
        } else if status == nil, !body.isEmpty {
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            serverMessage = text.isEmpty ? "no message" : text
        } else {
            serverMessage = "no message"
        }
        return response(httpStatus: httpStatus, status: status, serverMessage: serverMessage, retryAfter: retryAfter, request: request)
    }

    /// Builds the error for a `Status` received in a watch `ERROR` event.
    static func watchStatus(_ status: Status, request: String) -> KubeError {
        let code = Int(status.code ?? (status.isGone ? 410 : 500))
        return response(
            httpStatus: code, status: status, serverMessage: status.message ?? "no message",
            retryAfter: status.details?.retryAfterSeconds.map { .seconds(Int($0)) }, request: request)
    }

    private static func response(
        httpStatus: Int, status: Status?, serverMessage: String, retryAfter: Duration?, request: String
    ) -> KubeError {
        let (code, advice) = classify(httpStatus: httpStatus, status: status, retryAfter: retryAfter)
        var message = "\(request): HTTP \(httpStatus)"
        if let reason = status?.reason, !reason.isEmpty { message += " \(reason)" }
        message += ": \(serverMessage)"
        if let causes = status?.details?.causes, !causes.isEmpty {
            let listed = causes.map { cause in
                [cause.field, cause.message ?? cause.reason].compactMap { $0 }.joined(separator: ": ")
            }
            message += " [\(listed.joined(separator: "; "))]"
        }
        message += ". \(advice)"
        let serverRetryAfter = status?.details?.retryAfterSeconds.map { Duration.seconds(Int($0)) }
        return KubeError(code, message, httpStatus: httpStatus, status: status, retryAfter: retryAfter ?? serverRetryAfter)
    }

    private static func classify(httpStatus: Int, status: Status?, retryAfter: Duration?) -> (Code, String) {
        switch httpStatus {
        case 401:
            return (.unauthorized, "The API server rejected the credentials: renew the token or client certificate "
                + "in the kubeconfig, or check that the exec plugin returns a valid token")
        case 403:
            return (.forbidden, "The credentials are valid but not allowed to do this: grant the verb on this "
                + "resource to the user or service account with an RBAC Role or ClusterRole")
        case 404:
            return (.notFound, "Check the name, the namespace and that the resource type (and its CRD) is "
                + "installed; create the object if it should exist")
        case 409 where status?.isAlreadyExists == true:
            return (.alreadyExists, "Get the existing object and replace or patch it, or use server-side apply, "
                + "instead of creating it again")
        case 409:
            return (.conflict, "Someone else changed the object since it was read: read it again and retry the "
                + "update; for server-side apply, set force to take over the conflicting fields")
        case 410:
            return (.gone, "The requested resource version is too old: list again and restart the watch from the "
                + "list's resourceVersion")
        case 422:
            return (.invalid, "Fix the fields listed and send the object again")
        case 429:
            let after = retryAfter.map { " (the server asked for \($0))" } ?? ""
            return (.tooManyRequests, "The API server is throttling this client: retry later\(after), or lower "
                + "the client's queries per second")
        case 500...:
            return (.serverError, "The API server failed: retry later, and check the API server's health and logs "
                + "if this persists")
        default:
            return (.badRequest, "The API server rejected the request itself: check the request's options and body")
        }
    }
}
