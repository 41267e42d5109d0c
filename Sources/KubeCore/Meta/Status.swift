/// The API server's result object (`meta/v1 Status`), returned for failed requests, for some
/// deletes, and inside watch `ERROR` events.
public struct Status: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    /// A human-readable description of the result.
    public var message: String?
    /// A machine-readable reason such as `AlreadyExists`, `Conflict`, `NotFound`, `Invalid`, `Expired`.
    public var reason: String?
    public var details: StatusDetails?
    /// The HTTP status code the server meant (also set inside watch `ERROR` events, where the HTTP
    /// response itself was a 200).
    public var code: Int32?

    public init(
        apiVersion: String? = "v1",
        kind: String? = "Status",
        metadata: ListMeta? = nil,
        status: String? = nil,
        message: String? = nil,
        reason: String? = nil,
        details: StatusDetails? = nil,
        code: Int32? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    /// Whether the requested resource version is too old (HTTP 410, reason `Expired` or `Gone`).
    ///
    /// A watcher that sees this must relist: the changes between its resource version and now have
    /// been compacted away, so resuming the watch would silently miss them.
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    /// Whether the object already exists (HTTP 409, reason `AlreadyExists`), as on a repeated create.
    public var isAlreadyExists: Bool { reason == "AlreadyExists" }

    /// Whether an update lost an optimistic-concurrency race (HTTP 409, reason `Conflict`); re-read
    /// the object and try again.
    public var isConflict: Bool { reason == "Conflict" || (code == 409 && reason == nil) }

    /// Whether the object does not exist (HTTP 404).
    public var isNotFound: Bool { code == 404 || reason == "NotFound" }

    /// Whether the object failed validation (HTTP 422, reason `Invalid`); see `details.causes`.
    public var isInvalid: Bool { code == 422 || reason == "Invalid" }
}

/// Extra information in a ``Status`` about which object failed and why.
public struct StatusDetails: Codable, Hashable, Sendable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    /// Individual problems, such as each invalid field of an `Invalid` response.
    public var causes: [StatusCause]?
    /// How long the client should wait before retrying, when the server says so.
    public var retryAfterSeconds: Int32?

    public init(
        name: String? = nil,
        group: String? = nil,
        kind: String? = nil,
        uid: String? = nil,
        causes: [StatusCause]? = nil,
        retryAfterSeconds: Int32? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// One problem reported in ``StatusDetails/causes``.
public struct StatusCause: Codable, Hashable, Sendable {
    /// A machine-readable cause such as `FieldValueInvalid` or `FieldValueRequired` (JSON `reason`).
    public var reason: String?
    public var message: String?
    /// The offending field path, such as `spec.replicas`.
    public var field: String?

    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
