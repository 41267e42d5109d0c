/// The names, labels and addresses of one sub-chain's children, all derived from the SubChain's name so
/// that a restarted operator finds what an earlier one made.
public struct SubChainNames: Sendable, Hashable {
    /// Every sub-chain namespace is `hrc-subchain-<name>`.
    public static let namespacePrefix = "hrc-subchain-"
    /// On every child (the Namespace included): which SubChain it belongs to. The controller maps events
    /// on children back to their owner by it, since a cluster-scoped owner's namespaced children are
    /// found by label more cheaply than by owner reference.
    public static let subChainLabel = "hierachain.io/subchain"
    /// On a node's Secret, Deployment, pods, Service and claim: `node-N`.
    public static let nodeLabel = "hierachain.io/node"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "subchain-operator"
    /// The server-side apply field manager of everything the operator writes.
    public static let fieldManager = "subchain-operator"
    /// The finalizer that holds a SubChain until its namespace is gone.
    public static let finalizer = "hierachain.io/teardown"

    /// The SubChain's name.
    public let subChain: String

    public init(subChain: String) {
        self.subChain = subChain
    }

    public var namespace: String { Self.namespacePrefix + subChain }

    /// `node-N`: the validator id, and the name of its Deployment and Service.
    public static func node(_ index: Int) -> String { "node-\(index)" }
    /// The Secret with a validator's private keys.
    public static func keySecret(_ index: Int) -> String { "node-\(index)-keys" }
    /// The claim holding a validator's ledger when `spec.storage` is set.
    public static func dataClaim(_ index: Int) -> String { "node-\(index)-data" }
    public static let genesisConfigMap = "genesis"
    /// The Service over every validator, where clients submit events.
    public static let apiService = "api"
    /// The copy of `spec.apiKeysSecret` in the sub-chain's namespace.
    public static let apiKeysSecret = "api-keys"
    public static let networkPolicy = "subchain-node"
    public static let disruptionBudget = "validators"

    /// A node Service's DNS name, fully qualified so that resolving it takes one query.
    public func serviceHost(_ index: Int, clusterDomain: String) -> String {
        "\(Self.node(index)).\(namespace).svc.\(clusterDomain)"
    }

    /// The labels every child carries.
    public var labels: [String: String] {
        [Self.subChainLabel: subChain, Self.managedByLabel: Self.managedByValue, "app.kubernetes.io/part-of": "hierachain"]
    }

    /// The labels of validator `index`'s pods, Secret, Service and claim.
    public func nodeLabels(_ index: Int) -> [String: String] {
        labels.merging([Self.nodeLabel: Self.node(index), "app.kubernetes.io/name": "subchain-node"]) { _, new in new }
    }

    /// What selects validator `index`'s pods (stable: a Deployment's selector is immutable).
    public func nodeSelector(_ index: Int) -> [String: String] {
        [Self.subChainLabel: subChain, Self.nodeLabel: Self.node(index)]
    }

    /// Why the namespace name is not usable, or `nil`. A SubChain's name is a DNS subdomain (up to 253
    /// characters, dots allowed); a namespace name is a DNS label (63, no dots), so the API server's schema
    /// cannot catch this.
    public var namespaceProblem: String? {
        if namespace.utf8.count > 63 {
            return "the namespace name \(namespace) would be \(namespace.utf8.count) characters; namespace names have at most 63, so the SubChain's name may have at most \(63 - Self.namespacePrefix.utf8.count)"
        }
        if subChain.contains(".") {
            return "the namespace name \(namespace) would contain a dot; use a SubChain name of lower-case letters, digits and '-'"
        }
        return nil
    }
}
