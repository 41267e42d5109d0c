import Foundation
import Testing

/// Runs `body` against a started cluster and always kills every node afterwards, keeping the files and
/// printing the nodes' logs when the body throws.
func withRunningCluster(
    nodes: Int = 4, curve: Bool = true, _ body: (TestCluster, [NodeClient]) async throws -> Void
) async throws {
    let cluster = try TestCluster(nodes: nodes, curve: curve)
    var finished = false
    defer {
        if !finished { print("cluster files kept in \(cluster.directory.path)\n\(cluster.dumpLogs())") }
        cluster.stopAll(keepFiles: !finished)
    }
    try cluster.startAll()
    let clients = (0..<nodes).map { NodeClient(baseURL: cluster.api($0)) }
    try await waitUntilServing(clients, indices: Array(0..<nodes))
    try await body(cluster, clients)
    finished = true
}

/// Waits (bounded) until each listed node answers `/v1/status`.
func waitUntilServing(_ clients: [NodeClient], indices: [Int], timeout: Duration = .seconds(20)) async throws {
    for index in indices {
        try await waitUntil("node-\(index) serves its API", timeout: timeout) { _ = try await clients[index].status(); return true }
    }
}

/// Waits (bounded) until the listed nodes agree on the latest block, at `minimum` or above, and returns it.
@discardableResult
func waitUntilAgreed(
    _ clients: [NodeClient], indices: [Int], atLeast minimum: UInt64, timeout: Duration = .seconds(30)
) async throws -> (height: UInt64, hash: String) {
    var agreed: (height: UInt64, hash: String) = (0, "")
    try await waitUntil("nodes \(indices) agree on a head at height ≥ \(minimum)", timeout: timeout, every: .milliseconds(200)) {
        var heads: [(height: UInt64, hash: String)] = []
        for index in indices { heads.append(try await clients[index].latest()) }
        guard let first = heads.first, first.height >= minimum, heads.allSatisfy({ $0.height == first.height && $0.hash == first.hash }) else {
            return false
        }
        agreed = first
        return true
    }
    return agreed
}

/// Checks that a chain's heights run 1, 2, 3, … with no gap or repeat and that each block links to the last.
func expectContiguous(_ chain: [(height: UInt64, hash: String, previousHash: String)], node: String) {
    for (offset, block) in chain.enumerated() {
        #expect(block.height == UInt64(offset + 1), "\(node): block \(offset) has height \(block.height)")
        if offset > 0 { #expect(block.previousHash == chain[offset - 1].hash, "\(node): block \(block.height) does not link to its predecessor") }
    }
}
