/// Proof that a quorum committed `digest` at `sequence`: the commit votes of one view.
///
/// Stored with every block in the ledger, so a replica that fetches blocks from a peer checks the
/// quorum's signatures instead of trusting that peer.
public struct CommitCertificate: Hashable, Sendable {
    public let view: UInt64
    public let sequence: UInt64
    public let digest: SHA256Hash
    public let votes: [Vote]

    public init(view: UInt64, sequence: UInt64, digest: SHA256Hash, votes: [Vote]) {
        self.view = view
        self.sequence = sequence
        self.digest = digest
        self.votes = votes
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(view)
        writer.write(sequence)
        writer.write(digest)
        writer.writeCount(votes.count)
        for vote in votes { vote.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader, maxVotes: Int) throws(WireFormatError) -> CommitCertificate {
        let view = try reader.readUInt64()
        let sequence = try reader.readUInt64()
        let digest = try reader.readDigest()
        let votes = try reader.readVotes(maximum: maxVotes, field: "commit certificate votes")
        return CommitCertificate(view: view, sequence: sequence, digest: digest, votes: votes)
    }
}

/// Proof that a quorum reached the same ledger hash after executing `sequence`.
///
/// Sequence 0 is the genesis checkpoint: it needs no votes, and its state digest is the genesis hash.
public struct CheckpointCertificate: Hashable, Sendable {
    public let sequence: UInt64
    public let stateDigest: SHA256Hash
    public let votes: [Vote]

    public init(sequence: UInt64, stateDigest: SHA256Hash, votes: [Vote]) {
        self.sequence = sequence
        self.stateDigest = stateDigest
        self.votes = votes
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(sequence)
        writer.write(stateDigest)
        writer.writeCount(votes.count)
        for vote in votes { vote.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader, maxVotes: Int) throws(WireFormatError) -> CheckpointCertificate {
        let sequence = try reader.readUInt64()
        let stateDigest = try reader.readDigest()
        let votes = try reader.readVotes(maximum: maxVotes, field: "checkpoint certificate votes")
        return CheckpointCertificate(sequence: sequence, stateDigest: stateDigest, votes: votes)
    }
}

/// Proof that `digest` was prepared at (view, sequence): the primary's pre-prepare and a quorum's prepares.
///
/// View changes carry these so that a block that may have committed anywhere is proposed again.
public struct PreparedCertificate: Hashable, Sendable {
    public let prePrepare: Vote
    public let prepares: [Vote]

    public init(prePrepare: Vote, prepares: [Vote]) {
        self.prePrepare = prePrepare
        self.prepares = prepares
    }

    public var view: UInt64 { prePrepare.view }
    public var sequence: UInt64 { prePrepare.sequence }
    public var digest: SHA256Hash { prePrepare.digest }

    func encode(into writer: inout ByteWriter) {
        prePrepare.encode(into: &writer)
        writer.writeCount(prepares.count)
        for vote in prepares { vote.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader, maxVotes: Int) throws(WireFormatError) -> PreparedCertificate {
        let prePrepare = try Vote.decode(from: &reader)
        let prepares = try reader.readVotes(maximum: maxVotes, field: "prepared certificate votes")
        return PreparedCertificate(prePrepare: prePrepare, prepares: prepares)
    }
}

extension ByteReader {
    mutating func readVotes(maximum: Int, field: String) throws(WireFormatError) -> [Vote] {
        let count = try readCount(maximum: maximum, minimumElementSize: Vote.encodedSize, field: field)
        var votes = [Vote]()
        votes.reserveCapacity(count)
        for _ in 0..<count { votes.append(try Vote.decode(from: &self)) }
        return votes
    }
}

extension SignatureVerifier {
    /// Why `certificate` does not prove a commit of `digest` at `sequence`, or `nil` when it does.
    public func problem(with certificate: CommitCertificate, sequence: UInt64, digest: SHA256Hash) -> String? {
        guard certificate.sequence == sequence, certificate.digest == digest else {
            return "commit certificate is for another block"
        }
        return validateQuorum(
            certificate.votes, phase: .commit, view: certificate.view, sequence: sequence, digest: digest,
            required: validators.quorum)
    }

    /// Why `certificate` is not a valid checkpoint proof, or `nil` when it is.
    public func problem(with certificate: CheckpointCertificate, genesisHash: SHA256Hash) -> String? {
        if certificate.sequence == 0 {
            return certificate.stateDigest == genesisHash ? nil : "genesis checkpoint with a digest other than the genesis hash"
        }
        return validateQuorum(
            certificate.votes, phase: .checkpoint, view: 0, sequence: certificate.sequence,
            digest: certificate.stateDigest, required: validators.quorum)
    }

    /// Why `certificate` is not a valid prepared certificate, or `nil` when it is.
    public func problem(with certificate: PreparedCertificate) -> String? {
        let prePrepare = certificate.prePrepare
        guard prePrepare.phase == .prePrepare else { return "prepared certificate without a pre-prepare" }
        let primary = validators.primary(of: prePrepare.view)
        guard prePrepare.sender == primary else { return "pre-prepare from \(prePrepare.sender), not the primary \(primary)" }
        guard isValid(prePrepare) else { return "pre-prepare with an invalid signature" }
        return validateQuorum(
            certificate.prepares, phase: .prepare, view: prePrepare.view, sequence: prePrepare.sequence,
            digest: prePrepare.digest, required: validators.quorum - 1, excluding: primary)
    }
}
