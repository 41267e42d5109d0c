import Consensus
import Hummingbird

/// `GET /v1/blocks`, `GET /v1/blocks/{height}` and `GET /v1/blocks/latest`, read from the block store.
struct BlockRoutes: Sendable {
    /// The page size when `limit` is absent, and the largest one allowed.
    static let defaultLimit = 20
    static let maxLimit = 100

    let backend: any NodeBackend

    func page(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let from = try Self.integer(query.get("from"), name: "from", default: 1, range: 1...UInt64.max)
        let limit = Int(try Self.integer(query.get("limit"), name: "limit", default: UInt64(Self.defaultLimit), range: 1...UInt64(Self.maxLimit)))
        let blocks = try read { try backend.blocks(from: from, limit: limit) }
        // A full page may be followed by more; a short one reached the head.
        let next = blocks.count == limit ? blocks.last.map { $0.height + 1 } : nil
        return try Response.json(BlockPageDocument(blocks: blocks.map(BlockDocument.init), next: next))
    }

    func block(_ request: Request, context: some RequestContext) async throws -> Response {
        let height = try Self.integer(context.parameters.get("height"), name: "height", default: nil, range: 1...UInt64.max)
        guard let block = try read({ try backend.block(atHeight: height) }) else {
            throw NodeAPIError.notFound("no block at height \(height) yet; see GET /v1/blocks/latest for the head")
        }
        return try Response.json(BlockDocument(block))
    }

    func latest(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let block = try read({ try backend.latestBlock() }) else {
            throw NodeAPIError.notFound("no block has committed yet; submit an event first")
        }
        return try Response.json(BlockDocument(block))
    }

    private func read<T>(_ body: () throws -> T) throws(NodeAPIError) -> T {
        do {
            return try body()
        } catch {
            throw .storage(error)
        }
    }

    private static func integer(_ text: String?, name: String, default value: UInt64?, range: ClosedRange<UInt64>) throws(NodeAPIError) -> UInt64 {
        guard let text else {
            if let value { return value }
            throw .badRequest("invalid_parameter", "\(name) is required", field: name)
        }
        guard let number = UInt64(text), range.contains(number) else {
            let bound = range.upperBound == UInt64.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw .badRequest("invalid_parameter", "\(name) must be a whole number \(bound), not \"\(text.prefix(40))\"", field: name)
        }
        return number
    }
}
