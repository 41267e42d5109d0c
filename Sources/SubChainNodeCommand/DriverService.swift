import Logging
import ServiceLifecycle
import SubChainNode

/// Starts the replica driver, watches it for a storage failure, and shuts it down gracefully.
///
/// A storage failure stops the driver for good; throwing here ends the whole `ServiceGroup` so that the
/// process exits non-zero and its supervisor restarts it from disk.
struct DriverService: Service {
    let driver: ReplicaDriver
    let logger: Logger

    /// How often the driver's status is polled; the driver has no failure callback.
    private static let pollInterval: Duration = .milliseconds(200)

    func run() async throws {
        await driver.start()
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: Self.pollInterval)
                    if let failure = await driver.status.failure {
                        throw CommandFailure("storage failed, restart the node: \(failure)", exitCode: CommandFailure.software)
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or group cancellation: the normal way out.
        }
        await driver.shutdown()
        logger.info("replica driver stopped")
    }
}
