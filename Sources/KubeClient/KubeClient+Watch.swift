import AsyncHTTPClient
import Foundation
import KubeCore
import NIOCore

extension KubeClient {
    /// Watches objects of a type.
    ///
    /// Returns once the server has accepted the watch; events then arrive through the stream.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - namespace: The namespace; `nil` watches all namespaces or a cluster-scoped kind.
    ///   - options: Where to start (`resourceVersion`), bookmarks, `timeoutSeconds`. With
    ///     `timeoutSeconds`, the stream also ends on the client side shortly after it.
    ///   - idleTimeout: Overrides ``ClientConfiguration/watchIdleTimeout`` for this watch.
    /// - Returns: The event stream.
    /// - Throws: ``KubeError`` when the watch is refused: ``KubeError/Code/gone`` for a compacted
    ///   resource version (relist), ``KubeError/Code/forbidden``, ``KubeError/Code/transport``.
    ///   Watches are not retried; resume from the last resource version seen.
    public func watch<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: WatchOptions = WatchOptions(),
        idleTimeout: Duration? = nil
    ) async throws(KubeError) -> WatchStream<Object> {
        let request = try build { () throws(KubeCoreError) in try .watch(type, namespace: namespace, options: options) }
        return try await startWatch(request, timeoutSeconds: options.timeoutSeconds, idleTimeout: idleTimeout)
    }

    /// Watches objects of any kind, as ``KubeCore/JSONValue``.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - namespace: The namespace; `nil` watches all namespaces or a cluster-scoped kind.
    ///   - options: Where to start, bookmarks, `timeoutSeconds`.
    ///   - idleTimeout: Overrides ``ClientConfiguration/watchIdleTimeout`` for this watch.
    /// - Returns: The event stream.
    /// - Throws: ``KubeError`` when the watch is refused.
    public func watch(
        _ resource: ResourceDescriptor, namespace: String? = nil, options: WatchOptions = WatchOptions(),
        idleTimeout: Duration? = nil
    ) async throws(KubeError) -> WatchStream<JSONValue> {
        let request = try build { () throws(KubeCoreError) in try .watch(resource, namespace: namespace, options: options) }
        return try await startWatch(request, timeoutSeconds: options.timeoutSeconds, idleTimeout: idleTimeout)
    }

    /// Grace after `timeoutSeconds` before the client ends a watch itself, so that the server's own
    /// clean close normally comes first.
    static let watchDeadlineGrace = Duration.seconds(1)

    func startWatch<Object>(
        _ request: KubeRequest, timeoutSeconds: Int?, idleTimeout: Duration?
    ) async throws(KubeError) -> WatchStream<Object> {
        var refreshedCredential = false
        while true {
            try await throttle()
            let credential = try await authenticator.credential()
            let http = try httpRequest(request, credential: credential)
            let response: HTTPClientResponse
            let sent = ContinuousClock.now
            do {
                response = try await watchClient.execute(
                    http, deadline: .now() + .nanoseconds(Self.nanoseconds(configuration.requestTimeout)))
            } catch {
                if error is CancellationError || Task.isCancelled { throw .cancelled }
                observe(request, statusCode: nil, since: sent)
                throw .transport("watch \(Self.describe(request))", error, timeout: configuration.requestTimeout)
            }
            observe(request, statusCode: Int(response.status.code), since: sent)
            // Counted from the response, not the request: the server's own timeout started no later than
            // this, so the client's deadline only ends a watch the server failed to close, even when a
            // loaded machine was slow to connect.
            let started = ContinuousClock.now
            let status = Int(response.status.code)
            if (200..<300).contains(status) {
                return WatchStream(
                    body: response.body, request: Self.describe(request),
                    idleTimeout: idleTimeout ?? configuration.watchIdleTimeout,
                    deadline: timeoutSeconds.map { started + .seconds($0) + Self.watchDeadlineGrace })
            }
            let body: Data
            do {
                body = Data(try await response.body.collect(upTo: 1024 * 1024).readableBytesView)
            } catch {
                body = Data()
            }
            if status == 401, !refreshedCredential, await authenticator.invalidate(credential) {
                refreshedCredential = true
                continue
            }
            throw KubeError.response(
                httpStatus: status, body: body, retryAfter: Self.retryAfter(response.headers),
                request: Self.describe(request))
        }
    }
}
