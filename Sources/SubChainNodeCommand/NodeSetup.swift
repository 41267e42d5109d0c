import Consensus
import Crypto
import Foundation
import SubChainNode
import ZeroMQ

/// The files a node's settings name, read and checked against each other: genesis, keys, API keys.
struct NodeSetup {
    let settings: NodeSettings
    let genesis: Genesis
    let validators: ValidatorSet
    let signingKey: Curve25519.Signing.PrivateKey
    /// Set when the genesis lists transport keys: the chain encrypts peer traffic with CURVE.
    let transportKeys: ZMQCurveKeyPair?
    let apiKeys: APIKeySet?

    /// Reads and checks everything.
    /// - Throws: ``CommandFailure`` with ``CommandFailure/usage`` naming the setting at fault.
    init(settings: NodeSettings) throws(CommandFailure) {
        self.settings = settings
        do {
            genesis = try Genesis.load(from: settings.genesisFile)
            validators = try genesis.validatorSet(source: settings.genesisFile)
            if let chainID = settings.chainID, chainID != genesis.chainId {
                throw NodeConfigurationError.invalid("CHAIN_ID", "\"\(chainID)\" does not match the genesis chain id \"\(genesis.chainId)\"")
            }
            guard Int(settings.nodeID.index) < genesis.validators.count else {
                throw NodeConfigurationError.invalid("NODE_ID", "\(settings.nodeID) is not a validator of the genesis (\(genesis.validators.count) validators)")
            }
            signingKey = try NodeKeys.loadSigningKey(from: settings.signingKeyFile)
            guard signingKey.publicKey.rawRepresentation.base64EncodedString() == genesis.validators[Int(settings.nodeID.index)].signingKey else {
                throw NodeConfigurationError.invalid("SIGNING_KEY_FILE", "\(settings.signingKeyFile) is not the key of \(settings.nodeID) in the genesis")
            }
            transportKeys = try Self.transportKeys(settings: settings, genesis: genesis)
            for peer in settings.peers.addresses where Int(peer.id.index) >= genesis.validators.count {
                throw NodeConfigurationError.invalid("PEERS", "\(peer.id) is not a validator of the genesis")
            }
            apiKeys = try settings.apiKeysFile.map { path throws(NodeConfigurationError) in
                do {
                    return try APIKeySet(contentsOfFile: path)
                } catch {
                    throw .invalid("API_KEYS_FILE", "\(error)")
                }
            }
        } catch let error as NodeConfigurationError {
            throw CommandFailure(error.description, exitCode: CommandFailure.usage)
        } catch {
            throw CommandFailure("\(error)", exitCode: CommandFailure.usage)
        }
    }

    private static func transportKeys(settings: NodeSettings, genesis: Genesis) throws(NodeConfigurationError) -> ZMQCurveKeyPair? {
        guard let expected = genesis.transportKey(of: settings.nodeID) else { return nil }
        guard let path = settings.transportKeyFile else {
            throw .invalid("TRANSPORT_KEY_FILE", "missing; the genesis lists transport keys, so this node needs its CURVE secret key")
        }
        let keys = try NodeKeys.loadTransportKey(from: path)
        guard keys.publicKey == expected else {
            throw .invalid("TRANSPORT_KEY_FILE", "\(path) is not the transport key of \(settings.nodeID) in the genesis")
        }
        return keys
    }

    /// The replica configuration: the genesis plus the tuning settings.
    func replicaConfiguration() throws(CommandFailure) -> ReplicaConfiguration {
        let configuration = ReplicaConfiguration(
            chainID: genesis.chainId, validators: validators, maxBatchEvents: settings.batchSize, maxBatchWait: settings.batchWait,
            viewChangeTimeout: settings.viewChangeTimeout,
            // The doubling ceiling stays at the library default (60 s) unless the base timeout is larger.
            maxViewChangeTimeout: max(settings.viewChangeTimeout, .seconds(60)),
            checkpointInterval: settings.checkpointInterval, maxProposalsInFlight: settings.proposalsInFlight)
        do {
            try configuration.validate()
        } catch {
            throw CommandFailure("BATCH_SIZE/CHECKPOINT_INTERVAL/PROPOSALS_IN_FLIGHT: \(error)", exitCode: CommandFailure.usage)
        }
        return configuration
    }

    /// The transport configuration. Peers listed without a CURVE key get theirs from the genesis, so that
    /// `PEERS` may stay `id@host:port` on an encrypted chain.
    func transportConfiguration() -> PeerTransportConfiguration {
        let peers = PeerList(
            settings.peers.addresses.map { peer in
                var peer = peer
                if transportKeys != nil, peer.curveKey == nil { peer.curveKey = genesis.transportKey(of: peer.id) }
                return peer
            })
        return PeerTransportConfiguration(
            selfID: settings.nodeID, bindHost: settings.bindHost, port: settings.nodePort, peers: peers, transportKeys: transportKeys)
    }
}
