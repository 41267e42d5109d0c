import Consensus
import Logging

/// Everything `subchain-node run` needs to know, read from the environment exactly as the operator writes
/// it; command-line flags of the same names (`--node-id` for `NODE_ID`, …) override it.
///
/// A missing or malformed setting fails the start with one line naming the setting and what was expected.
public struct NodeSettings: Sendable, Equatable {
    /// One setting: its environment variable, its default (if any) and what it holds.
    public struct Variable: Sendable {
        public let name: String
        public let defaultValue: String?
        public let help: String

        /// The flag that overrides it: `NODE_ID` → `node-id`.
        public var flag: String { name.lowercased().replacingOccurrences(of: "_", with: "-") }
    }

    /// Every setting, in the order `--help` lists them.
    public static let variables: [Variable] = [
        Variable(name: "NODE_ID", defaultValue: nil, help: "this validator's id, node-N"),
        Variable(name: "PEERS", defaultValue: "", help: "the other validators, id@host:port[:curvekey],… (empty for one validator)"),
        Variable(name: "NODE_PORT", defaultValue: "5001", help: "the consensus (ZeroMQ) port"),
        Variable(name: "API_PORT", defaultValue: "2661", help: "the HTTP API port"),
        Variable(name: "BIND_HOST", defaultValue: "0.0.0.0", help: "the address both ports bind"),
        Variable(name: "CHAIN_ID", defaultValue: nil, help: "the chain id; when set it must match the genesis"),
        Variable(name: "GENESIS_FILE", defaultValue: nil, help: "the genesis document (chain id, validators, keys)"),
        Variable(name: "SIGNING_KEY_FILE", defaultValue: nil, help: "this validator's Ed25519 private key, base64"),
        Variable(name: "TRANSPORT_KEY_FILE", defaultValue: nil, help: "this validator's CURVE secret key, Z85; required when the genesis lists transport keys"),
        Variable(name: "DATA_DIR", defaultValue: "data", help: "where the ledger and consensus state live"),
        Variable(name: "API_KEYS_FILE", defaultValue: nil, help: "keys accepted in X-API-Key for writes, one per line; writes are open without it"),
        Variable(name: "BATCH_SIZE", defaultValue: "1000", help: "the most events per block"),
        Variable(name: "BATCH_WAIT_MS", defaultValue: "0", help: "how long the primary waits for a batch to fill, in milliseconds (0: propose at once; PROPOSALS_IN_FLIGHT batches under load)"),
        Variable(name: "PROPOSALS_IN_FLIGHT", defaultValue: "1", help: "the most blocks the primary has proposed and not yet committed; events arriving meanwhile gather into the next block"),
        Variable(name: "VIEW_CHANGE_TIMEOUT_MS", defaultValue: "1000", help: "how long stalled work waits before the primary is suspected, in milliseconds"),
        Variable(name: "CHECKPOINT_INTERVAL", defaultValue: "16", help: "blocks between checkpoints (the log keeps blocks back to the last one)"),
        Variable(name: "MAX_BODY_BYTES", defaultValue: "1048576", help: "the largest HTTP request body accepted"),
        Variable(name: "LOG_LEVEL", defaultValue: "info", help: "trace, debug, info, notice, warning, error or critical"),
    ]

    public var nodeID: ReplicaID
    /// `LOG_LEVEL`: the least severe log messages written.
    public var logLevel: Logger.Level
    public var peers: PeerList
    public var nodePort: UInt16
    public var apiPort: UInt16
    public var bindHost: String
    public var chainID: String?
    public var genesisFile: String
    public var signingKeyFile: String
    public var transportKeyFile: String?
    public var dataDirectory: String
    public var apiKeysFile: String?
    public var batchSize: Int
    public var batchWait: Duration
    public var proposalsInFlight: Int
    public var viewChangeTimeout: Duration
    public var checkpointInterval: UInt64
    public var maxBodyBytes: Int

    /// Reads the settings.
    /// - Parameter environment: the process environment, with flag values already laid over it.
    /// - Throws: ``NodeConfigurationError`` for the first setting that is missing or malformed.
    public init(environment: [String: String]) throws(NodeConfigurationError) {
        func value(_ name: String) -> String? {
            if let set = environment[name]?.trimmingCharacters(in: .whitespaces), !set.isEmpty { return set }
            return Self.variables.first { $0.name == name }?.defaultValue
        }
        func required(_ name: String, _ expected: String) throws(NodeConfigurationError) -> String {
            guard let text = value(name) else { throw .invalid(name, "missing; expected \(expected)") }
            return text
        }
        func integer(_ name: String, in range: ClosedRange<Int>) throws(NodeConfigurationError) -> Int {
            let text = try required(name, "an integer in \(range.lowerBound)…\(range.upperBound)")
            guard let number = Int(text), range.contains(number) else {
                throw .invalid(name, "\"\(text)\" is not an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return number
        }
        let idText = try required("NODE_ID", "node-N")
        guard let nodeID = ReplicaID(nodeName: idText) else { throw .invalid("NODE_ID", "\"\(idText)\" is not of the form node-N") }
        self.nodeID = nodeID
        do {
            peers = try PeerList(parsing: value("PEERS") ?? "", selfID: nodeID)
        } catch {
            throw .invalid("PEERS", "\(error)")
        }
        nodePort = UInt16(try integer("NODE_PORT", in: 1...65_535))
        apiPort = UInt16(try integer("API_PORT", in: 1...65_535))
        guard nodePort != apiPort else { throw .invalid("API_PORT", "must differ from NODE_PORT (\(nodePort))") }
        bindHost = try required("BIND_HOST", "an address to bind, such as 0.0.0.0")
        chainID = value("CHAIN_ID")
        genesisFile = try required("GENESIS_FILE", "the path of the genesis document")
        signingKeyFile = try required("SIGNING_KEY_FILE", "the path of this validator's Ed25519 key")
        transportKeyFile = value("TRANSPORT_KEY_FILE")
        dataDirectory = try required("DATA_DIR", "a directory for the ledger")
        apiKeysFile = value("API_KEYS_FILE")
        // The ranges are the replica's own bounds under the default message limits, so that a value
        // it would refuse is refused here, naming the variable.
        batchSize = try integer("BATCH_SIZE", in: 1...MessageLimits().maxBlockEvents)
        batchWait = .milliseconds(try integer("BATCH_WAIT_MS", in: 0...60_000))
        proposalsInFlight = try integer("PROPOSALS_IN_FLIGHT", in: 1...64)
        viewChangeTimeout = .milliseconds(try integer("VIEW_CHANGE_TIMEOUT_MS", in: 10...600_000))
        checkpointInterval = UInt64(try integer("CHECKPOINT_INTERVAL", in: 1...Int(ReplicaConfiguration.largestCheckpointInterval())))
        maxBodyBytes = try integer("MAX_BODY_BYTES", in: 1_024...(64 << 20))
        let level = try required("LOG_LEVEL", "a log level")
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw .invalid("LOG_LEVEL", "\"\(level)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        self.logLevel = logLevel
    }
}
