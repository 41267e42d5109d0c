import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The sandbox served over HTTPS (or plain HTTP) on 127.0.0.1.
///
/// ## Expected flow
/// ``start(sandbox:users:port:useTLS:)`` returns once the port is bound; ``kubeconfig()`` gives a client
/// what it needs to connect as the admin user; ``stop()`` closes the listener and every open watch.
public final class SandboxServer: Sendable {
    public let sandbox: Sandbox
    public let users: SandboxUsers
    /// The bound port.
    public let port: Int
    /// The CA that signed the serving certificate; `nil` over plain HTTP.
    public let certificateAuthorityPEM: String?
    /// The certificates served, kept so that a restart serves the same ones.
    private let certificates: SandboxCertificates?
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    /// `https://127.0.0.1:PORT` (or `http://…`).
    public var url: String { "\(certificateAuthorityPEM == nil ? "http" : "https")://127.0.0.1:\(port)" }

    private init(
        sandbox: Sandbox, users: SandboxUsers, port: Int, certificates: SandboxCertificates?, task: Task<Void, any Error>, group: ServiceGroup
    ) {
        self.group = group
        self.certificates = certificates
        self.sandbox = sandbox
        self.users = users
        self.port = port
        certificateAuthorityPEM = certificates?.caPEM
        self.task = task
    }

    /// Starts serving on 127.0.0.1 (never another address).
    ///
    /// - Parameters:
    ///   - port: The port; 0 picks a free one.
    ///   - useTLS: HTTPS with a CA made now (default), or plain HTTP.
    /// - Throws: When the port cannot be bound or the certificates cannot be made.
    public static func start(
        sandbox: Sandbox = Sandbox(), users: SandboxUsers = SandboxUsers(), port: Int = 0, useTLS: Bool = true,
        logger: Logger = Logger(label: "kube-sandbox")
    ) async throws -> SandboxServer {
        try await start(sandbox: sandbox, users: users, port: port, certificates: useTLS ? try SandboxCertificates() : nil, logger: logger)
    }

    /// Starts serving with the given certificates (plain HTTP without them).
    private static func start(
        sandbox: Sandbox, users: SandboxUsers, port: Int, certificates: SandboxCertificates?, logger: Logger
    ) async throws -> SandboxServer {
        let api = SandboxAPI(sandbox: sandbox, users: users)
        let responder = SandboxResponder(api: api)
        let server: HTTPServerBuilder
        if let certificates {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificates.serverCertificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.serverKeyPEM.utf8), format: .pem)))
            tls.applicationProtocols = ["http/1.1"]
            // On close, NIOSSL waits for the peer's close_notify, 5 s by default, and an idle pooled client
            // connection never sends one: every connection open at stop() held shutdown (and a restart)
            // for those 5 s. On loopback a peer that answers does so within milliseconds.
            tls.shutdownTimeout = .milliseconds(100)
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? 0)
                boundContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let boundPort = await iterator.next(), boundPort > 0 else {
            task.cancel()
            _ = await task.result
            if case .failure(let error) = await task.result { throw error }
            throw SandboxServerError.notStarted
        }
        return SandboxServer(sandbox: sandbox, users: users, port: boundPort, certificates: certificates, task: task, group: group)
    }

    /// Stops serving and serves again on the same port with the same store, users and certificates, as
    /// an API server restart looks to its clients: connections and watches drop, the kubeconfig stays
    /// good, and every object (and the resourceVersion) is where it was.
    ///
    /// - Returns: The server now serving; this one is stopped.
    /// - Throws: When the port cannot be bound again.
    public func restart(logger: Logger = Logger(label: "kube-sandbox")) async throws -> SandboxServer {
        await stop()
        return try await Self.start(sandbox: sandbox, users: users, port: port, certificates: certificates, logger: logger)
    }

    /// A kubeconfig for the admin user.
    public func kubeconfig() -> String {
        SandboxKubeconfig.render(server: url, caPEM: certificateAuthorityPEM, token: users.adminToken)
    }

    /// Stops serving: open watches end, the listener closes, and requests in progress finish.
    public func stop() async {
        sandbox.cutWatches()
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// The server could not start (the port was not bound).
public enum SandboxServerError: Error, CustomStringConvertible {
    case notStarted

    public var description: String { "the sandbox API server did not start listening" }
}
