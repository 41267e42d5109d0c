import Hummingbird

/// `GET /v1/status`, `/healthz`, `/readyz` and `/metrics`: the node's own state.
struct NodeStateRoutes: Sendable {
    /// The body of `/healthz` and `/readyz`.
    struct Probe: Codable, Sendable {
        var status: String
        var reasons: [String]
    }

    let backend: any NodeBackend
    let metrics: NodeMetrics

    func status(_ request: Request, context: some RequestContext) async throws -> Response {
        let replica = await backend.replicaStatus()
        return try Response.json(NodeStatusDocument(replica: replica, peers: backend.peerStatus(), validators: backend.validatorCount))
    }

    /// Alive unless storage failed: the driver then handles nothing more, and only a restart (from disk) helps.
    func health(_ request: Request, context: some RequestContext) async throws -> Response {
        let replica = await backend.replicaStatus()
        if let failure = replica.failure {
            return try Response.json(Probe(status: "failed", reasons: ["storage failed, restart the node: \(failure)"]), status: .serviceUnavailable)
        }
        return try Response.json(Probe(status: "ok", reasons: []))
    }

    func readiness(_ request: Request, context: some RequestContext) async throws -> Response {
        let replica = await backend.replicaStatus()
        let readiness = NodeReadiness(
            validators: backend.validatorCount, connectedPeers: backend.peerStatus().connectedCount, isCatchingUp: replica.isCatchingUp,
            isChangingView: replica.isChangingView, failure: replica.failure)
        return try Response.json(
            Probe(status: readiness.isReady ? "ready" : "not_ready", reasons: readiness.reasons),
            status: readiness.isReady ? .ok : .serviceUnavailable)
    }

    func prometheus(_ request: Request, context: some RequestContext) async throws -> Response {
        let replica = await backend.replicaStatus()
        let text = metrics.exposition(replica: replica, peers: backend.peerStatus())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }
}
