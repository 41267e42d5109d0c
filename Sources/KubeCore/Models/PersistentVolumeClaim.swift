/// A request for storage (`core/v1 PersistentVolumeClaim`), such as a validator's ledger volume.
public struct PersistentVolumeClaim: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "PersistentVolumeClaim"
    public static let plural = "persistentvolumeclaims"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: PersistentVolumeClaimSpec?
    public var status: PersistentVolumeClaimStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(metadata: ObjectMeta = ObjectMeta(), spec: PersistentVolumeClaimSpec? = nil, status: PersistentVolumeClaimStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// What a claim asks for. Immutable once bound, except for a larger `resources.requests.storage` where
/// the StorageClass allows expansion.
public struct PersistentVolumeClaimSpec: Codable, Hashable, Sendable {
    /// `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`.
    public var accessModes: [String]?
    /// `requests.storage`: the size.
    public var resources: VolumeResourceRequirements?
    /// The StorageClass; the cluster's default class when unset.
    public var storageClassName: String?
    /// `Filesystem` (the default) or `Block`.
    public var volumeMode: String?

    public init(accessModes: [String]? = nil, resources: VolumeResourceRequirements? = nil, storageClassName: String? = nil, volumeMode: String? = nil) {
        self.accessModes = accessModes
        self.resources = resources
        self.storageClassName = storageClassName
        self.volumeMode = volumeMode
    }
}

/// The storage a claim requests and may grow to.
public struct VolumeResourceRequirements: Codable, Hashable, Sendable {
    public var requests: [String: Quantity]?
    public var limits: [String: Quantity]?

    public init(requests: [String: Quantity]? = nil, limits: [String: Quantity]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// Where a claim stands.
public struct PersistentVolumeClaimStatus: Codable, Hashable, Sendable {
    /// `Pending`, `Bound` or `Lost`.
    public var phase: String?
    public var accessModes: [String]?
    public var capacity: [String: Quantity]?

    public init(phase: String? = nil, accessModes: [String]? = nil, capacity: [String: Quantity]? = nil) {
        self.phase = phase
        self.accessModes = accessModes
        self.capacity = capacity
    }
}
