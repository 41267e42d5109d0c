import Consensus
import Crypto
import Ledger
import Logging

/// A fixed chain for ledger tests: four validators with deterministic Ed25519 keys, and helpers that build
/// correctly signed, linked blocks of client events.
public struct ChainFixture: Sendable {
    public let replica: ReplicaConfiguration
    public let signers: [MessageSigner]

    /// - Parameter validatorCount: n; blocks carry commit votes from the first quorum of them.
    public init(chainID: String = "ledger-test", validatorCount: Int = 4) throws {
        let keys = try (0..<validatorCount).map {
            try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8($0 + 1), count: 32))
        }
        let validators = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        replica = ReplicaConfiguration(chainID: chainID, validators: validators)
        signers = keys.enumerated().map { MessageSigner(replica: ReplicaID(UInt32($0.offset)), key: $0.element, chainID: chainID) }
    }

    public var genesisHash: SHA256Hash { replica.genesisHash }

    /// A block store configuration for `directory`.
    public func configuration(directory: String, verification: Verification = .tail(blocks: 1_024), logger: Logger? = nil) -> BlockStoreConfiguration {
        BlockStoreConfiguration(
            directory: directory, replica: replica, verification: verification,
            logger: logger ?? Logger(label: "ledger-test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// The client event numbered `number`: distinct numbers give distinct ids.
    public func clientEvent(_ number: Int) -> ClientEvent {
        ClientEvent(
            entityId: "lot-\(number % 1_000)", type: "scanned",
            details: ["sequence": String(number), "site": "dock-\(number % 7)"], clientId: "fixture", nonce: String(number))
    }

    /// Events numbered `numbers`, as consensus carries them.
    public func events(_ numbers: some Sequence<Int>) -> [Event] {
        numbers.map { clientEvent($0).consensusEvent }
    }

    /// A committed block with a commit certificate signed by a quorum, in view `view`.
    public func block(
        height: UInt64, previousHash: SHA256Hash, events: [Event], duplicates: Set<SHA256Hash> = [], view: UInt64 = 0
    ) -> CommittedBlock {
        let block = Block(chainID: replica.chainID, height: height, events: events)
        let votes = signers.prefix(replica.validators.quorum).map {
            Vote(phase: .commit, view: view, sequence: height, digest: block.digest, signer: $0)
        }
        let certificate = CommitCertificate(view: view, sequence: height, digest: block.digest, votes: votes)
        return CommittedBlock(block: block, certificate: certificate, previousHash: previousHash, duplicateEventIDs: duplicates)
    }

    /// `count` linked blocks after (`height`, `previousHash`), each with `eventsPerBlock` fresh events
    /// numbered from `firstEvent`.
    public func blocks(
        count: Int, eventsPerBlock: Int, after height: UInt64 = 0, previousHash: SHA256Hash? = nil, firstEvent: Int = 0
    ) -> [CommittedBlock] {
        var previous = previousHash ?? genesisHash
        var result: [CommittedBlock] = []
        for offset in 0..<count {
            let first = firstEvent + offset * eventsPerBlock
            let block = self.block(height: height + UInt64(offset) + 1, previousHash: previous, events: events(first..<first + eventsPerBlock))
            result.append(block)
            previous = block.hash
        }
        return result
    }
}
