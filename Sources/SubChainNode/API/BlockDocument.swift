import Consensus

/// A committed block as `GET /v1/blocks…` returns it.
struct BlockDocument: Codable, Sendable {
    /// Who certified the block.
    struct Certificate: Codable, Sendable {
        /// The view whose commit votes form the certificate.
        var view: UInt64
        /// The validators whose commit votes it holds, as `node-N`.
        var signers: [String]
    }

    var height: UInt64
    /// The hash-chain link: SHA-256 over the previous hash and the digest.
    var hash: String
    var previousHash: String
    /// The digest the validators signed.
    var digest: String
    var events: [EventContentDocument]
    /// Events in this block that had committed before; they stay in the block but are not committed again.
    var duplicateEventIds: [String]
    var certificate: Certificate

    init(_ committed: CommittedBlock) {
        height = committed.height
        hash = committed.hash.hex
        previousHash = committed.previousHash.hex
        digest = committed.block.digest.hex
        events = committed.block.events.map { EventContentDocument(id: $0.id, payload: $0.payload) }
        duplicateEventIds = committed.duplicateEventIDs.sorted().map(\.hex)
        certificate = Certificate(view: committed.certificate.view, signers: committed.certificate.votes.map(\.sender).sorted().map(\.description))
    }
}

/// The body of `GET /v1/blocks`: a page of blocks and where the next page starts.
struct BlockPageDocument: Codable, Sendable {
    var blocks: [BlockDocument]
    /// The `from` of the next page; absent when this page reached the head.
    var next: UInt64?
}
