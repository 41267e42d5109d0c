import Foundation
import KubeClient
import Testing

/// Parsing, merging, context selection, path resolution and error messages of kubeconfig files.
@Suite struct KubeConfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: c1
          cluster: {server: "https://127.0.0.1:6443"}
        - name: shared
          cluster: {server: "https://127.0.0.1:1111"}
        users:
        - name: u1
          user: {token: t-one}
        contexts:
        - name: ctx-a
          context: {cluster: c1, user: u1}
        - name: ctx-shared
          context: {cluster: shared, user: u1}
        """

    static let second = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: c2
          cluster: {server: "https://127.0.0.1:7443", tls-server-name: apiserver.test, insecure-skip-tls-verify: true}
        - name: shared
          cluster: {server: "https://127.0.0.1:2222"}
        users:
        - name: u2
          user: {token: t-two}
        - name: u1
          user: {token: shadowed}
        contexts:
        - name: ctx-b
          context: {cluster: c2, user: u2, namespace: ns-b}
        """

    @Test func kubeconfigListMergesAsKubectlDoes() async throws {
        try await withTemporaryDirectory { dir in
            try write(Self.first, to: dir + "/a.yaml")
            try write(Self.second, to: dir + "/b.yaml")
            let environment = ["KUBECONFIG": "\(dir)/a.yaml:\(dir)/missing.yaml:\(dir)/b.yaml", "HOME": dir]
            let merged = try KubeConfig.load(mergingPaths: ["\(dir)/a.yaml", "\(dir)/missing.yaml", "\(dir)/b.yaml"])
            #expect(merged.currentContext == "ctx-a")
            #expect(merged.clusters.map(\.name) == ["c1", "shared", "c2"])
            #expect(merged.clusters.first { $0.name == "shared" }?.cluster.server == "https://127.0.0.1:1111")
            #expect(merged.users.first { $0.name == "u1" }?.source == "\(dir)/a.yaml")

            let current = try ClientConfiguration.load(environment: environment)
            #expect(current.server == "https://127.0.0.1:6443")
            #expect(current.credentials == .bearerToken("t-one"))
            #expect(current.namespace == nil)

            let explicit = try ClientConfiguration.load(context: "ctx-b", environment: environment)
            #expect(explicit.server == "https://127.0.0.1:7443")
            #expect(explicit.tlsServerName == "apiserver.test")
            #expect(explicit.insecureSkipTLSVerify)
            #expect(explicit.credentials == .bearerToken("t-two"))
            #expect(explicit.namespace == "ns-b")

            let shared = try ClientConfiguration.load(context: "ctx-shared", environment: environment)
            #expect(shared.server == "https://127.0.0.1:1111")
        }
    }

    @Test func insecureSkipTLSVerifyWithACertificateAuthorityIsRefused() throws {
        let yaml = """
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true, certificate-authority-data: \(base64("-----BEGIN CERTIFICATE-----"))}
            contexts:
            - {name: x, context: {cluster: c}}
            current-context: x
            """
        #expect { try ClientConfiguration(kubeConfig: try KubeConfig.parse(yaml)) } throws: { error in
            (error as? KubeError)?.message.contains("insecure-skip-tls-verify together with a certificate authority") == true
        }
    }

    @Test func currentContextComesFromTheFirstFileThatSetsIt() throws {
        let withoutCurrent = try KubeConfig.parse(Self.first.replacingOccurrences(of: "current-context: ctx-a\n", with: ""))
        let merged = withoutCurrent.merged(with: try KubeConfig.parse(Self.second))
        #expect(merged.currentContext == "ctx-b")
        #expect(try ClientConfiguration(kubeConfig: merged).namespace == "ns-b")
    }

    @Test func relativePathsResolveAgainstTheKubeconfigFolder() async throws {
        let pki = try TestPKI()
        try await withTemporaryDirectory { dir in
            try write(pki.caPEM, to: dir + "/conf/pki/ca.crt")
            try write(pki.client.certificatePEM, to: dir + "/conf/pki/client.crt")
            try write(pki.client.keyPEM, to: dir + "/conf/pki/client.key")
            try write("file-token", to: dir + "/conf/token")
            try write(
                """
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
                users:
                - name: certs
                  user: {client-certificate: pki/client.crt, client-key: ./pki/client.key}
                - name: file
                  user: {tokenFile: token}
                - name: plugin
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ../bin/login, args: [get-token]}
                - name: path-plugin
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1, command: kubelogin, interactiveMode: Never}
                contexts:
                - {name: certs, context: {cluster: c, user: certs}}
                - {name: file, context: {cluster: c, user: file}}
                - {name: plugin, context: {cluster: c, user: plugin}}
                - {name: path-plugin, context: {cluster: c, user: path-plugin}}
                """, to: dir + "/conf/kubeconfig")
            let config = try KubeConfig.load(path: dir + "/conf/kubeconfig")
            let certs = try ClientConfiguration(kubeConfig: config, context: "certs")
            #expect(certs.certificateAuthorityPEM == Data(pki.caPEM.utf8))
            #expect(certs.clientCertificatePEM == Data(pki.client.certificatePEM.utf8))
            #expect(certs.clientKeyPEM == Data(pki.client.keyPEM.utf8))
            #expect(certs.credentials == Credentials.none)

            let file = try ClientConfiguration(kubeConfig: config, context: "file")
            #expect(file.credentials == .tokenFile(dir + "/conf/token"))

            let plugin = try ClientConfiguration(kubeConfig: config, context: "plugin")
            #expect(
                plugin.credentials
                    == .exec(ExecConfig(apiVersion: "client.authentication.k8s.io/v1beta1", command: dir + "/bin/login", args: ["get-token"])))
            let pathPlugin = try ClientConfiguration(kubeConfig: config, context: "path-plugin")
            #expect(pathPlugin.credentials == .exec(ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "kubelogin", interactiveMode: "Never")))
        }
    }

    @Test func inlineDataWinsOverFiles() throws {
        let config = try KubeConfig.parse(
            """
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: \(base64("CA PEM")), certificate-authority: /nonexistent/ca.crt}
            users:
            - name: u
              user: {client-certificate-data: \(base64("CERT")), client-key-data: \(base64("KEY")), token: tok, tokenFile: /nonexistent}
            contexts:
            - {name: x, context: {cluster: c, user: u}}
            current-context: x
            """)
        let configuration = try ClientConfiguration(kubeConfig: config)
        #expect(configuration.certificateAuthorityPEM == Data("CA PEM".utf8))
        #expect(configuration.clientCertificatePEM == Data("CERT".utf8))
        #expect(configuration.clientKeyPEM == Data("KEY".utf8))
        #expect(configuration.credentials == .bearerToken("tok"))
    }

    private func configurationError(_ body: () throws -> Void) -> String {
        do {
            try body()
            Issue.record("expected a configuration error")
            return ""
        } catch let error as KubeError {
            #expect(error.code == .configuration)
            return error.message
        } catch {
            Issue.record("unexpected error \(error)")
            return ""
        }
    }

    @Test func errorsNameWhatIsMissingAndWhere() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/config"
            try write(
                """
                current-context: broken-cluster
                clusters:
                - name: good
                  cluster: {server: "https://127.0.0.1:6443"}
                - name: bad-ca
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "not base64!"}
                - name: missing-ca
                  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
                users:
                - name: bad-key
                  user: {client-certificate-data: \(base64("CERT")), client-key-data: "%%%"}
                contexts:
                - {name: broken-cluster, context: {cluster: nowhere}}
                - {name: broken-user, context: {cluster: good, user: nobody}}
                - {name: bad-ca, context: {cluster: bad-ca}}
                - {name: missing-ca, context: {cluster: missing-ca}}
                - {name: bad-key, context: {cluster: good, user: bad-key}}
                """, to: path)
            let config = try KubeConfig.load(path: path)

            var message = configurationError { _ = try ClientConfiguration(kubeConfig: config, context: "nope") }
            #expect(message.contains(#"context "nope" is not defined in \#(path)"#))
            #expect(message.contains("available contexts: bad-ca, bad-key, broken-cluster, broken-user, missing-ca"))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: config) }
            #expect(message.contains(#"context "broken-cluster" in \#(path) refers to cluster "nowhere""#))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: config, context: "broken-user") }
            #expect(message.contains(#"refers to user "nobody", which is not defined"#))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: config, context: "bad-ca") }
            #expect(message.contains(#"certificate-authority-data of cluster "bad-ca" in \#(path) is not valid base64"#))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: config, context: "bad-key") }
            #expect(message.contains(#"client-key-data of user "bad-key" in \#(path) is not valid base64"#))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: config, context: "missing-ca") }
            #expect(message.contains(#"certificate-authority of cluster "missing-ca" in \#(path): file \#(dir)/ca.crt does not exist"#))

            message = configurationError { _ = try KubeConfig.load(path: dir + "/absent") }
            #expect(message.contains("file \(dir)/absent does not exist"))

            message = configurationError { _ = try ClientConfiguration.load(kubeConfigPath: dir + "/absent", environment: [:]) }
            #expect(message.contains("\(dir)/absent does not exist"))

            message = configurationError { _ = try ClientConfiguration(kubeConfig: KubeConfig()) }
            #expect(message.contains("sets no current-context"))

            try write("clusters: [ {name: x, cluster: {server: 1}\n", to: dir + "/bad.yaml")
            message = configurationError { _ = try KubeConfig.load(path: dir + "/bad.yaml") }
            #expect(message.contains("\(dir)/bad.yaml is not a valid kubeconfig"))

            try write("clusters:\n- cluster: {server: x}\n", to: dir + "/nameless.yaml")
            message = configurationError { _ = try KubeConfig.load(path: dir + "/nameless.yaml") }
            #expect(message.contains(#"missing "name" at clusters[0]"#))
        }
    }

    @Test func emptyFileIsAnEmptyConfig() throws {
        #expect(try KubeConfig.parse("\n  \n") == KubeConfig())
    }
}
