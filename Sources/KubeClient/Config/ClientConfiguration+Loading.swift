import Foundation

extension ClientConfiguration {
    /// Finds the configuration the way controllers built on client-go do.
    ///
    /// In order: the explicit `kubeConfigPath`; the files in `KUBECONFIG` (separated by `:` and
    /// merged); the pod's service account when `KUBERNETES_SERVICE_HOST` is set; `~/.kube/config`.
    ///
    /// - Parameters:
    ///   - kubeConfigPath: A kubeconfig file that must exist, such as a `--kubeconfig` flag's value.
    ///   - context: A kubeconfig context instead of `current-context`; ignored in-cluster.
    ///   - environment: The environment to read `KUBECONFIG`, `HOME` and the service variables from.
    ///   - serviceAccountPath: Where the service-account files are mounted.
    /// - Returns: The first configuration found.
    /// - Throws: ``KubeError/Code/configuration`` if none is found or the one found is invalid.
    public static func load(
        kubeConfigPath: String? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountPath: String = defaultServiceAccountPath
    ) throws(KubeError) -> ClientConfiguration {
        if let kubeConfigPath, !kubeConfigPath.isEmpty {
            return try ClientConfiguration(kubeConfig: try KubeConfig.load(path: kubeConfigPath), context: context)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init)
            guard paths.contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw .configuration(
                    "none of the files in KUBECONFIG exists (\(list)); fix KUBECONFIG or unset it")
            }
            return try ClientConfiguration(kubeConfig: try KubeConfig.load(mergingPaths: paths), context: context)
        }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            return try inCluster(environment: environment, serviceAccountPath: serviceAccountPath)
        }
        if let home = environment["HOME"], !home.isEmpty {
            let path = home + "/.kube/config"
            if FileManager.default.fileExists(atPath: path) {
                return try ClientConfiguration(kubeConfig: try KubeConfig.load(path: path), context: context)
            }
        }
        throw .configuration(
            "no Kubernetes configuration found: no kubeconfig path was given, KUBECONFIG is unset, this is not a "
                + "pod (KUBERNETES_SERVICE_HOST is unset) and ~/.kube/config does not exist; pass a kubeconfig path "
                + "or set KUBECONFIG")
    }
}
