/// A stable network endpoint for a set of pods (`core/v1 Service`).
public struct Service: KubeResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Service"
    public static let plural = "services"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: ServiceSpec?
    /// Load-balancer status, kept opaque.
    public var status: JSONValue?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: ServiceSpec? = nil,
        status: JSONValue? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a service (subset).
public struct ServiceSpec: Codable, Hashable, Sendable {
    /// `ClusterIP` (default), `NodePort`, `LoadBalancer` or `ExternalName`.
    public var type: String?
    public var selector: [String: String]?
    public var ports: [ServicePort]?
    /// Assigned by the server; set to `None` for a headless service.
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var publishNotReadyAddresses: Bool?
    public var sessionAffinity: String?

    public init(
        type: String? = nil,
        selector: [String: String]? = nil,
        ports: [ServicePort]? = nil,
        clusterIP: String? = nil,
        clusterIPs: [String]? = nil,
        publishNotReadyAddresses: Bool? = nil,
        sessionAffinity: String? = nil
    ) {
        self.type = type
        self.selector = selector
        self.ports = ports
        self.clusterIP = clusterIP
        self.clusterIPs = clusterIPs
        self.publishNotReadyAddresses = publishNotReadyAddresses
        self.sessionAffinity = sessionAffinity
    }
}

/// A port a service exposes.
public struct ServicePort: Codable, Hashable, Sendable {
    public var name: String?
    public var `protocol`: String?
    public var appProtocol: String?
    public var port: Int32?
    /// A container port number or name; defaults to `port`.
    public var targetPort: IntOrString?
    public var nodePort: Int32?

    public init(
        name: String? = nil,
        protocol: String? = nil,
        appProtocol: String? = nil,
        port: Int32? = nil,
        targetPort: IntOrString? = nil,
        nodePort: Int32? = nil
    ) {
        self.name = name
        self.protocol = `protocol`
        self.appProtocol = appProtocol
        self.port = port
        self.targetPort = targetPort
        self.nodePort = nodePort
    }
}
