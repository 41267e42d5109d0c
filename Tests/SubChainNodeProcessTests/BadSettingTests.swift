import Foundation
import Testing

/// `subchain-node run` with an unusable setting.
@Suite("subchain-node settings")
struct BadSettingTests {
    @Test("a malformed NODE_ID exits 64 with one line naming the setting")
    func badNodeID() throws {
        let result = try TestCluster.runToCompletion(
            ["run"], environment: ["NODE_ID": "validator-1", "GENESIS_FILE": "/nonexistent", "SIGNING_KEY_FILE": "/nonexistent"],
            timeout: .seconds(20))
        #expect(result.status == 64)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("subchain-node: NODE_ID: ") == true, "stderr: \(result.stderr)")
    }

    @Test("an unknown flag exits 64 with one line")
    func unknownFlag() throws {
        let result = try TestCluster.runToCompletion(["run", "--no-such-setting", "1"], environment: [:], timeout: .seconds(20))
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
    }

    @Test("a flag overrides the environment: --node-id wins over NODE_ID")
    func flagOverridesEnvironment() throws {
        let result = try TestCluster.runToCompletion(
            ["run", "--node-id", "bad-id"], environment: ["NODE_ID": "node-0"], timeout: .seconds(20))
        #expect(result.status == 64)
        #expect(result.stderr.contains("NODE_ID: \"bad-id\""), "stderr: \(result.stderr)")
    }
}
