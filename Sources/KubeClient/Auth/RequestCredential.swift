/// The credentials attached to one request.
struct RequestCredential: Sendable, Hashable {
    /// The `Authorization` header value, if any.
    var authorization: String?
    /// A client certificate obtained at run time (from an exec plugin), if any.
    var identity: ClientIdentity?
}
