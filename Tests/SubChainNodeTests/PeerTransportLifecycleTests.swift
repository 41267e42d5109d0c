import Consensus
import Foundation
import Testing
import ZeroMQ

@testable import SubChainNode

@Suite("PeerTransport lifecycle", .timeLimit(.minutes(1)))
struct PeerTransportLifecycleTests {
    typealias Support = PeerTransportTestSupport

    @Test func shutdownIsPromptAndIdempotent() async throws {
        let transports = try await Support.cluster(3)
        let collectors = transports.map(FrameCollector.init)
        transports[0].broadcast(Array("before close".utf8))
        #expect(try await Support.eventually { collectors[1].frames.count == 1 })

        let started = ContinuousClock.now
        for transport in transports {
            transport.close()
            await transport.waitUntilStopped()
        }
        #expect(ContinuousClock.now - started < .seconds(1))

        // Again, and sending after close: no effect, no crash, no wait.
        transports[0].close()
        await transports[0].waitUntilStopped()
        transports[0].send(Array("after close".utf8), to: ReplicaID(1))
        transports[0].broadcast(Array("after close".utf8))
        var iterator = transports[2].frames.makeAsyncIterator()
        #expect(await iterator.next() == nil, "frames end when the transport stops")
    }

    @Test func runsAsServiceUntilCancelled() async throws {
        let transport = try await PeerTransport.start(Support.configuration(0, port: 0, peers: []))
        #expect(transport.boundEndpoint.hasPrefix("tcp://127.0.0.1:"))
        let service = Task { try await transport.run() }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        service.cancel()
        try await service.value
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func theIOThreadCarriesAKernelName() async throws {
        // The naming itself, on a thread of this test's own.
        let named = await withCheckedContinuation { continuation in
            Thread {
                PeerTransport.nameCurrentThreadForTheKernel("named-by-test")
                continuation.resume(returning: Self.kernelName(ofThread: "thread-self"))
            }.start()
        }
        #expect(named == "named-by-test")

        // And the transport's I/O thread, as `top -H` and perf would list it.
        let transport = try await PeerTransport.start(Support.configuration(0, port: 0, peers: []))
        defer { transport.close() }
        let names = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { Self.kernelName(ofThread: "self/task/\($0)") }
        #expect(names.contains("peer-io"))
    }

    private static func kernelName(ofThread path: String) -> String? {
        (try? String(contentsOfFile: "/proc/\(path)/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
    }

    @Test func bindFailureNamesTheEndpoint() async throws {
        let first = try await PeerTransport.start(Support.configuration(0, port: 0, peers: []))
        defer { first.close() }
        let port = try #require(UInt16(first.boundEndpoint.split(separator: ":").last ?? ""))
        await #expect {
            try await PeerTransport.start(Support.configuration(1, port: port, peers: []))
        } throws: { error in
            guard let error = error as? PeerTransportError else { return false }
            return error == .bind && error.underlying == .addressInUse && error.description
                == "cannot bind peer transport to tcp://127.0.0.1:\(port): address in use: another process "
                + "(or another node) listens there; stop it or choose another NODE_PORT"
        }
    }

    @Test func curveKeysMustBeConfiguredOnBothSides() async throws {
        let keys = try ZMQCurveKeyPair.generate()
        let peer = PeerAddress(id: ReplicaID(1), host: "127.0.0.1", port: 1)
        await #expect {
            try await PeerTransport.start(Support.configuration(0, port: 0, peers: [peer], keys: keys))
        } throws: { error in
            (error as? PeerTransportError)?.description
                == "peer transport configuration: transport keys are configured but peer node-1 has no CURVE "
                + "public key; write it as node-1@127.0.0.1:1:<40 Z85 characters>"
        }
    }
}
