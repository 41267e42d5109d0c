/// A lease for leader election (`coordination.k8s.io/v1 Lease`).
public struct Lease: KubeResource, Hashable {
    public static let group = "coordination.k8s.io"
    public static let version = "v1"
    public static let kind = "Lease"
    public static let plural = "leases"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: LeaseSpec?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: LeaseSpec? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// Who holds the lease and until when.
/// `acquireTime` and `renewTime` are MicroTime: create them with `KubeTime(date, precision: .microseconds)`.
public struct LeaseSpec: Codable, Hashable, Sendable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int32?
    public var acquireTime: KubeTime?
    public var renewTime: KubeTime?
    public var leaseTransitions: Int32?

    public init(
        holderIdentity: String? = nil,
        leaseDurationSeconds: Int32? = nil,
        acquireTime: KubeTime? = nil,
        renewTime: KubeTime? = nil,
        leaseTransitions: Int32? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
