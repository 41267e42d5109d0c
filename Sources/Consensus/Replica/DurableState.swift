/// A fact a replica must not forget across a crash.
public enum DurableRecord: Hashable, Sendable {
    /// The replica began changing to this view: it will never again vote in a lower one.
    case view(UInt64)
    /// The replica entered the NEW-VIEW's view (as its primary, before sending it). The message is kept so
    /// that, even after a restart, the replica can hand it to peers that missed it.
    case installedView(NewView, blocks: [Block])
    /// The replica's own pre-prepare, prepare or commit vote; it must never sign another digest for the
    /// same phase, view and sequence.
    case vote(Vote)
    /// A prepared certificate and its block, which a view change must carry even after a restart.
    case prepared(PreparedCertificate, Block)
    /// A new stable checkpoint; everything at or below it may be discarded.
    case stableCheckpoint(CheckpointCertificate)
}

/// The persisted consensus state a replica is restored from: the fold of its ``DurableRecord``s.
///
/// The shell may store records as an append-only log and rebuild this value on start, or store this value
/// itself; records at or below the stable checkpoint no longer matter and may be compacted away.
public struct DurableState: Hashable, Sendable {
    struct VoteSlot: Hashable, Sendable {
        let phase: VotePhase
        let view: UInt64
        let sequence: UInt64
    }

    struct PreparedEntry: Hashable, Sendable {
        let certificate: PreparedCertificate
        let block: Block
    }

    /// The highest view the replica entered or asked for.
    public private(set) var view: UInt64 = 0
    /// The highest view the replica entered through a NEW-VIEW; below ``view`` while a view change is
    /// under way, so a restarted replica knows it must not vote until a NEW-VIEW arrives.
    public private(set) var installedView: UInt64 = 0
    /// The NEW-VIEW of ``installedView``, with the blocks it re-proposes; `nil` for view 0.
    public private(set) var installedNewView: NewView?
    public private(set) var installedNewViewBlocks: [Block] = []
    /// The latest stable checkpoint, if any above genesis.
    public private(set) var stableCheckpoint: CheckpointCertificate?
    private(set) var votes: [VoteSlot: Vote] = [:]
    private(set) var prepared: [UInt64: PreparedEntry] = [:]

    public init() {}

    /// Folds one record into the state.
    public mutating func apply(_ record: DurableRecord) {
        switch record {
        case .view(let newView):
            view = max(view, newView)
            // Votes of lower views can never be repeated or contradicted: the replica never votes there again.
            votes = votes.filter { $0.key.view >= view }
        case .installedView(let newView, let blocks):
            guard newView.view > installedView else { return }
            view = max(view, newView.view)
            installedView = newView.view
            installedNewView = newView
            installedNewViewBlocks = blocks
            votes = votes.filter { $0.key.view >= view }
        case .vote(let vote):
            guard vote.sequence > stableSequence else { return }
            votes[VoteSlot(phase: vote.phase, view: vote.view, sequence: vote.sequence)] = vote
        case .prepared(let certificate, let block):
            guard certificate.sequence > stableSequence else { return }
            if let existing = prepared[certificate.sequence], existing.certificate.view >= certificate.view { return }
            prepared[certificate.sequence] = PreparedEntry(certificate: certificate, block: block)
        case .stableCheckpoint(let checkpoint):
            guard checkpoint.sequence > stableSequence else { return }
            stableCheckpoint = checkpoint
            votes = votes.filter { $0.key.sequence > checkpoint.sequence }
            prepared = prepared.filter { $0.key > checkpoint.sequence }
        }
    }

    /// The records that rebuild this state, for compacting a record log.
    public var records: [DurableRecord] {
        var result: [DurableRecord] = [.view(view)]
        if let installedNewView { result.append(.installedView(installedNewView, blocks: installedNewViewBlocks)) }
        if let stableCheckpoint { result.append(.stableCheckpoint(stableCheckpoint)) }
        for entry in prepared.values.sorted(by: { $0.certificate.sequence < $1.certificate.sequence }) {
            result.append(.prepared(entry.certificate, entry.block))
        }
        let ordered = votes.values.sorted { ($0.sequence, $0.view, $0.phase.rawValue) < ($1.sequence, $1.view, $1.phase.rawValue) }
        return result + ordered.map { .vote($0) }
    }

    private var stableSequence: UInt64 { stableCheckpoint?.sequence ?? 0 }

    /// The digest this replica already signed for (phase, view, sequence), if any.
    func votedDigest(_ phase: VotePhase, view: UInt64, sequence: UInt64) -> SHA256Hash? {
        votes[VoteSlot(phase: phase, view: view, sequence: sequence)]?.digest
    }
}
