import Consensus
import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle
import SubChainNode

/// Wires one validator together from its settings and runs it in a `ServiceGroup` until SIGTERM/SIGINT.
///
/// Settings that turn out unusable once their files are read (genesis, keys, chain id) fail with
/// ``CommandFailure/usage`` and one line naming the setting, like malformed values do.
struct NodeRunner {
    let settings: NodeSettings

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "subchain.node")
        let setup = try NodeSetup(settings: settings)
        let replica = try setup.replicaConfiguration()
        let (blocks, state) = try openStores(replica: replica, logger: logger)

        let transport: PeerTransport
        do {
            transport = try await PeerTransport.start(setup.transportConfiguration())
        } catch {
            throw CommandFailure("NODE_PORT: \(error)", exitCode: CommandFailure.unavailable)
        }
        let driver: ReplicaDriver
        do {
            driver = try ReplicaDriver(
                configuration: replica, id: settings.nodeID, signingKey: setup.signingKey, blocks: blocks, state: state,
                transport: transport)
        } catch {
            transport.close()
            throw CommandFailure("SIGNING_KEY_FILE: \(error)", exitCode: CommandFailure.usage)
        }
        let api = NodeHTTPAPI(
            backend: ReplicaNodeBackend(driver: driver, store: blocks, transport: transport, validators: replica.validators),
            configuration: NodeAPIConfiguration(maxBodyBytes: settings.maxBodyBytes, apiKeys: setup.apiKeys))
        let application = Application(
            router: api.makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(settings.bindHost, port: Int(settings.apiPort))),
            logger: Logger(label: "subchain.api"))

        logger.info(
            "subchain-node starting",
            metadata: [
                "node": "\(settings.nodeID)", "chain": "\(replica.chainID)", "nodePort": "\(settings.nodePort)",
                "apiPort": "\(settings.apiPort)", "peers": "\(settings.peers.description)", "height": "\(blocks.height)",
                "curve": "\(setup.transportKeys != nil)",
            ])
        // Graceful shutdown runs in reverse order: the driver stops first (answering commit waiters), then
        // the API drains, then frames stop flowing, and the transport closes its sockets last.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: transport),
                    .init(service: FrameFeeder(transport: transport, driver: driver)),
                    .init(service: APIService(application: application, endpoint: "\(settings.bindHost):\(settings.apiPort)")),
                    .init(service: DriverService(driver: driver, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("subchain-node stopped", metadata: ["node": "\(settings.nodeID)", "height": "\(blocks.height)"])
    }

    private func openStores(replica: ReplicaConfiguration, logger: Logger) throws -> (BlockStore, ConsensusStateStore) {
        do {
            let blocks = try BlockStore(configuration: BlockStoreConfiguration(directory: settings.dataDirectory, replica: replica))
            let state = try ConsensusStateStore(directory: settings.dataDirectory, replica: replica)
            return (blocks, state)
        } catch {
            throw CommandFailure("DATA_DIR: \(settings.dataDirectory): \(error)", exitCode: CommandFailure.software)
        }
    }
}
