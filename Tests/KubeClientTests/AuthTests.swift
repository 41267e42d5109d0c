import Foundation
import KubeClient
import KubeCore
import Testing

/// Token files, exec credential plugins and the refresh on 401.
@Suite struct AuthTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static let ok: TestServer.Responder = { _ in .json(configMapJSON("a")) }

    @Test func tokenFileIsReadAgainWhenItChanges() async throws {
        try await withTemporaryDirectory { dir in
            let tokenPath = dir + "/token"
            try write("first-token\n", to: tokenPath)
            try await withServer(pki: pki, respond: Self.ok) { server in
                var configuration = testConfiguration(for: server, pki: pki)
                configuration.credentials = .tokenFile(tokenPath)
                try await withClient(configuration) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    try write("second-token\n", to: tokenPath)
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(
                    server.requests.map { $0.header("Authorization") }
                        == ["Bearer first-token", "Bearer first-token", "Bearer second-token"])
            }
        }
    }

    @Test func tokenFileIsReadAgainAfter401() async throws {
        try await withTemporaryDirectory { dir in
            let tokenPath = dir + "/token"
            try write("old", to: tokenPath)
            // The kubelet rotates the token while the request carrying the old one is in flight.
            let respond: TestServer.Responder = { request in
                guard request.header("Authorization") == "Bearer old" else { return .json(configMapJSON("a")) }
                try? write("new", to: tokenPath)
                return .full(
                    status: 401,
                    body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
            }
            try await withServer(pki: pki, respond: respond) { server in
                var configuration = testConfiguration(for: server, pki: pki)
                configuration.credentials = .tokenFile(tokenPath)
                try await withClient(configuration) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(server.requests.map { $0.header("Authorization") } == ["Bearer old", "Bearer new"])
            }
        }
    }

    /// Writes an exec plugin that counts its runs in `dir/count` and prints a token
    /// `exec-token-<run>` valid for `$1` seconds, in API version `$2`.
    private func writePlugin(in dir: String) throws {
        try write(
            #"""
            #!/bin/sh
            set -e
            n=$(cat "$PLUGIN_STATE/count" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > "$PLUGIN_STATE/count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$PLUGIN_STATE/exec-info"
            printf '%s' "$*" > "$PLUGIN_STATE/args"
            expiry=$(date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ)
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"exec-token-%s","expirationTimestamp":"%s"}}' "$2" "$n" "$expiry"
            """#, to: dir + "/bin/plugin.sh", executable: true)
    }

    private func execKubeConfig(dir: String, server: TestServer, ttl: Int, apiVersion: String) throws -> ClientConfiguration {
        let kubeconfigPath = dir + "/config"
        try write(
            """
            apiVersion: v1
            kind: Config
            current-context: exec
            clusters:
            - name: local
              cluster:
                server: \(server.url)
                certificate-authority: ca.crt
            users:
            - name: plugin-user
              user:
                exec:
                  apiVersion: \(apiVersion)
                  command: ./bin/plugin.sh
                  args: ["\(ttl)", "\(apiVersion)"]
                  env:
                  - name: PLUGIN_STATE
                    value: \(dir)
                  provideClusterInfo: true
                  interactiveMode: Never
            contexts:
            - name: exec
              context: {cluster: local, user: plugin-user}
            """, to: kubeconfigPath)
        try write(pki.caPEM, to: dir + "/ca.crt")
        var configuration = try ClientConfiguration(kubeConfig: try KubeConfig.load(path: kubeconfigPath))
        configuration.rateLimit = .unlimited
        return configuration
    }

    private func runs(_ dir: String) throws -> Int {
        Int(try String(contentsOfFile: dir + "/count", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test(arguments: ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
    func execPluginTokenIsCachedUntilItExpires(apiVersion: String) async throws {
        try await withTemporaryDirectory { dir in
            try writePlugin(in: dir)
            try await withServer(pki: pki, respond: Self.ok) { server in
                try await withClient(try execKubeConfig(dir: dir, server: server, ttl: 3600, apiVersion: apiVersion)) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(try runs(dir) == 1)
                #expect(server.requests.map { $0.header("Authorization") } == ["Bearer exec-token-1", "Bearer exec-token-1"])
                #expect(try String(contentsOfFile: dir + "/args", encoding: .utf8) == "3600 \(apiVersion)")
                let info = try JSONDecoder().decode(
                    JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/exec-info")))
                #expect(info["apiVersion"]?.stringValue == apiVersion)
                #expect(info["kind"]?.stringValue == "ExecCredential")
                #expect(info["spec"]?["interactive"]?.boolValue == false)
                #expect(info["spec"]?["cluster"]?["server"]?.stringValue == server.url)
                #expect(info["spec"]?["cluster"]?["certificate-authority-data"]?.stringValue == base64(pki.caPEM))
            }
        }
    }

    @Test func execPluginRunsAgainAfterExpiry() async throws {
        try await withTemporaryDirectory { dir in
            try writePlugin(in: dir)
            try await withServer(pki: pki, respond: Self.ok) { server in
                try await withClient(
                    try execKubeConfig(dir: dir, server: server, ttl: 1, apiVersion: "client.authentication.k8s.io/v1")
                ) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    // The expiry has one-second resolution, so two seconds always pass it.
                    try await Task.sleep(for: .seconds(2))
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(try runs(dir) == 2)
                #expect(server.requests.map { $0.header("Authorization") } == ["Bearer exec-token-1", "Bearer exec-token-2"])
            }
        }
    }

    @Test func unauthorizedRefreshesTheExecCredentialOnce() async throws {
        try await withTemporaryDirectory { dir in
            try writePlugin(in: dir)
            let revoked: TestServer.Responder = { request in
                request.header("Authorization") == "Bearer exec-token-1"
                    ? .full(status: 401, body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
                    : .json(configMapJSON("a"))
            }
            try await withServer(pki: pki, respond: revoked) { server in
                try await withClient(
                    try execKubeConfig(dir: dir, server: server, ttl: 3600, apiVersion: "client.authentication.k8s.io/v1")
                ) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(try runs(dir) == 2)
                #expect(server.requests.map { $0.header("Authorization") } == ["Bearer exec-token-1", "Bearer exec-token-2"])
            }
        }
        try await withTemporaryDirectory { dir in
            try writePlugin(in: dir)
            let alwaysUnauthorized: TestServer.Responder = { _ in
                .full(status: 401, body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
            }
            try await withServer(pki: pki, respond: alwaysUnauthorized) { server in
                try await withClient(
                    try execKubeConfig(dir: dir, server: server, ttl: 3600, apiVersion: "client.authentication.k8s.io/v1")
                ) { client in
                    let error = await #expect(throws: KubeError.self) {
                        _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    }
                    #expect(error?.code == .unauthorized)
                }
                #expect(try runs(dir) == 2)
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func failingExecPluginReportsItsOutput() async throws {
        try await withTemporaryDirectory { dir in
            try write("#!/bin/sh\necho 'login expired, run sso-login' >&2\nexit 3\n", to: dir + "/fail.sh", executable: true)
            try await withServer(pki: pki, respond: Self.ok) { server in
                var configuration = testConfiguration(for: server, pki: pki)
                configuration.credentials = .exec(
                    ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: dir + "/fail.sh", installHint: "Install sso-login."))
                try await withClient(configuration) { client in
                    let error = await #expect(throws: KubeError.self) {
                        _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    }
                    #expect(error?.code == .credentials)
                    #expect(error?.message.contains("exited with status 3: login expired, run sso-login") == true)
                    #expect(error?.message.contains("Install sso-login.") == true)
                }
                #expect(server.requests.isEmpty)
            }
        }
    }

    @Test func execPluginClientCertificateIsPresented() async throws {
        try await withTemporaryDirectory { dir in
            let status: JSONValue = [
                "apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                "status": ["clientCertificateData": .string(pki.client.certificatePEM), "clientKeyData": .string(pki.client.keyPEM)],
            ]
            try write(String(decoding: try JSONEncoder().encode(status), as: UTF8.self), to: dir + "/credential.json")
            try write("#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n", to: dir + "/cert-plugin.sh", executable: true)
            try await withServer(pki: pki, requireClientCertificate: true, respond: Self.ok) { server in
                var configuration = testConfiguration(for: server, pki: pki)
                configuration.credentials = .exec(ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: dir + "/cert-plugin.sh"))
                try await withClient(configuration) { client in
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(server.requests.count == 1)
                #expect(server.requests.first?.header("Authorization") == nil)
            }
        }
    }

    @Test func concurrentRequestsShareOnePluginRun() async throws {
        try await withTemporaryDirectory { dir in
            try write(
                #"""
                #!/bin/sh
                n=$(cat "$PLUGIN_STATE/count" 2>/dev/null || echo 0)
                echo $((n + 1)) > "$PLUGIN_STATE/count"
                sleep 0.3
                printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"shared"}}'
                """#, to: dir + "/slow.sh", executable: true)
            try await withServer(pki: pki, respond: Self.ok) { server in
                var configuration = testConfiguration(for: server, pki: pki)
                configuration.credentials = .exec(
                    ExecConfig(
                        apiVersion: "client.authentication.k8s.io/v1beta1", command: dir + "/slow.sh",
                        env: [.init(name: "PLUGIN_STATE", value: dir)]))
                try await withClient(configuration) { client in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<5 {
                            group.addTask { _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo") }
                        }
                        try await group.waitForAll()
                    }
                }
                #expect(try runs(dir) == 1)
                #expect(server.requests.map { $0.header("Authorization") } == Array(repeating: "Bearer shared", count: 5))
            }
        }
    }

    @Test func anExecPluginThatHangsIsStopped() async throws {
        try await withTemporaryDirectory { dir in
            try await withServer(pki: pki, respond: { _ in .json(configMapJSON("a")) }) { server in
                try write("#!/bin/sh\necho $$ > \"$PLUGIN_STATE/pid\"\nexec sleep 30\n", to: dir + "/bin/plugin.sh", executable: true)
                var configuration = try execKubeConfig(dir: dir, server: server, ttl: 60, apiVersion: "client.authentication.k8s.io/v1")
                configuration.credentialPluginTimeout = .milliseconds(300)
                try await withClient(configuration) { client in
                    let error = await #expect(throws: KubeError.self) {
                        _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    }
                    #expect(error?.code == .credentials)
                    #expect(error?.message.contains("did not finish within") == true)
                }
                #expect(server.requests.isEmpty)
                // The plugin is gone, not left running.
                let pid = Int32(try String(contentsOfFile: dir + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                #expect(pid > 0 && kill(pid, 0) != 0)
            }
        }
    }
}
