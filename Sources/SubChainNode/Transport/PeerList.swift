import Consensus

/// The other validators of the sub-chain, parsed from the comma-separated `PEERS` value the operator
/// writes (`node-1@node-1:5001,node-2@node-2:5001,...`).
public struct PeerList: Sendable, Hashable {
    /// The peers in the order given.
    public var addresses: [PeerAddress]

    /// Creates a list from addresses that were already validated.
    public init(_ addresses: [PeerAddress]) {
        self.addresses = addresses
    }

    /// Parses a `PEERS` value. An empty value (or only whitespace) is an empty list: a single-validator
    /// chain has no peers.
    /// - Parameters:
    ///   - text: comma-separated ``PeerAddress`` entries; whitespace around entries is ignored.
    ///   - selfID: this node's id, which must not be listed.
    /// - Throws: ``PeerAddressError`` for an empty entry, a malformed entry, a duplicate or this node.
    public init(parsing text: String, selfID: ReplicaID) throws(PeerAddressError) {
        guard !text.allSatisfy(\.isWhitespace) else {
            self.init([])
            return
        }
        var addresses: [PeerAddress] = []
        var seen: Set<ReplicaID> = []
        for (offset, entry) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(entry.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
            guard !trimmed.isEmpty else { throw .emptyEntry(offset + 1) }
            let address = try PeerAddress(parsing: trimmed)
            guard address.id != selfID else { throw .includesSelf(selfID.description) }
            guard seen.insert(address.id).inserted else { throw .duplicate(address.id.description) }
            addresses.append(address)
        }
        self.init(addresses)
    }

    /// The list in the form ``init(parsing:selfID:)`` reads.
    public var description: String { addresses.map(\.description).joined(separator: ",") }
}
