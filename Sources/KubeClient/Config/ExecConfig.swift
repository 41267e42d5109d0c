/// A `users[].user.exec` entry: a credential plugin that prints an `ExecCredential`.
public struct ExecConfig: Codable, Sendable, Hashable {
    /// One `env` entry passed to the plugin on top of the client's own environment.
    public struct EnvVar: Codable, Sendable, Hashable {
        /// The variable's name.
        public var name: String
        /// The variable's value.
        public var value: String

        /// Creates an entry.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
    public var apiVersion: String
    /// The program: an absolute path, a path relative to the kubeconfig's folder (when it contains a
    /// `/`), or a name looked up in `PATH`.
    public var command: String
    /// Arguments passed to the command.
    public var args: [String]?
    /// Variables added to the client's environment for the command.
    public var env: [EnvVar]?
    /// Shown when the command cannot be run, to tell the user how to install it.
    public var installHint: String?
    /// Pass the cluster's address and CA to the plugin in `KUBERNETES_EXEC_INFO`.
    public var provideClusterInfo: Bool?
    /// `Never`, `IfAvailable` or `Always`; this client never has a terminal, so `Always` fails.
    public var interactiveMode: String?

    /// Creates a plugin configuration.
    public init(
        apiVersion: String, command: String, args: [String]? = nil, env: [EnvVar]? = nil,
        installHint: String? = nil, provideClusterInfo: Bool? = nil, interactiveMode: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }

    /// The versions of the ExecCredential API this client speaks.
    static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
}
