/// A client event as consensus sees it: opaque bytes and the SHA-256 of those bytes.
///
/// The ledger gives events their meaning (entity, type, details) and their canonical encoding; consensus
/// only orders them. The id is always recomputed from the payload, never taken from a peer, so a block
/// cannot claim an event id that its bytes do not have.
public struct Event: Hashable, Sendable {
    /// SHA-256 of ``payload``.
    public let id: SHA256Hash
    /// The event's canonical encoding.
    public let payload: [UInt8]

    public init(payload: [UInt8]) {
        self.payload = payload
        id = SHA256Hash.sha256(payload)
    }

    public static func == (lhs: Event, rhs: Event) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension Event: CustomStringConvertible {
    public var description: String { "Event(\(id), \(payload.count) bytes)" }
}
