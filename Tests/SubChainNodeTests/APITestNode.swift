import Consensus
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
@testable import SubChainNode

/// A real node for API tests: a ``ReplicaDriver`` over real stores in a temporary directory, behind the
/// production ``ReplicaNodeBackend``.
///
/// With one validator it commits alone. With more, only node 0 runs and its frames go nowhere, so nothing
/// commits and it never reaches a quorum: the node as it is while its peers are down.
final class APITestNode: Sendable {
    /// Frames of a lone node go nowhere.
    struct SilentTransport: FrameTransport {
        func send(_ frame: [UInt8], to peer: ReplicaID) {}
        func broadcast(_ frame: [UInt8]) {}
    }

    let driver: ReplicaDriver
    let store: BlockStore
    let backend: ReplicaNodeBackend
    let configuration: ReplicaConfiguration
    private let directory: URL

    init(validators count: Int = 1, maxBatchEvents: Int = 50, maxPendingEvents: Int = 10_000) throws {
        let keys = (0..<count).map { _ in Curve25519.Signing.PrivateKey() }
        let set = try ValidatorSet(keys.enumerated().map { Validator(id: ReplicaID(UInt32($0.offset)), publicKey: $0.element.publicKey) })
        configuration = ReplicaConfiguration(
            chainID: "api-test", validators: set, maxBatchEvents: maxBatchEvents, maxBatchWait: .milliseconds(2),
            viewChangeTimeout: .seconds(30), maxViewChangeTimeout: .seconds(60), checkpointInterval: 8, maxPendingEvents: maxPendingEvents)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-api-\(UUID().uuidString)")
        let path = directory.path
        store = try BlockStore(configuration: BlockStoreConfiguration(directory: path, replica: configuration))
        let state = try ConsensusStateStore(directory: path, replica: configuration)
        driver = try ReplicaDriver(
            configuration: configuration, id: ReplicaID(0), signingKey: keys[0], blocks: store, state: state, transport: SilentTransport())
        let peers = (1..<count).map { PeerAddress(id: ReplicaID(UInt32($0)), host: "127.0.0.1", port: UInt16(5_000 + $0)) }
        backend = ReplicaNodeBackend(driver: driver, store: store, validators: set, peerStatus: { PeerTransportStatus(peers: peers) })
    }

    /// Starts the driver, runs `body` against the API's router, then stops the driver and removes the files.
    func withAPI(
        _ configuration: NodeAPIConfiguration = NodeAPIConfiguration(), metrics: NodeMetrics = NodeMetrics(), framework: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        await driver.start()
        defer { try? FileManager.default.removeItem(at: directory) }
        let api = NodeHTTPAPI(backend: backend, configuration: configuration, metrics: metrics)
        do {
            try await Application(router: api.makeRouter()).test(framework, body)
        } catch {
            await driver.shutdown()
            throw error
        }
        await driver.shutdown()
    }
}

extension TestClientProtocol {
    /// Sends `json` as the body of a request.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        if json != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }

    /// Polls `GET /v1/events/{id}` until the event committed.
    func waitUntilCommitted(_ id: String, timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try await send(.get, "/v1/events/\(id)")
            let object = try response.jsonObject()
            if object["status"] as? String == "committed" || ContinuousClock.now > deadline { return object }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func jsonObject() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        guard let object = value as? [String: Any] else { throw JSONShapeError(body: String(buffer: body)) }
        return object
    }

    /// The error object of a JSON error body.
    func apiError() throws -> [String: Any] {
        let object = try jsonObject()
        guard let error = object["error"] as? [String: Any] else { throw JSONShapeError(body: String(buffer: body)) }
        return error
    }

    var text: String { String(buffer: body) }
}

struct JSONShapeError: Error, CustomStringConvertible {
    let body: String
    var description: String { "unexpected JSON shape: \(body)" }
}
