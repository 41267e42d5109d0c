/// Which traffic may reach or leave a set of pods (`networking.k8s.io/v1 NetworkPolicy`).
public struct NetworkPolicy: KubeResource, Hashable {
    public static let group = "networking.k8s.io"
    public static let version = "v1"
    public static let kind = "NetworkPolicy"
    public static let plural = "networkpolicies"
    public static let namespaced = true

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: NetworkPolicySpec?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: NetworkPolicySpec? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// The pods a policy selects and the traffic it allows.
/// An empty `podSelector` (`LabelSelector()`) selects every pod in the namespace.
public struct NetworkPolicySpec: Codable, Hashable, Sendable {
    public var podSelector: LabelSelector?
    /// `Ingress`, `Egress` or both.
    public var policyTypes: [String]?
    public var ingress: [NetworkPolicyIngressRule]?
    public var egress: [NetworkPolicyEgressRule]?

    public init(
        podSelector: LabelSelector? = nil,
        policyTypes: [String]? = nil,
        ingress: [NetworkPolicyIngressRule]? = nil,
        egress: [NetworkPolicyEgressRule]? = nil
    ) {
        self.podSelector = podSelector
        self.policyTypes = policyTypes
        self.ingress = ingress
        self.egress = egress
    }
}

/// Traffic allowed in: from any of `from` to any of `ports` (unset means all).
public struct NetworkPolicyIngressRule: Codable, Hashable, Sendable {
    public var from: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(
        from: [NetworkPolicyPeer]? = nil,
        ports: [NetworkPolicyPort]? = nil
    ) {
        self.from = from
        self.ports = ports
    }
}

/// Traffic allowed out: to any of `to` on any of `ports` (unset means all).
public struct NetworkPolicyEgressRule: Codable, Hashable, Sendable {
    public var to: [NetworkPolicyPeer]?
    public var ports: [NetworkPolicyPort]?

    public init(
        to: [NetworkPolicyPeer]? = nil,
        ports: [NetworkPolicyPort]? = nil
    ) {
        self.to = to
        self.ports = ports
    }
}

/// A traffic source or destination.
public struct NetworkPolicyPeer: Codable, Hashable, Sendable {
    public var podSelector: LabelSelector?
    public var namespaceSelector: LabelSelector?
    public var ipBlock: IPBlock?

    public init(
        podSelector: LabelSelector? = nil,
        namespaceSelector: LabelSelector? = nil,
        ipBlock: IPBlock? = nil
    ) {
        self.podSelector = podSelector
        self.namespaceSelector = namespaceSelector
        self.ipBlock = ipBlock
    }
}

/// A CIDR range, minus exceptions.
public struct IPBlock: Codable, Hashable, Sendable {
    public var cidr: String?
    public var except: [String]?

    public init(
        cidr: String? = nil,
        except: [String]? = nil
    ) {
        self.cidr = cidr
        self.except = except
    }
}

/// A port or port range.
public struct NetworkPolicyPort: Codable, Hashable, Sendable {
    public var `protocol`: String?
    public var port: IntOrString?
    public var endPort: Int32?

    public init(
        protocol: String? = nil,
        port: IntOrString? = nil,
        endPort: Int32? = nil
    ) {
        self.protocol = `protocol`
        self.port = port
        self.endPort = endPort
    }
}
