/// A pod (`core/v1 Pod`), modelled for reading: the operator counts ready nodes from pod status.
public struct Pod: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Pod"
    public static let plural = "pods"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: PodSpec?
    public var status: PodStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: PodSpec? = nil,
        status: PodStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The observed state of a pod (`core/v1 PodStatus`), subset.
public struct PodStatus: Codable, Hashable, Sendable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var hostIP: String?
    public var podIP: String?
    public var startTime: KubeTime?
    public var containerStatuses: [ContainerStatus]?
    public var initContainerStatuses: [ContainerStatus]?

    public init(
        phase: String? = nil,
        conditions: [PodCondition]? = nil,
        message: String? = nil,
        reason: String? = nil,
        hostIP: String? = nil,
        podIP: String? = nil,
        startTime: KubeTime? = nil,
        containerStatuses: [ContainerStatus]? = nil,
        initContainerStatuses: [ContainerStatus]? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.hostIP = hostIP
        self.podIP = podIP
        self.startTime = startTime
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
    }
}

/// A pod condition such as `Ready` or `PodScheduled`.
public struct PodCondition: Codable, Hashable, Sendable {
    public var type: String?
    /// `True`, `False` or `Unknown`.
    public var status: String?
    public var lastProbeTime: KubeTime?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(
        type: String? = nil,
        status: String? = nil,
        lastProbeTime: KubeTime? = nil,
        lastTransitionTime: KubeTime? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// The observed state of one container.
public struct ContainerStatus: Codable, Hashable, Sendable {
    public var name: String?
    public var ready: Bool?
    public var started: Bool?
    public var restartCount: Int32?
    public var image: String?
    public var imageID: String?
    public var containerID: String?
    public var state: ContainerState?
    public var lastState: ContainerState?

    public init(
        name: String? = nil,
        ready: Bool? = nil,
        started: Bool? = nil,
        restartCount: Int32? = nil,
        image: String? = nil,
        imageID: String? = nil,
        containerID: String? = nil,
        state: ContainerState? = nil,
        lastState: ContainerState? = nil
    ) {
        self.name = name
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.state = state
        self.lastState = lastState
    }
}

/// What a container is doing: exactly one field is set.
public struct ContainerState: Codable, Hashable, Sendable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(
        waiting: ContainerStateWaiting? = nil,
        running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// A container not yet running, such as in `CrashLoopBackOff` or `ImagePullBackOff`.
public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?

    public init(
        reason: String? = nil,
        message: String? = nil
    ) {
        self.reason = reason
        self.message = message
    }
}

/// A running container.
public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: KubeTime?

    public init(
        startedAt: KubeTime? = nil
    ) {
        self.startedAt = startedAt
    }
}

/// A container that exited.
public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    public var exitCode: Int32?
    public var signal: Int32?
    public var reason: String?
    public var message: String?
    public var startedAt: KubeTime?
    public var finishedAt: KubeTime?
    public var containerID: String?

    public init(
        exitCode: Int32? = nil,
        signal: Int32? = nil,
        reason: String? = nil,
        message: String? = nil,
        startedAt: KubeTime? = nil,
        finishedAt: KubeTime? = nil,
        containerID: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
