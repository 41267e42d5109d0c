import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Kept-alive connections to the servers a benchmark loads, reused across requests: a request takes an
/// idle connection to its endpoint, or opens one, and gives it back when the response has ended.
public final class BenchmarkHTTPClient: Sendable {
    /// A server's address.
    public struct Endpoint: Hashable, Sendable {
        public let host: String
        public let port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    private let group: any EventLoopGroup
    private let idle = Mutex<[Endpoint: [BenchmarkConnection]]>([:])

    /// A client whose connections run on `group`.
    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// Sends a request to `endpoint` and waits for the whole response.
    /// - Parameter headers: Sent besides `Host`, and `Content-Type` and `Content-Length` when there is a
    ///   body, which the connection adds itself.
    /// - Throws: ``BenchmarkConnection/ClosedError`` when the server closes the connection or takes longer
    ///   than `timeout`; the connect error when it cannot be reached.
    public func execute(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, headers: [(String, String)] = [], to endpoint: Endpoint,
        timeout: TimeAmount
    ) async throws -> BenchmarkConnection.Response {
        let connection = try await checkOut(endpoint)
        let response: BenchmarkConnection.Response
        do {
            response = try await connection.send(method, path, body: body, headers: headers, timeout: timeout)
        } catch {
            await connection.close()
            throw error
        }
        if response.keepAlive, connection.isOpen {
            idle.withLock { $0[endpoint, default: []].append(connection) }
        } else {
            await connection.close()
        }
        return response
    }

    /// Closes every idle connection. Requests still running close theirs when they end.
    public func shutdown() async {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for connection in connections { await connection.close() }
    }

    private func checkOut(_ endpoint: Endpoint) async throws -> BenchmarkConnection {
        while let connection = idle.withLock({ $0[endpoint]?.popLast() }) {
            if connection.isOpen { return connection }
        }
        return try await BenchmarkConnection.connect(host: endpoint.host, port: endpoint.port, group: group)
    }
}
