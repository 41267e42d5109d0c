import Consensus
import Prometheus
import Synchronization

/// The node's Prometheus metrics, served at `/metrics`.
///
/// Consensus and transport keep cumulative counts of their own (``ReplicaCounters``,
/// ``PeerTransportStatus``), so instead of instrumenting their hot paths the counters here are brought up to
/// those counts at each scrape. The commit-latency histogram is the one metric measured here: from submission
/// to the commit reported to a `?wait=commit` request, i.e. what a client waiting for its events sees
/// (the driver does not timestamp events, and events submitted without waiting are not measured).
public final class NodeMetrics: Sendable {
    /// The registry the metrics are in; a node may register its own metrics in it too.
    public let registry: PrometheusCollectorRegistry
    private let commitLatency: DurationHistogram
    /// The totals already added to each counter, keyed by the counter's name and labels.
    private let reported = Mutex<[String: Int]>([:])

    /// Creates the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        commitLatency = registry.makeDurationHistogram(
            descriptor: Metric.commitLatency.descriptor, labels: [],
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10)])
    }

    /// Records how long submitted events took to commit, as a client waiting for them saw it.
    public func recordCommitLatency(_ duration: Duration) { commitLatency.record(duration) }

    /// The Prometheus text exposition of all metrics, brought up to date with the node's state.
    public func exposition(replica: ReplicaStatus, peers: PeerTransportStatus) -> [UInt8] {
        let counters = replica.counters
        reported.withLock { reported in
            func advance(_ metric: Metric, labels: [(String, String)] = [], to total: Int) {
                let descriptor = metric.descriptor
                let key = ([descriptor.name] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
                // Made even at zero, so that every series exists from the first scrape.
                let counter = registry.makeCounter(descriptor: descriptor, labels: labels)
                let delta = total - reported[key, default: 0]
                // Counts only grow within one driver; a smaller one (never expected) is not subtracted.
                guard delta > 0 else { return }
                counter.increment(by: Int64(delta))
                reported[key] = total
            }
            advance(.blocksCommitted, to: counters.blocksCommitted)
            advance(.eventsCommitted, to: counters.eventsCommitted)
            advance(.blocksTransferred, to: counters.blocksTransferred)
            advance(.viewChangesStarted, to: counters.viewChangesStarted)
            advance(.viewsInstalled, to: counters.viewsInstalled)
            for (type, count) in counters.received { advance(.messagesReceived, labels: [("type", type)], to: count) }
            for reason in DropReason.allCases {
                advance(.consensusDrops, labels: [("reason", reason.rawValue)], to: counters.drops[reason, default: 0])
            }
            for reason in PeerDropReason.allCases {
                advance(.transportDrops, labels: [("reason", reason.rawValue)], to: peers.dropped(reason))
            }
        }
        registry.makeGauge(descriptor: Metric.height.descriptor).set(Int64(replica.height))
        registry.makeGauge(descriptor: Metric.view.descriptor).set(Int64(replica.view))
        registry.makeGauge(descriptor: Metric.pendingEvents.descriptor).set(Int64(replica.pendingEvents))
        registry.makeGauge(descriptor: Metric.peersConnected.descriptor).set(Int64(peers.connectedCount))
        for (id, link) in peers.peers {
            registry.makeGauge(descriptor: Metric.peerConnected.descriptor, labels: [("peer", id.description)]).set(Int64(link.state == .connected ? 1 : 0))
        }
        return registry.emitToBuffer()
    }

    /// Each metric's name, unit and help; descriptors are made on use because they are not `Sendable`.
    private enum Metric: String {
        case blocksCommitted = "blocks_committed"
        case eventsCommitted = "events_committed"
        case blocksTransferred = "blocks_transferred"
        case viewChangesStarted = "view_changes_started"
        case viewsInstalled = "views_installed"
        case messagesReceived = "messages_received"
        case consensusDrops = "consensus_drops"
        case transportDrops = "transport_drops"
        case commitLatency = "commit_latency"
        case height
        case view
        case pendingEvents = "pending_events"
        case peersConnected = "peers_connected"
        case peerConnected = "peer_connected"

        var descriptor: MetricNameDescriptor {
            MetricNameDescriptor(namespace: "subchain", metricName: rawValue, unitName: unit, helpText: help)
        }

        private var unit: String {
            switch self {
            case .commitLatency: "seconds"
            case .height, .view, .pendingEvents, .peersConnected, .peerConnected: ""
            default: "total"
            }
        }

        private var help: String {
            switch self {
            case .blocksCommitted: "Blocks committed, including those fetched by state transfer."
            case .eventsCommitted: "Events committed for the first time."
            case .blocksTransferred: "Blocks fetched from peers by state transfer."
            case .viewChangesStarted: "View changes this replica started."
            case .viewsInstalled: "New views this replica installed."
            case .messagesReceived: "Consensus messages received and decoded, by type."
            case .consensusDrops: "Consensus inputs the replica ignored, by reason."
            case .transportDrops: "Frames the peer transport discarded, by reason."
            case .commitLatency: "Time from submission to commit, as seen by POST /v1/events?wait=commit."
            case .height: "The height of the last executed block."
            case .view: "The current consensus view."
            case .pendingEvents: "Client events held and not yet committed."
            case .peersConnected: "Peers that answered a ping recently."
            case .peerConnected: "1 while the peer answers pings, 0 otherwise."
            }
        }
    }
}
