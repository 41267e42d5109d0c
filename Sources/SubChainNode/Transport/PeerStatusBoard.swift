import Consensus
import Synchronization

/// The counters and link states that the I/O thread writes and any thread reads.
final class PeerStatusBoard: Sendable {
    private let status: Mutex<PeerTransportStatus>
    private let livenessTimeout: Duration

    init(peers: [PeerAddress], livenessTimeout: Duration) {
        self.status = Mutex(PeerTransportStatus(peers: peers))
        self.livenessTimeout = livenessTimeout
    }

    /// The current counters, with each link's state judged at `now`.
    func snapshot(at now: ContinuousClock.Instant = .now) -> PeerTransportStatus {
        var snapshot = status.withLock { $0 }
        for (id, link) in snapshot.peers {
            snapshot.peers[id]?.state = state(lastPong: link.lastPong, at: now)
        }
        return snapshot
    }

    /// Stores each link's state at `now`; returns the links whose state changed, for logging.
    func refreshStates(at now: ContinuousClock.Instant) -> [(ReplicaID, PeerConnectionState)] {
        status.withLock { status in
            var changes: [(ReplicaID, PeerConnectionState)] = []
            for (id, link) in status.peers {
                let state = state(lastPong: link.lastPong, at: now)
                if state != link.state {
                    status.peers[id]?.state = state
                    changes.append((id, state))
                }
            }
            return changes
        }
    }

    func recordPong(from id: ReplicaID, at now: ContinuousClock.Instant) {
        status.withLock { $0.peers[id]?.lastPong = now }
    }

    func recordSent(_ count: Int, queueFull: Int, to id: ReplicaID) {
        status.withLock { status in
            status.peers[id]?.sent += count
            if queueFull > 0 { status.peers[id]?.dropped[.queueFull, default: 0] += queueFull }
        }
    }

    func recordReceived(from sender: ReplicaID?) {
        status.withLock { status in
            if let sender, status.peers[sender] != nil {
                status.peers[sender]?.received += 1
            } else {
                status.receivedFromUnknown += 1
            }
        }
    }

    func recordDrop(_ reason: PeerDropReason, peer: ReplicaID?, count: Int = 1) {
        status.withLock { status in
            if let peer, status.peers[peer] != nil {
                status.peers[peer]?.dropped[reason, default: 0] += count
            } else {
                status.droppedUnattributed[reason, default: 0] += count
            }
        }
    }

    private func state(lastPong: ContinuousClock.Instant?, at now: ContinuousClock.Instant) -> PeerConnectionState {
        guard let lastPong, now - lastPong <= livenessTimeout else { return .connecting }
        return .connected
    }
}
