/// A replica's request to move to `newView`, with everything the new primary needs to keep committed
/// blocks committed: its last stable checkpoint and every prepared certificate above it.
public struct ViewChange: Hashable, Sendable {
    public let newView: UInt64
    public let sender: ReplicaID
    public let checkpoint: CheckpointCertificate
    /// At most one certificate per sequence: the one from the highest view this replica prepared in.
    public let prepared: [PreparedCertificate]
    public let signature: [UInt8]

    /// Creates and signs a view change.
    public init(newView: UInt64, checkpoint: CheckpointCertificate, prepared: [PreparedCertificate], signer: MessageSigner) {
        let unsigned = ViewChange(newView: newView, sender: signer.replica, checkpoint: checkpoint, prepared: prepared, signature: [])
        self.init(
            newView: newView, sender: signer.replica, checkpoint: checkpoint, prepared: prepared,
            signature: signer.sign { unsigned.writeSignedFields(into: &$0) })
    }

    /// Assembles a view change from its parts without signing.
    public init(newView: UInt64, sender: ReplicaID, checkpoint: CheckpointCertificate, prepared: [PreparedCertificate], signature: [UInt8]) {
        self.newView = newView
        self.sender = sender
        self.checkpoint = checkpoint
        self.prepared = prepared
        self.signature = signature
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x43))  // "C"
        writer.write(newView)
        writer.write(sender)
        checkpoint.encode(into: &writer)
        writer.writeCount(prepared.count)
        for certificate in prepared { certificate.encode(into: &writer) }
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(newView)
        writer.write(sender)
        checkpoint.encode(into: &writer)
        writer.writeCount(prepared.count)
        for certificate in prepared { certificate.encode(into: &writer) }
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader, limits: MessageLimits, maxVotes: Int) throws(WireFormatError) -> ViewChange {
        let newView = try reader.readUInt64()
        let sender = try reader.readReplicaID()
        let checkpoint = try CheckpointCertificate.decode(from: &reader, maxVotes: maxVotes)
        let count = try reader.readCount(maximum: limits.maxBlocksPerFrame, minimumElementSize: Vote.encodedSize + 4, field: "prepared certificates")
        var prepared = [PreparedCertificate]()
        prepared.reserveCapacity(count)
        for _ in 0..<count { prepared.append(try PreparedCertificate.decode(from: &reader, maxVotes: maxVotes)) }
        let signature = try reader.readSignature()
        return ViewChange(newView: newView, sender: sender, checkpoint: checkpoint, prepared: prepared, signature: signature)
    }
}

/// The new primary's announcement of `view`: the quorum of view changes it acted on and the pre-prepares
/// it derived from them. Backups recompute the pre-prepares from the view changes and accept the new view
/// only when they match.
public struct NewView: Hashable, Sendable {
    public let view: UInt64
    public let sender: ReplicaID
    public let viewChanges: [ViewChange]
    public let prePrepares: [Vote]
    public let signature: [UInt8]

    /// Creates and signs a new-view message.
    public init(view: UInt64, viewChanges: [ViewChange], prePrepares: [Vote], signer: MessageSigner) {
        let unsigned = NewView(view: view, sender: signer.replica, viewChanges: viewChanges, prePrepares: prePrepares, signature: [])
        self.init(
            view: view, sender: signer.replica, viewChanges: viewChanges, prePrepares: prePrepares,
            signature: signer.sign { unsigned.writeSignedFields(into: &$0) })
    }

    /// Assembles a new-view message from its parts without signing.
    public init(view: UInt64, sender: ReplicaID, viewChanges: [ViewChange], prePrepares: [Vote], signature: [UInt8]) {
        self.view = view
        self.sender = sender
        self.viewChanges = viewChanges
        self.prePrepares = prePrepares
        self.signature = signature
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x4e))  // "N"
        writeBody(into: &writer)
    }

    private func writeBody(into writer: inout ByteWriter) {
        writer.write(view)
        writer.write(sender)
        writer.writeCount(viewChanges.count)
        for viewChange in viewChanges { viewChange.encode(into: &writer) }
        writer.writeCount(prePrepares.count)
        for vote in prePrepares { vote.encode(into: &writer) }
    }

    func encode(into writer: inout ByteWriter) {
        writeBody(into: &writer)
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader, limits: MessageLimits, maxVotes: Int) throws(WireFormatError) -> NewView {
        let view = try reader.readUInt64()
        let sender = try reader.readReplicaID()
        let count = try reader.readCount(maximum: maxVotes, minimumElementSize: 64, field: "view changes")
        var viewChanges = [ViewChange]()
        viewChanges.reserveCapacity(count)
        for _ in 0..<count { viewChanges.append(try ViewChange.decode(from: &reader, limits: limits, maxVotes: maxVotes)) }
        let prePrepares = try reader.readVotes(maximum: limits.maxBlocksPerFrame, field: "new-view pre-prepares")
        let signature = try reader.readSignature()
        return NewView(view: view, sender: sender, viewChanges: viewChanges, prePrepares: prePrepares, signature: signature)
    }
}

extension ByteReader {
    mutating func readSignature() throws(WireFormatError) -> [UInt8] {
        let signature = try readLengthPrefixed(maximum: 1024, field: "signature")
        guard signature.count == SigningDomain.signatureLength else {
            throw .invalid(field: "signature", reason: "\(signature.count) bytes, expected \(SigningDomain.signatureLength)")
        }
        return Array(signature)
    }
}

extension SignatureVerifier {
    public func isValid(_ viewChange: ViewChange) -> Bool {
        isValid(viewChange.signature, by: viewChange.sender, over: viewChange.writeSignedFields(into:))
    }

    public func isValid(_ newView: NewView) -> Bool {
        isValid(newView.signature, by: newView.sender, over: newView.writeSignedFields(into:))
    }
}
