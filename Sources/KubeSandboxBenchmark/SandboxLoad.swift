import BenchmarkHTTP
import NIOCore

/// Concurrent clients sending requests back to back to the sandbox, each waiting for its response before
/// the next (a closed loop, as the operator's reconcilers do), as the admin user.
struct SandboxLoad: Sendable {
    let client: BenchmarkHTTPClient
    let endpoint: BenchmarkHTTPClient.Endpoint
    let clients: Int
    /// `Authorization`, sent with every request.
    let headers: [(String, String)]

    /// Longer than any request should take on loopback; one that takes longer counts as having no response.
    static let requestTimeout = TimeAmount.seconds(10)

    init(client: BenchmarkHTTPClient, port: Int, token: String, clients: Int) {
        self.client = client
        endpoint = .init(host: "127.0.0.1", port: port)
        self.clients = clients
        headers = [("Authorization", "Bearer \(token)")]
    }

    /// One request, its status code, or ``PhaseResult/noResponse``.
    func send(_ request: LoadRequest) async -> (code: Int, body: ByteBuffer?) {
        do {
            let response = try await client.execute(
                request.method, request.path, body: request.body, headers: headers, to: endpoint, timeout: Self.requestTimeout)
            return (Int(response.status.code), response.body)
        } catch {
            return (PhaseResult.noResponse, nil)
        }
    }

    /// Every client sends `request(client, sequence)` for sequence 0, 1, … until `duration` has passed or
    /// it has sent `requestsPerClient(client)`, whichever comes first.
    func run(
        for duration: Duration, requestsPerClient: @escaping @Sendable (Int) -> Int,
        _ request: @escaping @Sendable (_ client: Int, _ sequence: Int) -> LoadRequest
    ) async -> PhaseResult {
        let started = ContinuousClock.now
        let end = started + duration
        var total = PhaseResult()
        await withTaskGroup(of: PhaseResult.self) { group in
            for index in 0..<clients {
                group.addTask {
                    var result = PhaseResult()
                    for sequence in 0..<requestsPerClient(index) {
                        guard ContinuousClock.now < end else { break }
                        let next = request(index, sequence)
                        let sent = ContinuousClock.now
                        let code = await send(next).code
                        if (200..<300).contains(code) {
                            result.latencies.append(ContinuousClock.now - sent)
                        } else {
                            result.failures[code, default: 0] += 1
                        }
                    }
                    return result
                }
            }
            for await result in group { total.merge(result) }
        }
        total.elapsed = ContinuousClock.now - started
        return total
    }

    /// `count` requests split evenly over the clients, `request(index)` for index 0..<count, within
    /// `timeout`: the preload, which the timed phases need finished rather than merely started.
    func spread(_ count: Int, within timeout: Duration, _ request: @escaping @Sendable (_ index: Int) -> LoadRequest) async -> PhaseResult {
        let clients = self.clients
        // Client c takes indices c, c + clients, c + 2·clients, … below count.
        return await run(for: timeout, requestsPerClient: { client in max(0, (count - client + clients - 1) / clients) }) { client, sequence in
            request(client + sequence * clients)
        }
    }
}
