import Ledger

/// Limits and options of the node's HTTP API.
public struct NodeAPIConfiguration: Sendable {
    /// The largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes: Int
    /// The most events one `POST /v1/events` may carry; more gets 400.
    public var maxBatchEvents: Int
    /// How long `?wait=commit` waits before answering 504 with the ids still pending.
    public var commitWaitTimeout: Duration
    /// The `Retry-After` (seconds) sent with 503 when the node refuses events as overload.
    public var overloadRetryAfterSeconds: Int
    /// Keys that writes must present in `X-API-Key`; `nil` leaves writes open.
    public var apiKeys: APIKeySet?
    /// Size bounds each submitted event must respect.
    public var eventLimits: ClientEvent.Limits

    /// Creates a configuration; the defaults are the documented ones.
    public init(
        maxBodyBytes: Int = 1 << 20, maxBatchEvents: Int = 1_000, commitWaitTimeout: Duration = .seconds(10),
        overloadRetryAfterSeconds: Int = 1, apiKeys: APIKeySet? = nil, eventLimits: ClientEvent.Limits = ClientEvent.Limits()
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchEvents = maxBatchEvents
        self.commitWaitTimeout = commitWaitTimeout
        self.overloadRetryAfterSeconds = overloadRetryAfterSeconds
        self.apiKeys = apiKeys
        self.eventLimits = eventLimits
    }
}
