/// Linux capabilities added to or dropped from a container (`core/v1 Capabilities`); the restricted Pod
/// Security Standard requires `drop: ["ALL"]`.
public struct Capabilities: Codable, Hashable, Sendable {
    public var add: [String]?
    public var drop: [String]?

    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// The seccomp filter of a pod or container (`core/v1 SeccompProfile`); the restricted Pod Security
/// Standard requires `RuntimeDefault` or `Localhost`.
public struct SeccompProfile: Codable, Hashable, Sendable {
    /// `RuntimeDefault`, `Localhost` or `Unconfined`.
    public var type: String?
    /// The profile file, for `Localhost` only.
    public var localhostProfile: String?

    public init(type: String? = nil, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }

    /// The container runtime's default profile.
    public static let runtimeDefault = SeccompProfile(type: "RuntimeDefault")
}
