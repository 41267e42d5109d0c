import Foundation

/// Supplies each request's credentials and refreshes them when they expire or are rejected.
///
/// - Guarantees: concurrent requests that find the exec credential missing or expired share one
///   plugin run; a 401 invalidates only the credential that was rejected, so a fresh one fetched
///   meanwhile by another request is kept.
actor Authenticator {
    private enum Source {
        case none
        case token(String)
        case basic(String)
        case tokenFile(TokenFileReader)
        case exec(ExecCredentialPlugin)
    }

    private var source: Source
    private var forceReread = false
    private var execCache: ExecResult?
    private var execRun: Task<ExecResult, any Error>?
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - credentials: What the configuration says.
    ///   - cluster: Passed to exec plugins that ask for cluster information.
    ///   - pluginTimeout: How long an exec plugin may run.
    ///   - now: The wall clock, to judge exec credential expiry.
    init(
        _ credentials: Credentials, cluster: ExecCredential.Cluster?, pluginTimeout: Duration = .seconds(60),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        switch credentials.form {
        case .none: source = .none
        case .bearerToken(let token): source = .token(token)
        case .basic(let username, let password):
            source = .basic("Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
        case .tokenFile(let path): source = .tokenFile(TokenFileReader(path: path))
        case .exec(let config): source = .exec(ExecCredentialPlugin(config: config, cluster: cluster, timeout: pluginTimeout))
        }
        self.now = now
    }

    /// The credential for the next request.
    ///
    /// - Throws: ``KubeError/Code/credentials`` when a token file cannot be read or a plugin fails.
    func credential() async throws(KubeError) -> RequestCredential {
        switch source {
        case .none:
            return RequestCredential()
        case .token(let token):
            return RequestCredential(authorization: "Bearer \(token)")
        case .basic(let authorization):
            return RequestCredential(authorization: authorization)
        case .tokenFile(var reader):
            let token = try reader.token(force: forceReread)
            forceReread = false
            source = .tokenFile(reader)
            return RequestCredential(authorization: "Bearer \(token)")
        case .exec(let plugin):
            let result = try await execResult(plugin)
            return RequestCredential(authorization: result.token.map { "Bearer \($0)" }, identity: result.identity)
        }
    }

    /// Drops a credential the server rejected with 401.
    ///
    /// - Parameter rejected: The credential that was sent.
    /// - Returns: Whether asking again may yield a different credential, so a retry is worthwhile.
    func invalidate(_ rejected: RequestCredential) -> Bool {
        switch source {
        case .none, .token, .basic:
            return false
        case .tokenFile:
            forceReread = true
            return true
        case .exec:
            if let cached = execCache,
                RequestCredential(authorization: cached.token.map { "Bearer \($0)" }, identity: cached.identity) == rejected
            {
                execCache = nil
            }
            return true
        }
    }

    private func execResult(_ plugin: ExecCredentialPlugin) async throws(KubeError) -> ExecResult {
        if let cached = execCache, !cached.isExpired(at: now()) { return cached }
        let run: Task<ExecResult, any Error>
        if let execRun {
            run = execRun
        } else {
            run = Task { try await plugin.run() }
            execRun = run
        }
        do {
            let result = try await run.value
            if execRun == run {
                execRun = nil
                execCache = result
            }
            return result
        } catch {
            if execRun == run { execRun = nil }
            throw error as? KubeError ?? .credentials("exec plugin failed: \(error)", underlying: error)
        }
    }
}
