import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP calls the client commands make against a node's API.
struct APIClient {
    let baseURL: String
    let apiKey: String?
    /// The whole request, body included, must finish within this many seconds.
    var timeoutSeconds: Int64 = 30

    /// Sends a request and returns the response body.
    /// - Throws: ``CommandFailure`` (one line) for a network error or a non-2xx status, with the node's
    ///   JSON error in the message.
    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> Data {
        let url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) + path : baseURL + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: HTTPResponseStatus
        let data: Data
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
            status = response.status
            data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            throw CommandFailure("\(method) \(url): \(error)", exitCode: CommandFailure.unavailable)
        }
        guard (200..<300).contains(Int(status.code)) else {
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw CommandFailure("\(method) \(url): HTTP \(status.code) \(text)")
        }
        return data
    }
}

/// Prints a JSON body pretty and key-sorted, or as received when it is not JSON.
enum JSONPrinter {
    static func print(_ data: Data) {
        if let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            Swift.print(String(decoding: pretty, as: UTF8.self))
        } else {
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }
}
