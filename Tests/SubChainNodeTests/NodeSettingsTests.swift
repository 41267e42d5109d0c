import Consensus
import SubChainNode
import Testing

@Suite("Node settings")
struct NodeSettingsTests {
    static let minimal = [
        "NODE_ID": "node-1", "PEERS": "node-0@10.0.0.1:5001,node-2@node-2.ns.svc:5001", "GENESIS_FILE": "/etc/genesis.json",
        "SIGNING_KEY_FILE": "/keys/signing",
    ]

    @Test("the operator's environment parses, with defaults for everything optional")
    func parsesWithDefaults() throws {
        let settings = try NodeSettings(environment: Self.minimal)
        #expect(settings.nodeID == ReplicaID(1))
        #expect(settings.peers.addresses.map(\.id) == [ReplicaID(0), ReplicaID(2)])
        #expect(settings.nodePort == 5001 && settings.apiPort == 2661)
        #expect(settings.dataDirectory == "data" && settings.batchSize == 1000 && settings.checkpointInterval == 16)
        #expect(settings.viewChangeTimeout == .seconds(1) && settings.batchWait == .zero && settings.proposalsInFlight == 1)
        #expect(settings.transportKeyFile == nil && settings.apiKeysFile == nil)
    }

    @Test("each missing or malformed setting fails with one line naming it", arguments: [
        ("NODE_ID", nil, "NODE_ID: missing; expected node-N"),
        ("NODE_ID", "validator-1", #"NODE_ID: "validator-1" is not of the form node-N"#),
        ("NODE_PORT", "70000", #"NODE_PORT: "70000" is not an integer in 1…65535"#),
        ("API_PORT", "5001", "API_PORT: must differ from NODE_PORT (5001)"),
        ("GENESIS_FILE", nil, "GENESIS_FILE: missing; expected the path of the genesis document"),
        ("BATCH_SIZE", "0", #"BATCH_SIZE: "0" is not an integer in 1…1000"#),
        ("BATCH_SIZE", "1001", #"BATCH_SIZE: "1001" is not an integer in 1…1000"#),
        ("CHECKPOINT_INTERVAL", "63", #"CHECKPOINT_INTERVAL: "63" is not an integer in 1…62"#),
        ("PROPOSALS_IN_FLIGHT", "0", #"PROPOSALS_IN_FLIGHT: "0" is not an integer in 1…64"#),
        ("VIEW_CHANGE_TIMEOUT_MS", "fast", #"VIEW_CHANGE_TIMEOUT_MS: "fast" is not an integer in 10…600000"#),
        ("LOG_LEVEL", "loud", #"LOG_LEVEL: "loud" is not one of trace, debug, info, notice, warning, error, critical"#),
    ] as [(String, String?, String)])
    func malformed(name: String, value: String?, message: String) throws {
        var environment = Self.minimal
        environment[name] = value
        #expect { try NodeSettings(environment: environment) } throws: { "\($0)" == message }
    }

    @Test("a PEERS value listing this node, a duplicate or a bad entry is refused, naming PEERS")
    func badPeers() throws {
        for peers in ["node-1@a:5001", "node-0@a:5001,node-0@b:5001", "node-0@a:99999", "node-0@a:5001,,node-2@b:5001"] {
            var environment = Self.minimal
            environment["PEERS"] = peers
            #expect { try NodeSettings(environment: environment) } throws: { "\($0)".hasPrefix("PEERS: ") }
        }
    }

    @Test("flags are the variables' names in kebab case")
    func flagNames() {
        #expect(NodeSettings.variables.first { $0.name == "VIEW_CHANGE_TIMEOUT_MS" }?.flag == "view-change-timeout-ms")
    }
}
