/// Everything replicas say to each other.
///
/// On the wire a message is one frame: a format version, the chain id, a kind byte, the kind's fields
/// (each signed part carrying its own signature) and the blocks it refers to. Blocks travel beside the
/// signed parts, bound to them by digest, so a block is sent once even when several certificates name it.
public enum ConsensusMessage: Hashable, Sendable {
    /// The primary proposes `block` for the vote's (view, sequence).
    case prePrepare(Vote, Block)
    /// A prepare, commit or checkpoint vote.
    case vote(Vote)
    case viewChange(ViewChange, blocks: [Block])
    case newView(NewView, blocks: [Block])
    case stateRequest(StateRequest)
    case stateResponse(StateResponse, blocks: [Block])
    case forward(EventForward)

    /// The current frame format.
    public static let formatVersion: UInt8 = 1

    /// The replica that signed the message.
    public var sender: ReplicaID {
        switch self {
        case .prePrepare(let vote, _), .vote(let vote): vote.sender
        case .viewChange(let viewChange, _): viewChange.sender
        case .newView(let newView, _): newView.sender
        case .stateRequest(let request): request.sender
        case .stateResponse(let response, _): response.sender
        case .forward(let forward): forward.sender
        }
    }

    /// The view the message speaks of (the target view of a view change), or 0 for view-less messages.
    public var view: UInt64 {
        switch self {
        case .prePrepare(let vote, _), .vote(let vote): vote.view
        case .viewChange(let viewChange, _): viewChange.newView
        case .newView(let newView, _): newView.view
        case .stateRequest(let request): request.view
        case .stateResponse(let response, _): response.view
        case .forward: 0
        }
    }

    /// A short name for metrics and logs.
    public var kindName: String {
        switch self {
        case .prePrepare: "pre-prepare"
        case .vote(let vote): vote.phase.description
        case .viewChange: "view-change"
        case .newView: "new-view"
        case .stateRequest: "state-request"
        case .stateResponse: "state-response"
        case .forward: "forward"
        }
    }

    private enum Kind: UInt8 {
        case prePrepare = 1, vote, viewChange, newView, stateRequest, stateResponse, forward
    }

    /// Encodes the message as one frame for `chainID`.
    public func encoded(chainID: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.write(Self.formatVersion)
        writer.write(chainID)
        var blocks: [Block] = []
        switch self {
        case .prePrepare(let vote, let block):
            writer.write(Kind.prePrepare.rawValue)
            vote.encode(into: &writer)
            blocks = [block]
        case .vote(let vote):
            writer.write(Kind.vote.rawValue)
            vote.encode(into: &writer)
        case .viewChange(let viewChange, let attached):
            writer.write(Kind.viewChange.rawValue)
            viewChange.encode(into: &writer)
            blocks = attached
        case .newView(let newView, let attached):
            writer.write(Kind.newView.rawValue)
            newView.encode(into: &writer)
            blocks = attached
        case .stateRequest(let request):
            writer.write(Kind.stateRequest.rawValue)
            request.encode(into: &writer)
        case .stateResponse(let response, let attached):
            writer.write(Kind.stateResponse.rawValue)
            response.encode(into: &writer)
            blocks = attached
        case .forward(let forward):
            writer.write(Kind.forward.rawValue)
            forward.encode(into: &writer)
        }
        Block.encodeList(blocks, into: &writer)
        return writer.bytes
    }

    /// Decodes one frame.
    ///
    /// - Parameters:
    ///   - bytes: the frame as received.
    ///   - chainID: this replica's chain; frames for another chain are refused before their body is read.
    ///   - limits: size bounds checked before anything is allocated.
    ///   - maxVotes: the most votes one certificate may hold (the validator count).
    /// - Throws: ``FrameError`` saying what is wrong with the frame.
    public static func decode(
        _ bytes: [UInt8], chainID: String, limits: MessageLimits, maxVotes: Int
    ) throws(FrameError) -> ConsensusMessage {
        guard bytes.count <= limits.maxFrameBytes else {
            throw .malformed(.tooLarge(field: "frame", length: bytes.count, maximum: limits.maxFrameBytes))
        }
        var reader = ByteReader(bytes)
        do {
            let version = try reader.readUInt8()
            guard version == formatVersion else {
                throw WireFormatError.invalid(field: "format version", reason: "\(version), expected \(formatVersion)")
            }
            let frameChain = try reader.readString(maximum: 253, field: "chain id")
            guard frameChain == chainID else { throw FrameError.wrongChain(frameChain) }
            let rawKind = try reader.readUInt8()
            guard let kind = Kind(rawValue: rawKind) else { throw WireFormatError.invalid(field: "message kind", reason: "unknown value \(rawKind)") }
            let message: ConsensusMessage
            switch kind {
            case .prePrepare:
                let vote = try Vote.decode(from: &reader)
                let blocks = try decodeBlocks(&reader, chainID: chainID, limits: limits)
                guard blocks.count == 1 else {
                    throw WireFormatError.invalid(field: "pre-prepare", reason: "carries \(blocks.count) blocks, expected 1")
                }
                message = .prePrepare(vote, blocks[0])
            case .vote:
                message = .vote(try Vote.decode(from: &reader))
                try expectNoBlocks(&reader)
            case .viewChange:
                let viewChange = try ViewChange.decode(from: &reader, limits: limits, maxVotes: maxVotes)
                message = .viewChange(viewChange, blocks: try decodeBlocks(&reader, chainID: chainID, limits: limits))
            case .newView:
                let newView = try NewView.decode(from: &reader, limits: limits, maxVotes: maxVotes)
                message = .newView(newView, blocks: try decodeBlocks(&reader, chainID: chainID, limits: limits))
            case .stateRequest:
                message = .stateRequest(try StateRequest.decode(from: &reader))
                try expectNoBlocks(&reader)
            case .stateResponse:
                let response = try StateResponse.decode(from: &reader, limits: limits, maxVotes: maxVotes)
                message = .stateResponse(response, blocks: try decodeBlocks(&reader, chainID: chainID, limits: limits))
            case .forward:
                message = .forward(try EventForward.decode(from: &reader, limits: limits))
                try expectNoBlocks(&reader)
            }
            try reader.expectEnd()
            return message
        } catch let error as FrameError {
            throw error
        } catch let error as WireFormatError {
            throw .malformed(error)
        } catch {
            throw .malformed(.invalid(field: "frame", reason: "\(error)"))
        }
    }

    private static func decodeBlocks(_ reader: inout ByteReader, chainID: String, limits: MessageLimits) throws(WireFormatError) -> [Block] {
        try Block.decodeList(from: &reader, chainID: chainID, limits: limits, field: "attached blocks")
    }

    private static func expectNoBlocks(_ reader: inout ByteReader) throws(WireFormatError) {
        let count = try reader.readUInt32()
        guard count == 0 else { throw .invalid(field: "attached blocks", reason: "\(count) blocks on a message that carries none") }
    }
}

/// Why a frame from a peer was refused.
public struct FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case malformed(WireFormatError)
        case wrongChain(String)
    }

    private let kind: Kind

    /// The bytes are not a well-formed frame.
    public static func malformed(_ error: WireFormatError) -> Self { Self(kind: .malformed(error)) }
    /// The frame belongs to another chain.
    public static func wrongChain(_ chainID: String) -> Self { Self(kind: .wrongChain(chainID)) }

    /// Whether the frame was refused only because it names another chain.
    public var isWrongChain: Bool { if case .wrongChain = kind { true } else { false } }

    public var description: String {
        switch kind {
        case .malformed(let error): "malformed frame: \(error)"
        case .wrongChain(let chainID): "frame for chain \"\(chainID)\""
        }
    }
}
