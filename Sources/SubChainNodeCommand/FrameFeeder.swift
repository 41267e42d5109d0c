import ServiceLifecycle
import SubChainNode

/// Hands every frame the transport receives to the driver in arrival order, in the batches they gathered
/// in while the driver was busy.
struct FrameFeeder: Service {
    let transport: PeerTransport
    let driver: ReplicaDriver

    func run() async throws {
        for await batch in transport.frames.cancelOnGracefulShutdown() {
            await driver.receive(batch.map(\.payload))
        }
    }
}
