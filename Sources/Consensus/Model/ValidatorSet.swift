import Crypto

/// A validator: its index and the Ed25519 key that signs its consensus messages.
public struct Validator: Sendable {
    public let id: ReplicaID
    public let publicKey: Curve25519.Signing.PublicKey

    public init(id: ReplicaID, publicKey: Curve25519.Signing.PublicKey) {
        self.id = id
        self.publicKey = publicKey
    }
}

/// The fixed validator set of a sub-chain and the quorum arithmetic over it.
///
/// With n validators PBFT tolerates f = ⌊(n−1)/3⌋ faulty ones. Quorums are ⌈(n+f+1)/2⌉ replicas, which is
/// 2f+1 when n = 3f+1 and stays correct for other n: any two quorums share at least f+1 replicas, so
/// they share a correct one.
public struct ValidatorSet: Sendable {
    /// The validators, indexed by `ReplicaID.index`.
    public let validators: [Validator]

    /// Creates a set from validators numbered 0..<n.
    /// - Throws: ``ConfigurationError`` when the list is empty or the ids are not 0..<n in order.
    public init(_ validators: [Validator]) throws(ConfigurationError) {
        guard !validators.isEmpty else { throw .invalid("the validator set is empty") }
        for (position, validator) in validators.enumerated() where validator.id.index != UInt32(position) {
            throw .invalid("validator at position \(position) has id \(validator.id); ids must be node-0…node-\(validators.count - 1) in order")
        }
        self.validators = validators
    }

    /// n, the number of validators.
    public var count: Int { validators.count }
    /// f, the number of faulty validators tolerated.
    public var faultTolerance: Int { (count - 1) / 3 }
    /// The size of a quorum (2f+1 when n = 3f+1).
    public var quorum: Int { (count + faultTolerance + 2) / 2 }
    /// f+1: enough replicas that at least one of them is correct.
    public var weakQuorum: Int { faultTolerance + 1 }

    /// The leader of `view`: validator `view mod n`, so node-0 leads view 0.
    public func primary(of view: UInt64) -> ReplicaID { ReplicaID(UInt32(view % UInt64(count))) }

    /// Whether `id` names a validator of this set.
    public func contains(_ id: ReplicaID) -> Bool { Int(id.index) < count }

    /// Every validator id, in order.
    public var ids: [ReplicaID] { validators.map(\.id) }

    func publicKey(of id: ReplicaID) -> Curve25519.Signing.PublicKey? {
        contains(id) ? validators[Int(id.index)].publicKey : nil
    }
}

/// A configuration value that cannot be used.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    /// The configuration is unusable for the stated reason.
    public static func invalid(_ reason: String) -> Self { Self(description: reason) }
}
