import HTTPTypes
import Hummingbird
import KubeCore
import NIOCore

/// Hummingbird's side of the API: turns its requests into ``APIRequest``s and ``APIResponse``s back
/// into HTTP, streaming watches one JSON object per line.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let api: SandboxAPI

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let body: ByteBuffer
        do {
            // One byte over the limit is enough to refuse the request.
            body = try await request.body.collect(upTo: SandboxAPI.maxBodyBytes + 1)
        } catch {
            return Self.encode(.error(.tooLarge(limit: SandboxAPI.maxBodyBytes)))
        }
        let latency = api.injectedLatency(forPath: request.uri.path)
        if latency > .zero { try await Task.sleep(for: latency) }
        let apiRequest = APIRequest(
            method: request.method.rawValue, target: request.uri.description, headers: headers, body: Array(body.readableBytesView))
        return Self.encode(api.handle(apiRequest))
    }

    static func encode(_ response: APIResponse) -> Response {
        switch response {
        case .json(let status, let body, let extra):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in extra {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            let bytes = JSONBody.serialize(body)
            fields[.contentLength] = String(bytes.count)
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .text(let status, let text):
            return Response(
                status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case .watch(let frames):
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for await frame in frames {
                        guard case .event(let type, let object) = frame else { continue }
                        var line = JSONBody.serialize(.object(["type": .string(type), "object": object]))
                        line.append(0x0A)
                        try await writer.write(ByteBuffer(bytes: line))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
