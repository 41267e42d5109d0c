import Hummingbird
import ServiceLifecycle

/// The node's Hummingbird application, with its failures (most often: `API_PORT` already in use) named
/// after the setting, so that the node's one-line exit message says what to change.
struct APIService<Responder: HTTPResponder>: Service where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let application: Application<Responder>
    let endpoint: String

    func run() async throws {
        do {
            try await application.run()
        } catch {
            throw CommandFailure("API_PORT: the HTTP API on \(endpoint) failed: \(error)", exitCode: CommandFailure.unavailable)
        }
    }
}
