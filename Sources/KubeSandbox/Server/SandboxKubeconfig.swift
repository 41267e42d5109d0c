import Foundation

/// The kubeconfig for a running sandbox: one cluster, one user with a bearer token, one context.
public enum SandboxKubeconfig {
    /// The kubeconfig text (YAML).
    /// - Parameters:
    ///   - server: `https://127.0.0.1:PORT`.
    ///   - caPEM: The CA that signed the serving certificate; `nil` for plain HTTP.
    ///   - token: The user's bearer token.
    ///   - user: The name of the user entry.
    public static func render(server: String, caPEM: String?, token: String, user: String = "kube-sandbox-admin") -> String {
        var cluster = "    server: \(server)\n"
        if let caPEM { cluster += "    certificate-authority-data: \(Data(caPEM.utf8).base64EncodedString())\n" }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-sandbox
              cluster:
            \(cluster)users:
            - name: \(user)
              user:
                token: \(token)
            contexts:
            - name: kube-sandbox
              context:
                cluster: kube-sandbox
                user: \(user)
                namespace: default
            current-context: kube-sandbox

            """
    }
}
