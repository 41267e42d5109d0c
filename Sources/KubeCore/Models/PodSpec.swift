/// The desired state of a pod (`core/v1 PodSpec`), subset.
/// Not modelled: affinity, tolerations, node selectors, topology spread, DNS and host settings.
public struct PodSpec: Codable, Hashable, Sendable {
    public var containers: [Container]?
    public var initContainers: [Container]?
    public var volumes: [Volume]?
    /// `Always`, `OnFailure` or `Never`.
    public var restartPolicy: String?
    public var terminationGracePeriodSeconds: Int64?
    public var serviceAccountName: String?
    public var automountServiceAccountToken: Bool?
    public var nodeName: String?
    public var hostname: String?
    public var subdomain: String?
    public var securityContext: PodSecurityContext?
    /// Set to `false` to keep Docker-link style variables out of the environment.
    public var enableServiceLinks: Bool?

    public init(
        containers: [Container]? = nil,
        initContainers: [Container]? = nil,
        volumes: [Volume]? = nil,
        restartPolicy: String? = nil,
        terminationGracePeriodSeconds: Int64? = nil,
        serviceAccountName: String? = nil,
        automountServiceAccountToken: Bool? = nil,
        nodeName: String? = nil,
        hostname: String? = nil,
        subdomain: String? = nil,
        securityContext: PodSecurityContext? = nil,
        enableServiceLinks: Bool? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.volumes = volumes
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeName = nodeName
        self.hostname = hostname
        self.subdomain = subdomain
        self.securityContext = securityContext
        self.enableServiceLinks = enableServiceLinks
    }
}

/// A pod template inside a workload such as a Deployment.
public struct PodTemplateSpec: Codable, Hashable, Sendable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec?

    public init(
        metadata: ObjectMeta? = nil,
        spec: PodSpec? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Pod-level security settings (`core/v1 PodSecurityContext`, subset).
public struct PodSecurityContext: Codable, Hashable, Sendable {
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    /// Group that owns mounted volumes, so a non-root process can write them.
    public var fsGroup: Int64?
    public var seccompProfile: SeccompProfile?

    public init(
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        fsGroup: Int64? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.fsGroup = fsGroup
        self.seccompProfile = seccompProfile
    }
}
