import Hummingbird

/// The HTTP API of a `subchain-node` (port 2661): clients submit events and read blocks; operators read
/// status, probes and metrics. ``openAPIDocument`` describes every route.
///
/// ## Expected flow
/// Build it over the node's ``NodeBackend`` and serve ``makeRouter()`` with a Hummingbird `Application`,
/// run as one `Service` in the node's `ServiceGroup` so that SIGTERM stops it with the rest.
///
/// ## Guarantees
/// - Writes (`POST`) require `X-API-Key` when ``NodeAPIConfiguration/apiKeys`` is set; reads are open.
/// - Every error is JSON, `{"error": {"code", "message", "field"?}}`, with a 4xx for bad input.
/// - A request's events are all validated before any is submitted.
public struct NodeHTTPAPI: Sendable {
    private let backend: any NodeBackend
    private let configuration: NodeAPIConfiguration
    /// The metrics `/metrics` serves.
    public let metrics: NodeMetrics

    /// Creates the API over a node.
    /// - Parameters:
    ///   - backend: the node's replica, ledger and transport.
    ///   - configuration: limits and API keys.
    ///   - metrics: where metrics are kept; pass the node's own to share one registry.
    public init(backend: any NodeBackend, configuration: NodeAPIConfiguration = NodeAPIConfiguration(), metrics: NodeMetrics = NodeMetrics()) {
        self.backend = backend
        self.configuration = configuration
        self.metrics = metrics
    }

    /// The OpenAPI 3.1 document of the routes ``makeRouter()`` serves, also served at `/openapi.yaml`.
    public static var openAPIDocument: String { NodeAPIOpenAPIDocument.yaml }

    /// A router with every route of the API.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())

        let events = EventRoutes(backend: backend, configuration: configuration, metrics: metrics)
        let writes = router.group("/v1/events")
        if let keys = configuration.apiKeys { writes.add(middleware: APIKeyMiddleware(keys: keys)) }
        writes.post { request, context in try await events.submit(request, context: context) }
        router.get("/v1/events/{id}") { request, context in try await events.lookup(request, context: context) }

        let blocks = BlockRoutes(backend: backend)
        router.get("/v1/blocks") { request, context in try await blocks.page(request, context: context) }
        router.get("/v1/blocks/latest") { request, context in try await blocks.latest(request, context: context) }
        router.get("/v1/blocks/{height}") { request, context in try await blocks.block(request, context: context) }

        let state = NodeStateRoutes(backend: backend, metrics: metrics)
        router.get("/v1/status") { request, context in try await state.status(request, context: context) }
        router.get("/healthz") { request, context in try await state.health(request, context: context) }
        router.get("/readyz") { request, context in try await state.readiness(request, context: context) }
        router.get("/metrics") { request, context in try await state.prometheus(request, context: context) }

        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: NodeAPIOpenAPIDocument.yaml)))
        }
        return router
    }
}
