import Consensus
import Foundation
import Synchronization
import ZeroMQ

@testable import SubChainNode

/// Shared set-up for the transport tests: free loopback ports, fast timings, frame collection.
enum PeerTransportTestSupport {
    /// A loopback port nothing listens on now (bound by a throwaway socket, then released).
    static func freePort() throws -> UInt16 {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context, type: .router)
        defer { socket.close() }
        try socket.bind("tcp://127.0.0.1:0")
        let endpoint = try socket.lastEndpoint
        return UInt16(endpoint.split(separator: ":").last!)!
    }

    /// A loopback configuration with short timings, so that tests stay fast.
    static func configuration(
        _ id: UInt32,
        port: UInt16,
        peers: [PeerAddress],
        keys: ZMQCurveKeyPair? = nil,
        maxFrameBytes: Int = 64 * 1024
    ) -> PeerTransportConfiguration {
        PeerTransportConfiguration(
            selfID: ReplicaID(id),
            bindHost: "127.0.0.1",
            port: port,
            peers: PeerList(peers),
            transportKeys: keys,
            maxFrameBytes: maxFrameBytes,
            reconnectInterval: .milliseconds(20),
            reconnectIntervalMax: .milliseconds(200),
            heartbeatInterval: .milliseconds(50),
            livenessTimeout: .milliseconds(500)
        )
    }

    /// Starts `count` transports that all know each other, on free loopback ports.
    static func cluster(_ count: Int, keys: [ZMQCurveKeyPair]? = nil) async throws -> [PeerTransport] {
        let ports = try (0..<count).map { _ in try freePort() }
        let addresses = (0..<count).map { index in
            PeerAddress(id: ReplicaID(UInt32(index)), host: "127.0.0.1", port: ports[index], curveKey: keys?[index].publicKey)
        }
        var transports: [PeerTransport] = []
        for index in 0..<count {
            let peers = addresses.filter { $0.id != ReplicaID(UInt32(index)) }
            transports.append(try await PeerTransport.start(
                configuration(UInt32(index), port: ports[index], peers: peers, keys: keys?[index])
            ))
        }
        return transports
    }

    /// Waits until `condition` holds, checking every 10 ms, for at most `timeout`.
    /// - Returns: whether it held in time.
    static func eventually(
        within timeout: Duration = .seconds(5),
        _ condition: () -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func text(_ frame: InboundPeerFrame) -> String { String(decoding: frame.payload, as: UTF8.self) }
}

/// Consumes a transport's frames in the background and keeps them for inspection.
final class FrameCollector: Sendable {
    private final class Storage: Sendable {
        let frames = Mutex<[InboundPeerFrame]>([])
    }

    private let storage = Storage()
    private let task: Task<Void, Never>

    init(_ transport: PeerTransport) {
        let storage = self.storage
        let frames = transport.frames
        task = Task {
            for await batch in frames { storage.frames.withLock { $0.append(contentsOf: batch) } }
        }
    }

    deinit { task.cancel() }

    var frames: [InboundPeerFrame] { storage.frames.withLock { $0 } }

    /// The payloads that claim to come from `sender`, in arrival order.
    func texts(from sender: UInt32) -> [String] {
        frames.filter { $0.claimedSender == ReplicaID(sender) }.map(PeerTransportTestSupport.text)
    }

    var texts: [String] { frames.map(PeerTransportTestSupport.text) }
}
