/// Told of every HTTP exchange a ``KubeClient`` makes, each attempt of a retried request included, so
/// that a caller can count and time them: client-go's `rest_client_requests_total` and
/// `rest_client_request_duration_seconds` are fed this way. Called on the request's task after the
/// response head (or the failure) arrives; it must return quickly and never block.
public protocol RequestObserver: Sendable {
    /// One exchange finished.
    func requestFinished(_ result: RequestResult)
}

/// One HTTP exchange with the API server, as a ``RequestObserver`` sees it.
public struct RequestResult: Sendable, Hashable {
    /// The HTTP method (`GET`, `POST`, …); a watch is a `GET`.
    public var method: String
    /// The server's `host:port`.
    public var host: String
    /// The HTTP status code, or `nil` when no response came (a transport failure or timeout): client-go
    /// labels those `<error>`.
    public var statusCode: Int?
    /// From sending the request to its response head (for a watch) or its whole body.
    public var duration: Duration

    public init(method: String, host: String, statusCode: Int?, duration: Duration) {
        self.method = method
        self.host = host
        self.statusCode = statusCode
        self.duration = duration
    }
}
