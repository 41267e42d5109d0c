import Foundation
import KubeClient
import KubeCore
import Testing

/// Server verification against the cluster CA, client certificates and `tls-server-name`.
@Suite struct TLSTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static let ok: TestServer.Responder = { _ in .json(configMapJSON("a")) }

    @Test func verifiesTheServerAgainstTheConfiguredCA() async throws {
        try await withServer(pki: pki, respond: Self.ok) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            var wrongCA = testConfiguration(for: server, pki: pki)
            wrongCA.certificateAuthorityPEM = Data(try TestPKI.unrelatedCAPEM().utf8)
            wrongCA.retryPolicy = .none
            try await withClient(wrongCA) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .transport)
                #expect(error?.message.contains("TLS handshake") == true)
                #expect(error?.message.contains("CERTIFICATE_VERIFY_FAILED") == true)
            }
            // The server never saw a request from the client that rejected it.
            #expect(server.requests.count == 1)
        }
    }

    @Test func insecureSkipTLSVerifyAcceptsAnyServerCertificate() async throws {
        try await withServer(pki: pki, respond: Self.ok) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.certificateAuthorityPEM = Data(try TestPKI.unrelatedCAPEM().utf8)
            configuration.insecureSkipTLSVerify = true
            try await withClient(configuration) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
        }
    }

    @Test func presentsTheClientCertificateWhenTheServerRequiresOne() async throws {
        try await withServer(pki: pki, requireClientCertificate: true, respond: Self.ok) { server in
            var anonymous = testConfiguration(for: server, pki: pki)
            anonymous.credentials = .none
            anonymous.retryPolicy = .none
            try await withClient(anonymous) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .transport)
            }
            #expect(server.requests.isEmpty)

            // The same identity through a kubeconfig, as kubectl users configure it.
            let kubeconfig = """
                apiVersion: v1
                kind: Config
                current-context: mtls
                clusters:
                - name: local
                  cluster:
                    server: \(server.url)
                    certificate-authority-data: \(base64(pki.caPEM))
                users:
                - name: cert-user
                  user:
                    client-certificate-data: \(base64(pki.client.certificatePEM))
                    client-key-data: \(base64(pki.client.keyPEM))
                contexts:
                - name: mtls
                  context: {cluster: local, user: cert-user}
                """
            let configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(kubeconfig))
            try await withClient(configuration) { client in
                let object = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                #expect(object.metadata.name == "a")
            }
            #expect(server.requests.count == 1)
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }

    @Test func tlsServerNameIsVerifiedInsteadOfTheAddress() async throws {
        try await withServer(pki: pki, identity: pki.namedServer, respond: Self.ok) { server in
            var plain = testConfiguration(for: server, pki: pki)
            plain.retryPolicy = .none
            try await withClient(plain) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .transport)
            }
            var named = plain
            named.tlsServerName = "apiserver.test"
            try await withClient(named) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            #expect(server.requests.count == 1)
        }
    }
}
