/// A replicated, rolling-updated set of pods (`apps/v1 Deployment`).
public struct Deployment: KubeResource, Hashable {
    public static let group = "apps"
    public static let version = "v1"
    public static let kind = "Deployment"
    public static let plural = "deployments"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: DeploymentSpec?
    public var status: DeploymentStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: DeploymentSpec? = nil,
        status: DeploymentStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a deployment.
public struct DeploymentSpec: Codable, Hashable, Sendable {
    public var replicas: Int32?
    /// Must match the template's labels; immutable after creation.
    public var selector: LabelSelector?
    public var template: PodTemplateSpec?
    public var strategy: DeploymentStrategy?
    public var minReadySeconds: Int32?
    public var revisionHistoryLimit: Int32?
    public var progressDeadlineSeconds: Int32?
    public var paused: Bool?

    public init(
        replicas: Int32? = nil,
        selector: LabelSelector? = nil,
        template: PodTemplateSpec? = nil,
        strategy: DeploymentStrategy? = nil,
        minReadySeconds: Int32? = nil,
        revisionHistoryLimit: Int32? = nil,
        progressDeadlineSeconds: Int32? = nil,
        paused: Bool? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
        self.minReadySeconds = minReadySeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.paused = paused
    }
}

/// How old pods are replaced by new ones.
public struct DeploymentStrategy: Codable, Hashable, Sendable {
    /// `RollingUpdate` (default) or `Recreate`.
    public var type: String?
    public var rollingUpdate: RollingUpdateDeployment?

    public init(
        type: String? = nil,
        rollingUpdate: RollingUpdateDeployment? = nil
    ) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

/// Bounds of a rolling update, as counts or percentages.
public struct RollingUpdateDeployment: Codable, Hashable, Sendable {
    public var maxUnavailable: IntOrString?
    public var maxSurge: IntOrString?

    public init(
        maxUnavailable: IntOrString? = nil,
        maxSurge: IntOrString? = nil
    ) {
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
    }
}

/// The observed state of a deployment.
public struct DeploymentStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var replicas: Int32?
    public var updatedReplicas: Int32?
    public var readyReplicas: Int32?
    public var availableReplicas: Int32?
    public var unavailableReplicas: Int32?
    public var conditions: [DeploymentCondition]?
    public var collisionCount: Int32?

    public init(
        observedGeneration: Int64? = nil,
        replicas: Int32? = nil,
        updatedReplicas: Int32? = nil,
        readyReplicas: Int32? = nil,
        availableReplicas: Int32? = nil,
        unavailableReplicas: Int32? = nil,
        conditions: [DeploymentCondition]? = nil,
        collisionCount: Int32? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.unavailableReplicas = unavailableReplicas
        self.conditions = conditions
        self.collisionCount = collisionCount
    }
}

/// A deployment condition such as `Available` or `Progressing`.
public struct DeploymentCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastUpdateTime: KubeTime?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(
        type: String? = nil,
        status: String? = nil,
        lastUpdateTime: KubeTime? = nil,
        lastTransitionTime: KubeTime? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastUpdateTime = lastUpdateTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
