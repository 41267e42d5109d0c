import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Kept-alive connections to the nodes' APIs, reused across requests: a request takes an idle connection
/// to its node, or opens one, and gives it back when the response has ended.
final class BenchmarkHTTPClient: Sendable {
    /// A node's API address.
    struct Endpoint: Hashable, Sendable {
        let host: String
        let port: Int
    }

    private let group: any EventLoopGroup
    private let idle = Mutex<[Endpoint: [BenchmarkConnection]]>([:])

    init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// Sends a request to `endpoint` and waits for the whole response.
    /// - Throws: when the node cannot be reached, closes the connection, or takes longer than `timeout`.
    func execute(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, to endpoint: Endpoint, timeout: TimeAmount
    ) async throws -> BenchmarkConnection.Response {
        let connection = try await checkOut(endpoint)
        let response: BenchmarkConnection.Response
        do {
            response = try await connection.send(method, path, body: body, timeout: timeout)
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
    func shutdown() async {
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
