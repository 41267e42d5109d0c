import Foundation
import KubeCore

/// An HTTP request as the API layer sees it, independent of the server that received it.
public struct APIRequest: Sendable {
    public var method: String
    /// The path, without the query.
    public var path: String
    /// Query parameters; a repeated one keeps its last value.
    public var query: [String: String]
    /// Header values by lower-case name.
    public var headers: [String: String]
    public var body: [UInt8]

    /// `?watch=true` (or `1`): a watch rather than a list.
    var isWatch: Bool { query["watch"] == "true" || query["watch"] == "1" }

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits a request target (`/api/v1/pods?watch=true`) into path and query, percent-decoding both.
    public init(method: String, target: String, headers: [String: String] = [:], body: [UInt8] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
                query[decode(keyValue[0])] = keyValue.count > 1 ? decode(keyValue[1]) : ""
            }
        }
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// The media type of the body, without parameters (`application/merge-patch+json`).
    var contentType: String? {
        headers["content-type"].map { String($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased() }
    }
}

/// What the API layer answers.
public enum APIResponse: Sendable {
    /// A JSON document with a status code.
    case json(status: Int, body: JSONValue, headers: [String: String] = [:])
    /// A watch: one JSON object per line until the stream ends.
    case watch(AsyncStream<WatchFrame>)
    /// Plain text (`/healthz`).
    case text(status: Int, body: String)

    static func error(_ error: APIError) -> APIResponse {
        var headers: [String: String] = [:]
        if let seconds = error.retryAfterSeconds { headers["Retry-After"] = String(seconds) }
        return .json(status: error.code, body: error.status, headers: headers)
    }
}
