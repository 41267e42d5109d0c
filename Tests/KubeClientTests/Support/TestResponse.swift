import NIOHTTP1

/// One request as the test server received it.
struct RecordedRequest: Sendable {
    var method: String
    /// The request target, path and query, exactly as sent.
    var uri: String
    var headers: HTTPHeaders
    var body: String
    /// 1 for HTTP/1.x, 2 for a request that came as an HTTP/2 stream.
    var httpMajorVersion = 1

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: String? { uri.contains("?") ? String(uri.split(separator: "?", maxSplits: 1)[1]) : nil }
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// What the test server answers.
enum TestResponse: Sendable {
    /// A complete response with `Content-Length`.
    case full(status: Int, body: String, headers: [(String, String)] = [])
    /// A chunked response played step by step, for watches.
    case stream(status: Int = 200, steps: [StreamStep])
    /// No answer at all, not even a response head, until the client gives up.
    case silence

    static func json(_ body: String, status: Int = 200) -> TestResponse { .full(status: status, body: body) }
}

/// One step of a streamed response.
enum StreamStep: Sendable {
    /// Write this text as one chunk.
    case write(String)
    /// Write these bytes as one chunk (which may end inside a UTF-8 character).
    case writeBytes([UInt8])
    /// Wait before the next step.
    case pause(milliseconds: Int64)
    /// Send the terminating chunk: a clean end.
    case end
    /// Close the connection without the terminating chunk: a broken stream.
    case abort
}
