import Hummingbird
import Logging
import ServiceLifecycle

/// The operator's probe and metrics endpoint, as controller-runtime's manager serves them:
/// `/healthz` (liveness), `/readyz` (readiness; caches synced, leader or standby), each check also at
/// `/healthz/NAME` and `/readyz/NAME`, with `?verbose` and `?exclude=NAME`; and `/metrics`, the
/// Prometheus exposition of ``RuntimeMetrics``.
///
/// A swift-service-lifecycle `Service`: run it in the process's `ServiceGroup`, whose graceful shutdown
/// (on SIGTERM) stops it after the requests in flight.
public struct HealthServer: Service {
    /// Where it listens: `0.0.0.0` in a pod, so the kubelet reaches it; 127.0.0.1 for local runs.
    public var host: String
    /// The port (controller-runtime's probe default is 8081); 0 picks a free one.
    public var port: Int
    public var liveness: [HealthCheck]
    public var readiness: [HealthCheck]
    public var metrics: RuntimeMetrics?
    public var logger: Logger
    /// Told the port once the listener is bound (the chosen one when ``port`` is 0).
    public var onBound: @Sendable (Int) -> Void = { _ in }

    public init(
        host: String, port: Int, liveness: [HealthCheck] = [.ping], readiness: [HealthCheck] = [.ping], metrics: RuntimeMetrics? = nil,
        logger: Logger = Logger(label: "kube-runtime.health")
    ) {
        self.host = host
        self.port = port
        self.liveness = liveness
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until the service group shuts down gracefully or the task is cancelled.
    public func run() async throws {
        let onBound = onBound
        let application = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.run()
    }

    /// The routes, for serving in an application of one's own.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        for (endpoint, checks) in [("healthz", liveness), ("readyz", readiness)] {
            router.get(RouterPath(endpoint)) { request, _ in
                let excluded = Set(request.uri.queryParameters.getAll("exclude").map { String($0) })
                var results: [(name: String, failure: String?)] = []
                for check in checks where !excluded.contains(check.name) { results.append((check.name, await check.check())) }
                let verbose = request.uri.queryParameters["verbose"] != nil
                let report = HealthReport(endpoint: endpoint, results: results, verbose: verbose)
                return Self.text(status: report.status, report.body)
            }
            router.get(RouterPath("\(endpoint)/{check}")) { _, context in
                let name = context.parameters.get("check") ?? ""
                guard let check = checks.first(where: { $0.name == name }) else { return Self.text(status: 404, "404 page not found") }
                let report = HealthReport(single: await check.check())
                return Self.text(status: report.status, report.body)
            }
        }
        let metrics = metrics
        router.get("/metrics") { _, _ in
            guard let metrics else { return Response(status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return router
    }

    private static func text(status: Int, _ body: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
