import NIOCore
import NIOHTTP1
import NIOPosix

/// One kept-alive HTTP/1.1 connection to a server under benchmark, carrying one request at a time.
///
/// Why not AsyncHTTPClient, which the benchmark used before: on this 2-core machine the client process
/// took 18% of both cores at 1,000 requests/s (perf), CPU the four nodes being measured then did not get.
/// The benchmark needs none of what that buys (pooling policy, redirects, TLS, retries): it sends POSTs
/// and GETs to 127.0.0.1. With a bare channel and swift-nio's own HTTP/1.1 codec the client takes 13%,
/// most of it the kernel's loopback TCP work, and p50 at 1,000 events/s fell from 14.2 to 12.4 ms.
public final class BenchmarkConnection: Sendable {
    /// A response: its status and whole body.
    public struct Response: Sendable {
        public let status: HTTPResponseStatus
        public let body: ByteBuffer
        /// Whether the server keeps the connection open for the next request.
        public let keepAlive: Bool
    }

    /// The connection closed, or the request took longer than its timeout, before the response ended.
    public struct ClosedError: Error {}

    private let channel: any Channel
    let host: String
    let port: Int

    private init(channel: any Channel, host: String, port: Int) {
        self.channel = channel
        self.host = host
        self.port = port
    }

    /// Opens a connection.
    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> BenchmarkConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler())
                }
            }
            .connect(host: host, port: port).get()
        return BenchmarkConnection(channel: channel, host: host, port: port)
    }

    /// Whether the connection can carry another request.
    var isOpen: Bool { channel.isActive }

    /// Sends a request and waits for the whole response. The connection is closed when `timeout` passes
    /// first, which fails the request with ``ClosedError``. `extraHeaders` go after `Host`.
    func send(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, headers extraHeaders: [(String, String)] = [], timeout: TimeAmount
    ) async throws -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(contentsOf: extraHeaders)
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        }
        let response = channel.eventLoop.makePromise(of: Response.self)
        let exchange = Exchange(head: HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers), body: body, response: response)
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        channel.writeAndFlush(exchange, promise: nil)
        defer { deadline.cancel() }
        return try await response.futureResult.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// A request on its way through the pipeline, with the promise its response completes.
private struct Exchange: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
    let response: EventLoopPromise<BenchmarkConnection.Response>
}

/// Writes requests and matches each response to the oldest request still waiting for one.
private final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting = CircularBuffer<EventLoopPromise<BenchmarkConnection.Response>>()
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard context.channel.isActive else {
            // Closed before this request reached it: `channelInactive` has already answered the waiting.
            exchange.response.fail(BenchmarkConnection.ClosedError())
            promise?.fail(BenchmarkConnection.ClosedError())
            return
        }
        waiting.append(exchange.response)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head, let response = waiting.popFirst() else {
                // A response nobody asked for: the exchange is out of step, so the connection is useless.
                context.close(promise: nil)
                return
            }
            self.head = nil
            response.succeed(.init(status: head.status, body: body, keepAlive: head.isKeepAlive))
            body = ByteBuffer()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failWaiting()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failWaiting()
        context.close(promise: nil)
    }

    private func failWaiting() {
        while let response = waiting.popFirst() { response.fail(BenchmarkConnection.ClosedError()) }
    }
}
