/// A block as the ledger stores it: the block, the certificate that committed it, and its place in the
/// hash chain.
public struct CommittedBlock: Hashable, Sendable {
    public let block: Block
    public let certificate: CommitCertificate
    /// The hash of the block before it (the genesis hash for height 1).
    public let previousHash: SHA256Hash
    /// SHA-256 over the previous hash and this block's digest: the link in the hash chain.
    public let hash: SHA256Hash
    /// Ids of events in this block that had already committed (at a lower height, or earlier in this
    /// block). They stay in the block, whose digest covers them, but are not committed again.
    public let duplicateEventIDs: Set<SHA256Hash>

    public init(block: Block, certificate: CommitCertificate, previousHash: SHA256Hash, duplicateEventIDs: Set<SHA256Hash>) {
        self.block = block
        self.certificate = certificate
        self.previousHash = previousHash
        self.hash = Self.chainHash(previous: previousHash, digest: block.digest)
        self.duplicateEventIDs = duplicateEventIDs
    }

    public var height: UInt64 { block.height }

    /// The hash-chain link: SHA-256("hierachain/chain/v1" ‖ previous ‖ digest).
    public static func chainHash(previous: SHA256Hash, digest: SHA256Hash) -> SHA256Hash {
        var writer = ByteWriter(capacity: 96)
        writer.writeRaw("hierachain/chain/v1".utf8)
        writer.write(previous)
        writer.write(digest)
        return SHA256Hash.sha256(writer.bytes)
    }
}
