import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// A loopback HTTPS (or HTTP) server that records every request and answers from a script.
final class TestServer: Sendable {
    typealias Responder = @Sendable (RecordedRequest) -> TestResponse

    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let log: RequestLog

    /// `https://127.0.0.1:port`.
    var url: String { "https://127.0.0.1:\(port)" }
    /// Every request received so far, in order.
    var requests: [RecordedRequest] { log.all }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, log: RequestLog) {
        self.port = port
        self.channel = channel
        self.group = group
        self.log = log
    }

    /// Starts a server on 127.0.0.1 with a kernel-chosen port.
    ///
    /// - Parameters:
    ///   - pki: The certificates; the server presents `identity` (default: `pki.server`).
    ///   - requireClientCertificate: Demand a client certificate signed by the test CA.
    ///   - http2MaxConcurrentStreams: Offer HTTP/2 (beside HTTP/1.1, by ALPN) with this limit of
    ///     concurrent streams per connection; HTTP/1.1 only when `nil`.
    ///   - respond: Answers each request.
    static func start(
        pki: TestPKI, identity: TestPKI.Identity? = nil, requireClientCertificate: Bool = false,
        http2MaxConcurrentStreams: Int? = nil, respond: @escaping Responder
    ) async throws -> TestServer {
        let identity = identity ?? pki.server
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.caPEM.utf8)))
        }
        if http2MaxConcurrentStreams != nil { tls.applicationProtocols = ["h2", "http/1.1"] }
        let sslContext = try NIOSSLContext(configuration: tls)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = RequestLog()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                do {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                guard let streams = http2MaxConcurrentStreams else {
                    return channel.eventLoop.makeCompletedFuture { try configureHTTP1(channel, log: log, respond: respond) }
                }
                return channel.configureHTTP2SecureUpgrade(
                    h2ChannelConfigurator: { channel in
                        channel.configureHTTP2Pipeline(
                            mode: .server,
                            initialLocalSettings: nioDefaultSettings.filter { $0.parameter != .maxConcurrentStreams }
                                + [HTTP2Setting(parameter: .maxConcurrentStreams, value: streams)],
                            inboundStreamInitializer: { stream in
                                stream.eventLoop.makeCompletedFuture {
                                    try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                                    try stream.pipeline.syncOperations.addHandler(ScriptedHandler(log: log, respond: respond))
                                }
                            }
                        ).map { _ in }
                    },
                    http1ChannelConfigurator: { channel in
                        channel.eventLoop.makeCompletedFuture { try configureHTTP1(channel, log: log, respond: respond) }
                    })
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ServerError.noPort }
        return TestServer(port: port, channel: channel, group: group, log: log)
    }

    /// An HTTP/1.1 connection's handlers.
    private static func configureHTTP1(_ channel: any Channel, log: RequestLog, respond: @escaping Responder) throws {
        // Without pipelining assistance the server keeps reading during a streamed response, so it
        // sees the client's close_notify at once, as a real API server does.
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
        try channel.pipeline.syncOperations.addHandler(ScriptedHandler(log: log, respond: respond))
    }

    /// Stops listening, closes open connections and the event loop.
    func stop() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }

    enum ServerError: Error { case noPort }
}
