import Foundation

extension ClientConfiguration {
    /// The folder where Kubernetes mounts a pod's service-account token, CA and namespace.
    public static let defaultServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration of a pod talking to its own cluster with its service account.
    ///
    /// The token is read again whenever its file changes, because the kubelet rotates projected
    /// tokens (hourly by default) by swapping the file.
    ///
    /// - Parameters:
    ///   - environment: The process environment, with `KUBERNETES_SERVICE_HOST` and `_PORT`.
    ///   - serviceAccountPath: Where `token`, `ca.crt` and `namespace` are mounted.
    /// - Returns: The configuration.
    /// - Throws: ``KubeError/Code/configuration`` when not in a pod (the variables are unset) or the
    ///   token or CA file is missing.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountPath: String = defaultServiceAccountPath
    ) throws(KubeError) -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw .configuration(
                "not running inside a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are "
                    + "not set; use a kubeconfig outside a cluster")
        }
        let tokenPath = serviceAccountPath + "/token"
        guard FileManager.default.fileExists(atPath: tokenPath) else {
            throw .configuration(
                "in-cluster service-account token \(tokenPath) does not exist; check that the pod's service "
                    + "account token is mounted (automountServiceAccountToken)")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var configuration = ClientConfiguration(server: "https://\(hostPart):\(port)", credentials: .tokenFile(tokenPath))
        configuration.certificateAuthorityPEM = try LocalFile.read(
            serviceAccountPath + "/ca.crt", for: "in-cluster certificate authority")
        let namespacePath = serviceAccountPath + "/namespace"
        if let namespace = FileManager.default.contents(atPath: namespacePath) {
            let trimmed = String(decoding: namespace, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            configuration.namespace = trimmed.isEmpty ? nil : trimmed
        }
        return configuration
    }
}
