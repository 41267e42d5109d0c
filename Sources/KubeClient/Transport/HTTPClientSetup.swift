import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import X509

/// Builds the two connection pools of a ``KubeClient``.
///
/// Requests share connections (HTTP/2 streams where the server offers it). Watches get HTTP/1.1
/// connections of their own: a watch holds its stream for minutes, and an HTTP/2 connection has a
/// bounded number of streams (250 on a kube-apiserver), beyond which AsyncHTTPClient queues new
/// requests on that connection instead of opening another. Kept apart, no number of watches can
/// delay a read or a write.
enum HTTPClientSetup {
    enum Pool {
        case requests
        case watches
    }

    /// How long to wait for a TCP connection (and a proxy's answer) before giving up.
    static let connectTimeout = TimeAmount.seconds(10)

    /// The AsyncHTTPClient configuration for one pool.
    ///
    /// - Parameters:
    ///   - configuration: The client's configuration.
    ///   - endpoint: The validated server address.
    ///   - pool: Which pool.
    ///   - environment: Where proxy variables are read from.
    /// - Throws: ``KubeError/Code/configuration`` for unusable TLS material or proxy settings.
    static func make(
        _ configuration: ClientConfiguration, endpoint: ClientConfiguration.Endpoint, pool: Pool,
        environment: [String: String]
    ) throws(KubeError) -> HTTPClient.Configuration {
        let tls = try TLSConfigurationBuilder.make(for: configuration)
        var http = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: nil), decompression: .disabled)
        // Our retry policy decides about connection failures: AHC's own retries would hold a TLS
        // verification failure back until the connect timeout and then hide it.
        http.connectionPool.retryConnectionEstablishment = false
        if pool == .watches {
            http.httpVersion = .http1Only
            // One connection per open watch, however many there are; idle ones still close after a minute.
            http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Int.max
        }
        // An empty tls-server-name means none, as kubectl reads it.
        let tlsServerName = configuration.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }
        if let serverName = tlsServerName, serverName != endpoint.host {
            // The URL carries the server name, so that it is sent as SNI; the connection goes to the real host.
            http.dnsOverride = [serverName: endpoint.host]
        }
        http.proxy = try ProxyRoute.proxy(
            explicit: configuration.proxyURL,
            environment: configuration.proxyFromEnvironment ? environment : nil,
            scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port)
        if endpoint.scheme == "https", !configuration.insecureSkipTLSVerify {
            let check = ServerNameCheck(expected: tlsServerName ?? endpoint.host)
            // AsyncHTTPClient offers no verification callback of its own; these initializers run on every
            // new connection once its TLS handshake is done and before any request is sent on it, and a
            // failure fails the requests waiting for that connection.
            http.http1_1ConnectionDebugInitializer = { channel in verify(channel, check) }
            http.http2ConnectionDebugInitializer = { channel in verify(channel, check) }
        }
        return http
    }

    /// Checks the peer certificate of a new connection, closing the connection if it names another host.
    private static func verify(_ channel: any Channel, _ check: ServerNameCheck) -> EventLoopFuture<Void> {
        channel.eventLoop.submit {
            guard let peer = try channel.pipeline.syncOperations.nioSSL_peerCertificate() else {
                throw ServerNameMismatch(expected: check.expected, reason: "the server presented no certificate")
            }
            try check.verify(try Certificate(derEncoded: try peer.toDERBytes()))
        }.flatMapError { error in
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
    }
}
