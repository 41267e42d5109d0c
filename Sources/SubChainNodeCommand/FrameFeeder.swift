import ServiceLifecycle
import SubChainNode

/// Hands every frame the transport receives to the driver, one at a time, in arrival order.
struct FrameFeeder: Service {
    let transport: PeerTransport
    let driver: ReplicaDriver

    func run() async throws {
        for await frame in transport.frames.cancelOnGracefulShutdown() {
            await driver.receive(frame.payload)
        }
    }
}
