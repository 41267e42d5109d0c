/// Which step of the protocol a ``Vote`` is.
public enum VotePhase: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// The primary's proposal of a block digest for (view, sequence).
    case prePrepare = 1
    /// A backup accepted the pre-prepare.
    case prepare = 2
    /// A replica saw the digest prepared by a quorum.
    case commit = 3
    /// A replica's ledger hash after executing `sequence` (view is always 0).
    case checkpoint = 4
    /// A replica suspects the primary and would move to `view` (sequence 0, zero digest). Unlike a
    /// VIEW-CHANGE it binds the sender to nothing: only f+1 suspicions start a view change.
    case suspect = 5

    public var description: String {
        switch self {
        case .prePrepare: "pre-prepare"
        case .prepare: "prepare"
        case .commit: "commit"
        case .checkpoint: "checkpoint"
        case .suspect: "suspect"
        }
    }
}

/// A signed statement about one digest at one (view, sequence): pre-prepare, prepare, commit, checkpoint
/// or suspicion.
///
/// They share one shape, so certificates of every kind are lists of votes checked by one routine
/// (``SignatureVerifier/validateQuorum``). The signature covers phase, view, sequence, digest and sender.
public struct Vote: Hashable, Sendable {
    public let phase: VotePhase
    public let view: UInt64
    public let sequence: UInt64
    public let digest: SHA256Hash
    public let sender: ReplicaID
    public let signature: [UInt8]

    /// Creates and signs a vote.
    public init(phase: VotePhase, view: UInt64, sequence: UInt64, digest: SHA256Hash, signer: MessageSigner) {
        let unsigned = Vote(phase: phase, view: view, sequence: sequence, digest: digest, sender: signer.replica, signature: [])
        self.init(
            phase: phase, view: view, sequence: sequence, digest: digest, sender: signer.replica,
            signature: signer.sign { unsigned.writeSignedFields(into: &$0) }
        )
    }

    /// Assembles a vote from its parts without signing, for decoding and for tests that forge votes.
    public init(phase: VotePhase, view: UInt64, sequence: UInt64, digest: SHA256Hash, sender: ReplicaID, signature: [UInt8]) {
        self.phase = phase
        self.view = view
        self.sequence = sequence
        self.digest = digest
        self.sender = sender
        self.signature = signature
    }

    /// Whether this vote agrees with `other` on phase, view, sequence and digest.
    func matches(_ other: Vote) -> Bool {
        phase == other.phase && view == other.view && sequence == other.sequence && digest == other.digest
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x56))  // "V": keeps vote signatures apart from other message kinds
        writer.write(phase.rawValue)
        writer.write(view)
        writer.write(sequence)
        writer.write(digest)
        writer.write(sender)
    }

    static let encodedSize = 1 + 8 + 8 + 32 + 4 + 4 + SigningDomain.signatureLength

    func encode(into writer: inout ByteWriter) {
        writer.write(phase.rawValue)
        writer.write(view)
        writer.write(sequence)
        writer.write(digest)
        writer.write(sender)
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader) throws(WireFormatError) -> Vote {
        let rawPhase = try reader.readUInt8()
        guard let phase = VotePhase(rawValue: rawPhase) else { throw .invalid(field: "vote phase", reason: "unknown value \(rawPhase)") }
        let view = try reader.readUInt64()
        let sequence = try reader.readUInt64()
        let digest = try reader.readDigest()
        let sender = try reader.readReplicaID()
        let signature = try reader.readLengthPrefixed(maximum: 1024, field: "signature")
        guard signature.count == SigningDomain.signatureLength else {
            throw .invalid(field: "signature", reason: "\(signature.count) bytes, expected \(SigningDomain.signatureLength)")
        }
        return Vote(phase: phase, view: view, sequence: sequence, digest: digest, sender: sender, signature: Array(signature))
    }
}

extension SignatureVerifier {
    /// Whether the vote's signature is its sender's.
    public func isValid(_ vote: Vote) -> Bool {
        isValid(vote.signature, by: vote.sender, over: vote.writeSignedFields(into:))
    }

    /// Checks that `votes` hold at least `required` valid votes of `phase` for one (view, sequence, digest)
    /// from distinct validators, none of them `excluded`.
    ///
    /// - Returns: `nil` when the votes form a quorum, otherwise why they do not.
    func validateQuorum(
        _ votes: [Vote], phase: VotePhase, view: UInt64?, sequence: UInt64, digest: SHA256Hash,
        required: Int, excluding excluded: ReplicaID? = nil
    ) -> String? {
        var senders = Set<ReplicaID>()
        for vote in votes {
            guard vote.phase == phase else { return "a \(vote.phase) vote in a \(phase) certificate" }
            guard vote.sequence == sequence, vote.digest == digest else { return "\(phase) votes disagree on sequence or digest" }
            if let view, vote.view != view { return "\(phase) votes from different views" }
            guard vote.sender != excluded else { return "\(phase) vote from \(vote.sender), which may not vote in this phase" }
            guard senders.insert(vote.sender).inserted else { return "two \(phase) votes from \(vote.sender)" }
            guard isValid(vote) else { return "\(phase) vote from \(vote.sender) has an invalid signature" }
        }
        return senders.count >= required ? nil : "\(senders.count) \(phase) votes, \(required) required"
    }
}
