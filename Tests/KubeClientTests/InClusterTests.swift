import Foundation
import KubeClient
import Testing

/// The service-account configuration and the order in which configurations are looked for.
@Suite struct InClusterTests {
    private func serviceAccount(in dir: String) throws -> String {
        let path = dir + "/serviceaccount"
        try write("sa-token", to: path + "/token")
        try write("CA PEM", to: path + "/ca.crt")
        try write("operators\n", to: path + "/namespace")
        return path
    }

    @Test(arguments: [("10.96.0.1", "https://10.96.0.1:443"), ("fd00:10:96::1", "https://[fd00:10:96::1]:443")])
    func readsTheServiceAccount(host: String, server: String) async throws {
        try await withTemporaryDirectory { dir in
            let path = try serviceAccount(in: dir)
            let configuration = try ClientConfiguration.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": host, "KUBERNETES_SERVICE_PORT": "443"], serviceAccountPath: path)
            #expect(configuration.server == server)
            #expect(configuration.credentials == .tokenFile(path + "/token"))
            #expect(configuration.certificateAuthorityPEM == Data("CA PEM".utf8))
            #expect(configuration.namespace == "operators")
        }
    }

    @Test func outsideAPodSaysSo() throws {
        #expect {
            _ = try ClientConfiguration.inCluster(environment: [:], serviceAccountPath: "/nonexistent")
        } throws: { error in
            (error as? KubeError)?.message.contains("KUBERNETES_SERVICE_HOST") == true
        }
    }

    @Test func loadingOrderIsExplicitThenKubeconfigListThenInClusterThenHome() async throws {
        try await withTemporaryDirectory { dir in
            let path = try serviceAccount(in: dir)
            func kubeconfig(_ port: Int) -> String {
                """
                current-context: x
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:\(port)"}}]
                contexts: [{name: x, context: {cluster: c}}]
                """
            }
            try write(kubeconfig(1), to: dir + "/explicit")
            try write(kubeconfig(2), to: dir + "/listed")
            try write(kubeconfig(3), to: dir + "/home/.kube/config")
            let pod = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443", "HOME": dir + "/home"]
            var listed = pod
            listed["KUBECONFIG"] = dir + "/listed"

            #expect(try ClientConfiguration.load(kubeConfigPath: dir + "/explicit", environment: listed, serviceAccountPath: path).server == "https://127.0.0.1:1")
            #expect(try ClientConfiguration.load(environment: listed, serviceAccountPath: path).server == "https://127.0.0.1:2")
            #expect(try ClientConfiguration.load(environment: pod, serviceAccountPath: path).server == "https://10.96.0.1:443")
            #expect(try ClientConfiguration.load(environment: ["HOME": dir + "/home"], serviceAccountPath: path).server == "https://127.0.0.1:3")
            #expect {
                _ = try ClientConfiguration.load(environment: ["HOME": dir + "/nowhere"], serviceAccountPath: path)
            } throws: { error in
                (error as? KubeError)?.message.contains("no Kubernetes configuration found") == true
            }
        }
    }
}
