/// The index of a validator in the genesis validator list: `node-0` is `ReplicaID(0)`.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The validator's position in the genesis list.
    public let index: UInt32

    public init(_ index: UInt32) { self.index = index }

    /// Parses the node name used in configuration, `node-N`.
    /// - Returns: `nil` unless `name` is `node-` followed by a decimal number.
    public init?(nodeName name: String) {
        guard name.hasPrefix("node-"), let index = UInt32(name.dropFirst(5)), "node-\(index)" == name else { return nil }
        self.index = index
    }

    /// The node name used in configuration and logs, `node-N`.
    public var description: String { "node-\(index)" }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.index < rhs.index }
}
