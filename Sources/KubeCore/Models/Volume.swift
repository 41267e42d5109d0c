/// A pod volume (`core/v1 Volume`): one of the source fields is set.
public struct Volume: Codable, Hashable, Sendable {
    public var name: String?
    public var secret: SecretVolumeSource?
    public var configMap: ConfigMapVolumeSource?
    public var emptyDir: EmptyDirVolumeSource?
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?

    public init(
        name: String? = nil,
        secret: SecretVolumeSource? = nil,
        configMap: ConfigMapVolumeSource? = nil,
        emptyDir: EmptyDirVolumeSource? = nil,
        persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil
    ) {
        self.name = name
        self.secret = secret
        self.configMap = configMap
        self.emptyDir = emptyDir
        self.persistentVolumeClaim = persistentVolumeClaim
    }
}

/// Mounts a Secret's keys as files.
public struct SecretVolumeSource: Codable, Hashable, Sendable {
    public var secretName: String?
    /// Keys to project; all keys when unset.
    public var items: [KeyToPath]?
    /// File mode bits, such as `0o400` for a private key.
    public var defaultMode: Int32?
    public var optional: Bool?

    public init(
        secretName: String? = nil,
        items: [KeyToPath]? = nil,
        defaultMode: Int32? = nil,
        optional: Bool? = nil
    ) {
        self.secretName = secretName
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// Mounts a ConfigMap's keys as files.
public struct ConfigMapVolumeSource: Codable, Hashable, Sendable {
    public var name: String?
    public var items: [KeyToPath]?
    public var defaultMode: Int32?
    public var optional: Bool?

    public init(
        name: String? = nil,
        items: [KeyToPath]? = nil,
        defaultMode: Int32? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.items = items
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// Projects one key of a Secret or ConfigMap to a relative file path.
public struct KeyToPath: Codable, Hashable, Sendable {
    public var key: String?
    public var path: String?
    public var mode: Int32?

    public init(
        key: String? = nil,
        path: String? = nil,
        mode: Int32? = nil
    ) {
        self.key = key
        self.path = path
        self.mode = mode
    }
}

/// A scratch directory that lives as long as the pod.
public struct EmptyDirVolumeSource: Codable, Hashable, Sendable {
    /// Empty for node storage, `Memory` for tmpfs.
    public var medium: String?
    public var sizeLimit: Quantity?

    public init(
        medium: String? = nil,
        sizeLimit: Quantity? = nil
    ) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

/// Mounts a PersistentVolumeClaim by name.
public struct PersistentVolumeClaimVolumeSource: Codable, Hashable, Sendable {
    public var claimName: String?
    public var readOnly: Bool?

    public init(
        claimName: String? = nil,
        readOnly: Bool? = nil
    ) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}
