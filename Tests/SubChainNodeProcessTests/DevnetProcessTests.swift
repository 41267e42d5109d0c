import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `subchain-node devnet`, in the serialized ``ClusterProcessTests`` suite since it runs four nodes too.
extension ClusterProcessTests {
    @Test("devnet starts four nodes that commit, and SIGTERM stops all of them")
    func devnetStartsAndStops() async throws {
        let base = FreePorts.run(of: 8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-devnet-test-\(UUID().uuidString.prefix(8))")
        let devnet = Process()
        devnet.executableURL = NodeBinary.url
        devnet.arguments = ["devnet", "--nodes", "4", "--dir", directory.path, "--base-port", "\(base)", "--api-base-port", "\(base + 4)", "--grace-seconds", "5"]
        var environment = ProcessInfo.processInfo.environment
        environment.merge(TestCluster.fastSettings) { _, new in new }
        devnet.environment = environment
        devnet.standardOutput = FileHandle.nullDevice
        devnet.standardError = FileHandle.nullDevice
        try devnet.run()
        defer {
            // The devnet's own SIGTERM path stops its children; SIGKILL here only if the test failed early.
            if devnet.isRunning { Glibc.kill(devnet.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: directory)
        }
        let clients = (0..<4).map { NodeClient(baseURL: "http://127.0.0.1:\(base + 4 + $0)") }
        try await waitUntilServing(clients, indices: [0, 1, 2, 3])
        let committed = try await clients[2].commitRetrying(entity: "devnet")
        try await waitUntilAgreed(clients, indices: [0, 1, 2, 3], atLeast: committed.height)

        Glibc.kill(devnet.processIdentifier, SIGTERM)
        try await waitUntil("the devnet exits", timeout: .seconds(15)) { !devnet.isRunning }
        #expect(devnet.terminationStatus == 0)
        // Every node's ports are free again: no child outlived the devnet. (Probing with HTTP would wait out
        // AsyncHTTPClient's connect retries.)
        for index in 0..<4 {
            #expect(FreePorts.isFree(base + index) && FreePorts.isFree(base + 4 + index), "node-\(index) still holds its ports")
        }
    }
}
