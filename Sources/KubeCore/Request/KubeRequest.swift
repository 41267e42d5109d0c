import Foundation

/// An HTTP request to the Kubernetes API, as a plain value: building one performs no I/O.
///
/// `KubeClient` turns it into a real request by prefixing the cluster's base URL to ``target`` and
/// adding credentials. Query items keep the order the builders produce, so requests compare and
/// print reproducibly.
public struct KubeRequest: Hashable, Sendable {
    /// The HTTP method.
    public enum Method: String, Hashable, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"
    }

    /// One `name=value` query parameter, unencoded.
    public struct QueryItem: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: Method
    /// The URL path, such as `/api/v1/namespaces/demo/pods`, unencoded.
    public var path: String
    /// Query parameters in a stable order, unencoded.
    public var query: [QueryItem]
    /// Header fields, such as `Accept` and `Content-Type`.
    public var headers: [String: String]
    public var body: Data?

    public init(
        method: Method, path: String, query: [QueryItem] = [], headers: [String: String] = [:], body: Data? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The request target: the percent-encoded path followed by the percent-encoded query, such as
    /// `/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29`.
    ///
    /// Query names and values are encoded so that only RFC 3986 unreserved characters remain
    /// literal; in particular `=`, `,`, `!`, `(`, `)`, `&`, `+` and space are escaped, which label
    /// and field selectors need, since a literal `+` would decode as a space on the server.
    public var target: String {
        let encodedPath = Self.percentEncode(path, keeping: Self.unreserved.union([UInt8(ascii: "/")]))
        guard !query.isEmpty else { return encodedPath }
        let encodedQuery = query.map {
            "\(Self.percentEncode($0.name, keeping: Self.unreserved))=\(Self.percentEncode($0.value, keeping: Self.unreserved))"
        }
        return encodedPath + "?" + encodedQuery.joined(separator: "&")
    }

    private static let unreserved: Set<UInt8> = Set(
        Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
            + Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~")])

    private static func percentEncode(_ text: String, keeping allowed: Set<UInt8>) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static let jsonContentType = "application/json"

    static func encodeBody(_ value: some Encodable) throws(KubeCoreError) -> Data {
        do {
            return try JSONEncoder.kubernetes().encode(value)
        } catch {
            throw .encodingFailed(String(describing: type(of: value)), error)
        }
    }
}
