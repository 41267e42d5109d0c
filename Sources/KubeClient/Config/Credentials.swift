/// How a client proves who it is, besides a client certificate.
///
/// A struct around a private enum so that forms can be added without breaking callers.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    enum Form: Sendable, Hashable {
        case none
        case bearerToken(String)
        case tokenFile(String)
        case exec(ExecConfig)
        case basic(username: String, password: String)
    }

    let form: Form

    private init(_ form: Form) { self.form = form }

    /// No `Authorization` header (a client certificate, or an anonymous client).
    public static let none = Credentials(.none)

    /// A fixed bearer token.
    public static func bearerToken(_ token: String) -> Credentials { Credentials(.bearerToken(token)) }

    /// A bearer token read from a file and read again whenever the file changes, as projected
    /// service-account tokens rotate.
    public static func tokenFile(_ path: String) -> Credentials { Credentials(.tokenFile(path)) }

    /// A token (and possibly a client certificate) printed by an exec credential plugin, cached
    /// until it expires or the server rejects it.
    public static func exec(_ config: ExecConfig) -> Credentials { Credentials(.exec(config)) }

    /// HTTP basic authentication (a kubeconfig's `username` and `password`), for API servers that
    /// front a basic-auth proxy or webhook; the API server itself has no basic-auth mode since 1.19.
    public static func basic(username: String, password: String) -> Credentials {
        Credentials(.basic(username: username, password: password))
    }

    /// Names the form without revealing secrets.
    public var description: String {
        switch form {
        case .none: "none"
        case .bearerToken: "bearer token"
        case .tokenFile(let path): "token file \(path)"
        case .exec(let config): "exec plugin \(config.command)"
        case .basic(let username, _): "basic authentication as \(username)"
        }
    }
}
