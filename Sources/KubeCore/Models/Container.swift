/// A container in a pod (`core/v1 Container`), limited to the fields the operator sets or reads.
/// Not modelled: lifecycle hooks, startup probes, stdin/tty, envFrom, resize policy.
public struct Container: Codable, Hashable, Sendable {
    public var name: String?
    public var image: String?
    /// `Always`, `IfNotPresent` or `Never`.
    public var imagePullPolicy: String?
    /// Replaces the image's entrypoint.
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var env: [EnvVar]?
    public var ports: [ContainerPort]?
    public var resources: ResourceRequirements?
    public var volumeMounts: [VolumeMount]?
    public var readinessProbe: Probe?
    public var livenessProbe: Probe?
    public var securityContext: SecurityContext?

    public init(
        name: String? = nil,
        image: String? = nil,
        imagePullPolicy: String? = nil,
        command: [String]? = nil,
        args: [String]? = nil,
        workingDir: String? = nil,
        env: [EnvVar]? = nil,
        ports: [ContainerPort]? = nil,
        resources: ResourceRequirements? = nil,
        volumeMounts: [VolumeMount]? = nil,
        readinessProbe: Probe? = nil,
        livenessProbe: Probe? = nil,
        securityContext: SecurityContext? = nil
    ) {
        self.name = name
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.env = env
        self.ports = ports
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.readinessProbe = readinessProbe
        self.livenessProbe = livenessProbe
        self.securityContext = securityContext
    }
}

/// A port a container listens on (`core/v1 ContainerPort`).
public struct ContainerPort: Codable, Hashable, Sendable {
    /// An IANA_SVC_NAME that Services can target by name.
    public var name: String?
    public var containerPort: Int32?
    /// `TCP` (the server's default), `UDP` or `SCTP`.
    public var `protocol`: String?

    public init(
        name: String? = nil,
        containerPort: Int32? = nil,
        protocol: String? = nil
    ) {
        self.name = name
        self.containerPort = containerPort
        self.protocol = `protocol`
    }
}

/// An environment variable (`core/v1 EnvVar`): a literal `value` or a `valueFrom` source.
public struct EnvVar: Codable, Hashable, Sendable {
    public var name: String?
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(
        name: String? = nil,
        value: String? = nil,
        valueFrom: EnvVarSource? = nil
    ) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// Where an environment variable's value comes from.
public struct EnvVarSource: Codable, Hashable, Sendable {
    public var secretKeyRef: KeySelector?
    public var configMapKeyRef: KeySelector?
    public var fieldRef: ObjectFieldSelector?

    public init(
        secretKeyRef: KeySelector? = nil,
        configMapKeyRef: KeySelector? = nil,
        fieldRef: ObjectFieldSelector? = nil
    ) {
        self.secretKeyRef = secretKeyRef
        self.configMapKeyRef = configMapKeyRef
        self.fieldRef = fieldRef
    }
}

/// Selects one key of a Secret or ConfigMap (`SecretKeySelector` / `ConfigMapKeySelector`).
public struct KeySelector: Codable, Hashable, Sendable {
    public var name: String?
    public var key: String?
    public var optional: Bool?

    public init(
        name: String? = nil,
        key: String? = nil,
        optional: Bool? = nil
    ) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// Selects a field of the pod itself, such as `metadata.name` or `status.podIP`.
public struct ObjectFieldSelector: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var fieldPath: String?

    public init(
        apiVersion: String? = nil,
        fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }
}

/// Compute resources a container requests and may not exceed (`core/v1 ResourceRequirements`).
/// Keys are resource names such as `cpu`, `memory`, `ephemeral-storage`.
public struct ResourceRequirements: Codable, Hashable, Sendable {
    public var limits: [String: Quantity]?
    public var requests: [String: Quantity]?

    public init(
        limits: [String: Quantity]? = nil,
        requests: [String: Quantity]? = nil
    ) {
        self.limits = limits
        self.requests = requests
    }
}

/// Where a pod volume appears inside a container.
public struct VolumeMount: Codable, Hashable, Sendable {
    public var name: String?
    public var mountPath: String?
    public var subPath: String?
    public var readOnly: Bool?

    public init(
        name: String? = nil,
        mountPath: String? = nil,
        subPath: String? = nil,
        readOnly: Bool? = nil
    ) {
        self.name = name
        self.mountPath = mountPath
        self.subPath = subPath
        self.readOnly = readOnly
    }
}

/// A readiness or liveness check (`core/v1 Probe`): exactly one of `httpGet`, `tcpSocket` or `exec`.
public struct Probe: Codable, Hashable, Sendable {
    public var httpGet: HTTPGetAction?
    public var tcpSocket: TCPSocketAction?
    public var exec: ExecAction?
    public var initialDelaySeconds: Int32?
    public var periodSeconds: Int32?
    public var timeoutSeconds: Int32?
    public var successThreshold: Int32?
    public var failureThreshold: Int32?

    public init(
        httpGet: HTTPGetAction? = nil,
        tcpSocket: TCPSocketAction? = nil,
        exec: ExecAction? = nil,
        initialDelaySeconds: Int32? = nil,
        periodSeconds: Int32? = nil,
        timeoutSeconds: Int32? = nil,
        successThreshold: Int32? = nil,
        failureThreshold: Int32? = nil
    ) {
        self.httpGet = httpGet
        self.tcpSocket = tcpSocket
        self.exec = exec
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }
}

/// An HTTP GET probe; success is a status code in 200..<400.
public struct HTTPGetAction: Codable, Hashable, Sendable {
    public var path: String?
    /// A port number or a container port name.
    public var port: IntOrString?
    /// `HTTP` or `HTTPS`.
    public var scheme: String?

    public init(
        path: String? = nil,
        port: IntOrString? = nil,
        scheme: String? = nil
    ) {
        self.path = path
        self.port = port
        self.scheme = scheme
    }
}

/// A probe that succeeds when a TCP connection opens.
public struct TCPSocketAction: Codable, Hashable, Sendable {
    public var port: IntOrString?

    public init(
        port: IntOrString? = nil
    ) {
        self.port = port
    }
}

/// A probe that runs a command in the container; exit status 0 is success.
public struct ExecAction: Codable, Hashable, Sendable {
    public var command: [String]?

    public init(
        command: [String]? = nil
    ) {
        self.command = command
    }
}

/// Container-level security settings (`core/v1 SecurityContext`, subset).
public struct SecurityContext: Codable, Hashable, Sendable {
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var runAsNonRoot: Bool?
    public var readOnlyRootFilesystem: Bool?
    public var allowPrivilegeEscalation: Bool?
    public var capabilities: Capabilities?
    public var seccompProfile: SeccompProfile?

    public init(
        runAsUser: Int64? = nil,
        runAsGroup: Int64? = nil,
        runAsNonRoot: Bool? = nil,
        readOnlyRootFilesystem: Bool? = nil,
        allowPrivilegeEscalation: Bool? = nil,
        capabilities: Capabilities? = nil,
        seccompProfile: SeccompProfile? = nil
    ) {
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.runAsNonRoot = runAsNonRoot
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.capabilities = capabilities
        self.seccompProfile = seccompProfile
    }
}
