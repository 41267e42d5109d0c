import Foundation
import KubeCore
import NIOHTTP1
import Testing

@testable import KubeClient

/// kubeconfig user and cluster settings beyond tokens: basic auth, impersonation, auth providers,
/// exec plugin validation, proxies and `~` in paths.
@Suite struct KubeConfigUserTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    private func kubeconfig(server: String = "https://127.0.0.1:6443", cluster: String = "", user: String) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: c
        clusters:
        - name: k
          cluster:
            server: \(server)
        \(cluster.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        users:
        - name: u
          user:
        \(user.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        contexts:
        - name: c
          context: {cluster: k, user: u}
        """
    }

    private func configuration(_ yaml: String) throws(KubeError) -> ClientConfiguration {
        try ClientConfiguration(kubeConfig: try KubeConfig.parse(yaml, source: "/home/a/.kube/config"))
    }

    private func configurationError(_ yaml: String) -> KubeError? {
        do {
            _ = try configuration(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func usernameAndPasswordAreSentAsBasicAuthentication() async throws {
        try await withServer(pki: pki, respond: { _ in .json(configMapJSON("a")) }) { server in
            var configuration = try configuration(kubeconfig(server: server.url, user: "username: alice\npassword: s3cret"))
            configuration.certificateAuthorityPEM = Data(pki.caPEM.utf8)
            try await withClient(configuration) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            #expect(server.requests.first?.header("Authorization") == "Basic " + base64("alice:s3cret"))
        }
        #expect(configurationError(kubeconfig(user: "password: s3cret"))?.message.contains("password but no username") == true)
    }

    @Test func impersonationHeadersAreSent() async throws {
        try await withServer(pki: pki, respond: { _ in .json(configMapJSON("a")) }) { server in
            let user = """
                token: t
                as: system:serviceaccount:ops:deployer
                as-uid: "1234"
                as-groups: [ops, "system:authenticated"]
                as-user-extra:
                  scopes.example.com/team: [bft, "a b"]
                """
            var configuration = try configuration(kubeconfig(server: server.url, user: user))
            configuration.certificateAuthorityPEM = Data(pki.caPEM.utf8)
            try await withClient(configuration) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            let headers = try #require(server.requests.first?.headers)
            #expect(headers["Impersonate-User"] == ["system:serviceaccount:ops:deployer"])
            #expect(headers["Impersonate-Uid"] == ["1234"])
            #expect(headers["Impersonate-Group"] == ["ops", "system:authenticated"])
            #expect(headers["Impersonate-Extra-scopes.example.com%2Fteam"] == ["bft", "a b"])
            #expect(headers["Authorization"] == ["Bearer t"])
        }
        let groupsOnly = configurationError(kubeconfig(user: "token: t\nas-groups: [ops]"))
        #expect(groupsOnly?.code == .configuration)
        #expect(groupsOnly?.message.contains("without as") == true)
    }

    @Test func anAuthProviderIsRefusedByName() {
        let error = configurationError(kubeconfig(user: "auth-provider:\n  name: oidc\n  config: {client-id: x}"))
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("user \"u\" in /home/a/.kube/config uses auth-provider (oidc)") == true)
        #expect(error?.message.contains("exec credential plugin") == true)
    }

    @Test func execV1RequiresInteractiveMode() {
        let missing = configurationError(
            kubeconfig(user: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: plugin"))
        #expect(missing?.code == .configuration)
        #expect(missing?.message.contains("exec.interactiveMode must be set") == true)
        let invalid = configurationError(
            kubeconfig(
                user: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: plugin\n  interactiveMode: Sometimes"))
        #expect(invalid?.message.contains("exec.interactiveMode \"Sometimes\" is not valid") == true)
        // v1beta1 defaults it, as client-go does.
        #expect(
            configurationError(kubeconfig(user: "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: plugin"))
                == nil)
    }

    @Test func proxyURLIsReadAndChecked() throws {
        let configuration = try configuration(kubeconfig(cluster: "proxy-url: http://proxy.internal:3128", user: "token: t"))
        #expect(configuration.proxyURL == "http://proxy.internal:3128")
        let https = configurationError(kubeconfig(cluster: "proxy-url: https://proxy.internal", user: "token: t"))
        #expect(https?.code == .configuration)
        #expect(https?.message.contains("proxy-url of cluster \"k\"") == true)
        #expect(https?.message.contains("scheme https") == true)
    }

    @Test func tildeIsTheHomeFolder() throws {
        #expect(LocalFile.resolve("~/certs/ca.crt", against: "/etc/kube", home: "/home/a") == "/home/a/certs/ca.crt")
        #expect(LocalFile.resolve("certs/ca.crt", against: "/etc/kube", home: "/home/a") == "/etc/kube/certs/ca.crt")
        #expect(LocalFile.resolve("/abs/ca.crt", against: "/etc/kube", home: "/home/a") == "/abs/ca.crt")
        #expect(LocalFile.resolve("~other/ca.crt", against: "/etc/kube", home: "/home/a") == "/etc/kube/~other/ca.crt")
    }

    // MARK: - Proxy choice

    private func proxy(
        _ environment: [String: String], explicit: String? = nil, scheme: String = "https", host: String = "10.0.0.5",
        port: Int = 6443
    ) throws(KubeError) -> String? {
        guard
            let proxy = try ProxyRoute.proxy(
                explicit: explicit, environment: environment, scheme: scheme, host: host, port: port)
        else { return nil }
        return "\(proxy.host):\(proxy.port)"
    }

    @Test func environmentProxiesFollowClientGo() throws {
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"]) == "p:3128")
        #expect(try proxy(["https_proxy": "p:8080"]) == "p:8080")
        #expect(try proxy(["HTTP_PROXY": "http://p:3128"]) == nil)
        #expect(try proxy(["HTTP_PROXY": "http://p:3128"], scheme: "http") == "p:3128")
        #expect(try proxy(["HTTPS_PROXY": "http://p"]) == "p:80")
        // Loopback and localhost are never proxied from the environment.
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"], host: "127.0.0.1") == nil)
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"], host: "localhost") == nil)
        // An explicit proxy-url is used even so, and wins over the environment.
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"], explicit: "socks5://s", host: "127.0.0.1") == "s:1080")
    }

    @Test(arguments: [
        ("*", true), ("10.0.0.5", true), ("10.0.0.0/8", true), ("10.1.0.0/16", false), ("cluster.example", true),
        (".example", true), ("*.example", true), ("other.example", false), ("api.cluster.example:6443", true),
        ("api.cluster.example:443", false), ("  , cluster.example ", true),
    ])
    func noProxyEntries(entry: String, bypassed: Bool) throws {
        let host = entry.contains("10.") || entry == "*" ? "10.0.0.5" : "api.cluster.example"
        #expect(ProxyRoute.bypasses(entry, host: host, port: 6443) == bypassed)
    }

    @Test func aLeadingDotOrStarCoversSubdomainsOnly() {
        #expect(ProxyRoute.bypasses("cluster.example", host: "cluster.example", port: 443))
        #expect(!ProxyRoute.bypasses(".cluster.example", host: "cluster.example", port: 443))
        #expect(!ProxyRoute.bypasses("*.cluster.example", host: "cluster.example", port: 443))
        #expect(ProxyRoute.bypasses("*.cluster.example", host: "api.cluster.example", port: 443))
        #expect(!ProxyRoute.bypasses("cluster.example", host: "notcluster.example", port: 443))
    }

    @Test func proxyCredentialsBecomeBasicAuthorization() throws {
        let proxy = try ProxyRoute.parse("http://u%40x:p%3Aw@p:3128", setting: "proxy-url")
        #expect(proxy.authorization == .basic(username: "u@x", password: "p:w"))
    }
}
