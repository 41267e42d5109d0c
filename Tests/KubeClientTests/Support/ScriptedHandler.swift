import NIOCore
import NIOHTTP1

/// Collects each request, asks the responder, and plays the answer.
final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: RequestLog
    private let respond: TestServer.Responder
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(log: RequestLog, respond: @escaping TestServer.Responder) {
        self.log = log
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri, headers: head.headers,
                body: String(buffer: body), httpMajorVersion: head.version.major)
            log.append(request)
            play(respond(request), context: context)
        }
    }

    private func play(_ response: TestResponse, context: ChannelHandlerContext) {
        switch response {
        case .full(let status, let text, let extraHeaders):
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "\(text.utf8.count)")])
            for (name, value) in extraHeaders { headers.add(name: name, value: value) }
            context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: .init(statusCode: status), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .stream(let status, let steps):
            var headers = HTTPHeaders([("Content-Type", "application/json")])
            // HTTP/2 frames its own body and forbids the header.
            if head?.version.major != 2 { headers.add(name: "Transfer-Encoding", value: "chunked") }
            context.writeAndFlush(
                wrapOutboundOut(.head(.init(version: .http1_1, status: .init(statusCode: status), headers: headers))),
                promise: nil)
            run(steps[...], context: context)
        case .silence:
            break
        }
    }

    private func run(_ steps: ArraySlice<StreamStep>, context: ChannelHandlerContext) {
        guard let step = steps.first else { return }
        let rest = steps.dropFirst()
        switch step {
        case .write(let text):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            run(rest, context: context)
        case .writeBytes(let bytes):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            run(rest, context: context)
        case .pause(let milliseconds):
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
                loopBoundSelf.value.run(rest, context: loopBoundContext.value)
            }
        case .end:
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .abort:
            context.close(promise: nil)
        }
    }
}
