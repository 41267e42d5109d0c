import HTTPTypes
import Hummingbird

/// Lets a request through only if its `X-API-Key` is one of the configured keys; put on write routes.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-API-Key")! }

    let keys: APIKeySet

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.headers[Self.headerName] else {
            throw NodeAPIError(
                status: .unauthorized, code: "missing_api_key", message: "this node requires an API key for writes; send it in the X-API-Key header",
                headers: [.wwwAuthenticate: "ApiKey header=\"X-API-Key\""])
        }
        guard keys.contains(presented) else {
            throw NodeAPIError(
                status: .unauthorized, code: "invalid_api_key", message: "the X-API-Key is not one of this node's keys; check it with the operator",
                headers: [.wwwAuthenticate: "ApiKey header=\"X-API-Key\""])
        }
        return try await next(request, context)
    }
}
