/// A lagging replica's request for committed blocks from `fromHeight` on.
///
/// `view` is the requester's view: a peer in a later view answers with the new-view message that
/// established its view, so a replica that slept through a view change can rejoin.
public struct StateRequest: Hashable, Sendable {
    public let sender: ReplicaID
    public let view: UInt64
    public let fromHeight: UInt64
    public let signature: [UInt8]

    /// Creates and signs a request.
    public init(view: UInt64, fromHeight: UInt64, signer: MessageSigner) {
        let unsigned = StateRequest(sender: signer.replica, view: view, fromHeight: fromHeight, signature: [])
        self.init(sender: signer.replica, view: view, fromHeight: fromHeight, signature: signer.sign { unsigned.writeSignedFields(into: &$0) })
    }

    /// Assembles a request from its parts without signing.
    public init(sender: ReplicaID, view: UInt64, fromHeight: UInt64, signature: [UInt8]) {
        self.sender = sender
        self.view = view
        self.fromHeight = fromHeight
        self.signature = signature
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x52))  // "R"
        writer.write(sender)
        writer.write(view)
        writer.write(fromHeight)
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(sender)
        writer.write(view)
        writer.write(fromHeight)
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader) throws(WireFormatError) -> StateRequest {
        StateRequest(
            sender: try reader.readReplicaID(), view: try reader.readUInt64(), fromHeight: try reader.readUInt64(),
            signature: try reader.readSignature())
    }
}

/// Committed blocks with their commit certificates, the responder's stable checkpoint, and, when the
/// responder is in a later view than the requester, the new-view message of that view.
///
/// Nothing here is taken on the responder's word: every block must match a certificate signed by a quorum.
public struct StateResponse: Hashable, Sendable {
    public let sender: ReplicaID
    public let view: UInt64
    public let checkpoint: CheckpointCertificate
    /// One certificate per attached block, in height order.
    public let certificates: [CommitCertificate]
    public let newView: NewView?
    public let signature: [UInt8]

    /// Creates and signs a response.
    public init(view: UInt64, checkpoint: CheckpointCertificate, certificates: [CommitCertificate], newView: NewView?, signer: MessageSigner) {
        let unsigned = StateResponse(
            sender: signer.replica, view: view, checkpoint: checkpoint, certificates: certificates, newView: newView, signature: [])
        self.init(
            sender: signer.replica, view: view, checkpoint: checkpoint, certificates: certificates, newView: newView,
            signature: signer.sign { unsigned.writeSignedFields(into: &$0) })
    }

    /// Assembles a response from its parts without signing.
    public init(
        sender: ReplicaID, view: UInt64, checkpoint: CheckpointCertificate, certificates: [CommitCertificate],
        newView: NewView?, signature: [UInt8]
    ) {
        self.sender = sender
        self.view = view
        self.checkpoint = checkpoint
        self.certificates = certificates
        self.newView = newView
        self.signature = signature
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x54))  // "T"
        writeBody(into: &writer)
    }

    private func writeBody(into writer: inout ByteWriter) {
        writer.write(sender)
        writer.write(view)
        checkpoint.encode(into: &writer)
        writer.writeCount(certificates.count)
        for certificate in certificates { certificate.encode(into: &writer) }
        if let newView {
            writer.write(UInt8(1))
            newView.encode(into: &writer)
        } else {
            writer.write(UInt8(0))
        }
    }

    func encode(into writer: inout ByteWriter) {
        writeBody(into: &writer)
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader, limits: MessageLimits, maxVotes: Int) throws(WireFormatError) -> StateResponse {
        let sender = try reader.readReplicaID()
        let view = try reader.readUInt64()
        let checkpoint = try CheckpointCertificate.decode(from: &reader, maxVotes: maxVotes)
        let count = try reader.readCount(maximum: limits.maxBlocksPerFrame, minimumElementSize: 52, field: "commit certificates")
        var certificates = [CommitCertificate]()
        certificates.reserveCapacity(count)
        for _ in 0..<count { certificates.append(try CommitCertificate.decode(from: &reader, maxVotes: maxVotes)) }
        let newView: NewView?
        switch try reader.readUInt8() {
        case 0: newView = nil
        case 1: newView = try NewView.decode(from: &reader, limits: limits, maxVotes: maxVotes)
        case let flag: throw .invalid(field: "new-view flag", reason: "\(flag) is neither 0 nor 1")
        }
        let signature = try reader.readSignature()
        return StateResponse(
            sender: sender, view: view, checkpoint: checkpoint, certificates: certificates, newView: newView, signature: signature)
    }
}

/// Client events a replica relays to the primary, which orders them.
public struct EventForward: Hashable, Sendable {
    public let sender: ReplicaID
    public let events: [Event]
    public let signature: [UInt8]

    /// Creates and signs a forward.
    public init(events: [Event], signer: MessageSigner) {
        let unsigned = EventForward(sender: signer.replica, events: events, signature: [])
        self.init(sender: signer.replica, events: events, signature: signer.sign { unsigned.writeSignedFields(into: &$0) })
    }

    /// Assembles a forward from its parts without signing.
    public init(sender: ReplicaID, events: [Event], signature: [UInt8]) {
        self.sender = sender
        self.events = events
        self.signature = signature
    }

    func writeSignedFields(into writer: inout ByteWriter) {
        writer.write(UInt8(0x46))  // "F"
        writer.write(sender)
        writer.writeCount(events.count)
        // Event ids are hashes of the payloads, so signing the ids signs the payloads without rehashing them.
        for event in events { writer.write(event.id) }
    }

    func encode(into writer: inout ByteWriter) {
        writer.write(sender)
        writer.writeCount(events.count)
        for event in events { writer.writeLengthPrefixed(event.payload) }
        writer.writeLengthPrefixed(signature)
    }

    static func decode(from reader: inout ByteReader, limits: MessageLimits) throws(WireFormatError) -> EventForward {
        let sender = try reader.readReplicaID()
        let count = try reader.readCount(maximum: limits.maxBlockEvents, minimumElementSize: 4, field: "forwarded event count")
        var events = [Event]()
        events.reserveCapacity(count)
        var total = 0
        for _ in 0..<count {
            let payload = try reader.readLengthPrefixedBytes(maximum: limits.maxEventBytes, field: "event payload")
            total += payload.count
            guard total <= limits.maxBlockBytes else { throw .tooLarge(field: "forwarded event bytes", length: total, maximum: limits.maxBlockBytes) }
            events.append(Event(payload: payload))
        }
        return EventForward(sender: sender, events: events, signature: try reader.readSignature())
    }
}

extension SignatureVerifier {
    public func isValid(_ request: StateRequest) -> Bool {
        isValid(request.signature, by: request.sender, over: request.writeSignedFields(into:))
    }

    public func isValid(_ response: StateResponse) -> Bool {
        isValid(response.signature, by: response.sender, over: response.writeSignedFields(into:))
    }

    public func isValid(_ forward: EventForward) -> Bool {
        isValid(forward.signature, by: forward.sender, over: forward.writeSignedFields(into:))
    }
}
