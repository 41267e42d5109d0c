import Hummingbird
import Logging

/// Turns every error, including Hummingbird's own (unknown route, body too large), into the API's JSON
/// error body, so that clients parse one error shape whatever went wrong.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as NodeAPIError {
            throw error
        } catch let error as any HTTPResponseError {
            throw Self.translate(error.status, request: request)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw NodeAPIError(status: .internalServerError, code: "internal_error", message: "the node failed to handle the request; see its log")
        }
    }

    private static func translate(_ status: HTTPResponse.Status, request: Request) -> NodeAPIError {
        switch status {
        case .notFound:
            NodeAPIError(status: status, code: "not_found", message: "no route \(request.method) \(request.uri.path); see /openapi.yaml")
        case .methodNotAllowed:
            NodeAPIError(status: status, code: "method_not_allowed", message: "\(request.method) is not allowed on \(request.uri.path); see /openapi.yaml")
        case .contentTooLarge:
            NodeAPIError(status: status, code: "body_too_large", message: "the request body is larger than this node accepts; split the batch")
        default:
            NodeAPIError(status: status, code: "http_\(status.code)", message: status.reasonPhrase)
        }
    }
}
