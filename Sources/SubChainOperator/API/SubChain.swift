import KubeCore

/// A BFT sub-chain (`hierachain.io/v1alpha1 SubChain`): the user's request for a chain of `replicas`
/// validators, each a `subchain-node` pod, in a namespace of its own. Cluster-scoped, since it owns that
/// namespace.
public struct SubChain: KubeResource, Hashable {
    public static let group = "hierachain.io"
    public static let version = "v1alpha1"
    public static let kind = "SubChain"
    public static let plural = "subchains"
    public static let namespaced = false

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: SubChainSpec?
    public var status: SubChainStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(metadata: ObjectMeta = ObjectMeta(), spec: SubChainSpec? = SubChainSpec(), status: SubChainStatus? = nil) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec, status
    }
}
