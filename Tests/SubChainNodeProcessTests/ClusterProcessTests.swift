import Foundation
import Testing

/// Real `subchain-node` processes on 127.0.0.1: commit, failover, crash and restart.
///
/// Serialized: each test runs four nodes, and two cores cannot run several clusters at once without
/// timeouts turning into false failures.
@Suite("subchain-node processes", .serialized)
struct ClusterProcessTests {
    @Test("four nodes commit events submitted to any of them and end with identical chains")
    func fourNodesCommit() async throws {
        try await withRunningCluster { _, clients in
            var highest: UInt64 = 0
            for round in 0..<8 {
                let committed = try await clients[round % 4].commitRetrying(entity: "lot-\(round)")
                highest = max(highest, committed.height)
            }
            let head = try await waitUntilAgreed(clients, indices: [0, 1, 2, 3], atLeast: highest)
            #expect(head.height >= 1)
            let chains = try await clients.asyncMap { try await $0.chain() }
            for (index, chain) in chains.enumerated() {
                expectContiguous(chain, node: "node-\(index)")
                #expect(chain.map(\.hash) == chains[0].map(\.hash), "node-\(index)'s chain differs from node-0's")
            }
        }
    }

    @Test("after the leader is killed, events submitted to the others keep committing, heights contiguous")
    func leaderFailover() async throws {
        try await withRunningCluster { cluster, clients in
            _ = try await clients[1].commitRetrying(entity: "before-failover")
            try await cluster.kill(0)
            var highest: UInt64 = 0
            for round in 0..<6 {
                let committed = try await clients[1 + round % 3].commitRetrying(entity: "after-failover-\(round)", attempts: 6)
                highest = max(highest, committed.height)
            }
            try await waitUntilAgreed(clients, indices: [1, 2, 3], atLeast: highest)
            let status = try await clients[1].status()
            #expect(status["leader"] as? String != "node-0", "the leader should have changed: \(status)")
            for index in 1...3 {
                let chain = try await clients[index].chain()
                expectContiguous(chain, node: "node-\(index)")
                #expect(UInt64(chain.count) >= highest)
            }
        }
    }

    @Test("a node killed with SIGKILL and restarted on its data directory catches up")
    func restartedNodeCatchesUp() async throws {
        try await withRunningCluster { cluster, clients in
            for round in 0..<3 { _ = try await clients[round % 4].commitRetrying(entity: "warm-\(round)") }
            try await cluster.kill(3)
            var highest: UInt64 = 0
            for round in 0..<6 {
                highest = max(highest, try await clients[round % 3].commitRetrying(entity: "while-down-\(round)").height)
            }
            try cluster.start(3)
            try await waitUntilServing(clients, indices: [3])
            // Light load after the restart, so that the node also sees new consensus traffic.
            for round in 0..<3 {
                highest = max(highest, try await clients[round % 3].commitRetrying(entity: "after-restart-\(round)").height)
            }
            try await waitUntilAgreed(clients, indices: [0, 1, 2, 3], atLeast: highest)
            expectContiguous(try await clients[3].chain(), node: "node-3")
        }
    }

    @Test("after all four are killed and restarted, every acknowledged event is on every node")
    func wholeClusterCrash() async throws {
        try await withRunningCluster { cluster, clients in
            var acknowledged: [NodeClient.Committed] = []
            for round in 0..<8 { acknowledged.append(try await clients[round % 4].commitRetrying(entity: "durable-\(round)")) }
            for index in 0..<4 { try await cluster.kill(index) }
            try cluster.startAll()
            try await waitUntilServing(clients, indices: [0, 1, 2, 3])
            let highest = acknowledged.map(\.height).max() ?? 0
            try await waitUntilAgreed(clients, indices: [0, 1, 2, 3], atLeast: highest)
            for (index, client) in clients.enumerated() {
                for event in acknowledged {
                    #expect(try await client.isCommitted(event.id), "node-\(index) lost event \(event.id) (height \(event.height))")
                }
            }
            let chains = try await clients.asyncMap { try await $0.chain() }
            for (index, chain) in chains.enumerated() {
                expectContiguous(chain, node: "node-\(index)")
                #expect(chain.map(\.hash) == chains[0].map(\.hash), "node-\(index)'s chain differs from node-0's")
            }
            // And the restarted cluster still commits.
            _ = try await clients[2].commitRetrying(entity: "after-crash", attempts: 6)
        }
    }
}

extension Array {
    /// `map` with an async transform, one element at a time.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
