/// What the operator's flags decide about every sub-chain's children.
public struct BlueprintSettings: Sendable, Hashable {
    /// The node image of SubChains that name none (`--node-image`).
    public var defaultImage: String
    /// The cluster's DNS domain (`--cluster-domain`), for the peers' fully qualified Service names.
    public var clusterDomain: String
    /// The user and group the node process runs as: the node image's non-root user, so that emptyDir and
    /// claim volumes (group-owned through `fsGroup`) are writable under a read-only root filesystem.
    public var nodeUser: Int64

    public init(defaultImage: String, clusterDomain: String = "cluster.local", nodeUser: Int64 = 10001) {
        self.defaultImage = defaultImage
        self.clusterDomain = clusterDomain
        self.nodeUser = nodeUser
    }
}
