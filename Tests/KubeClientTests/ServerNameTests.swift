import Crypto
import Foundation
import KubeCore
import Testing
import X509

@testable import KubeClient

/// The server certificate must name the host the client meant, by client-go's rules: `tls-server-name`
/// when set, the URL's host otherwise; IP addresses only against IP SANs; never the common name.
@Suite struct ServerNameTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static let ok: TestServer.Responder = { _ in .json(configMapJSON("a")) }

    private func outcome(_ configuration: ClientConfiguration) async throws -> KubeError? {
        var configuration = configuration
        configuration.retryPolicy = .none
        return try await withClient(configuration) { client -> KubeError? in
            do {
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                return nil
            } catch let error as KubeError {
                return error
            }
        }
    }

    @Test(arguments: ["wrong.example", "127.0.0.2", "apiserver.test"])
    func aServerNameTheCertificateDoesNotNameIsRefused(serverName: String) async throws {
        // The certificate names localhost and 127.0.0.1, the address connected to; neither may stand in
        // for another name.
        try await withServer(pki: pki, respond: Self.ok) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.tlsServerName = serverName
            let error = try await outcome(configuration)
            #expect(error?.code == .transport)
            #expect(error?.message.contains("not valid for \(serverName)") == true)
            #expect(error?.message.contains("localhost") == true || error?.message.contains("127.0.0.1") == true)
            #expect(server.requests.isEmpty)
        }
    }

    @Test(arguments: ["localhost", "LOCALHOST.", "127.0.0.1"])
    func aServerNameTheCertificateNamesIsAccepted(serverName: String) async throws {
        try await withServer(pki: pki, respond: Self.ok) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.tlsServerName = serverName
            let error = try await outcome(configuration)
            #expect(error == nil)
            #expect(server.requests.count == 1)
        }
    }

    @Test func anAddressInTheCertificateDoesNotVouchForAHostName() async throws {
        try await withServer(pki: pki, identity: pki.addressOnlyServer, respond: Self.ok) { server in
            var byName = testConfiguration(for: server, pki: pki)
            byName.server = "https://localhost:\(server.port)"
            let error = try await outcome(byName)
            #expect(error?.code == .transport)
            #expect(error?.message.contains("not valid for localhost: it contains no DNS name") == true)

            var named = testConfiguration(for: server, pki: pki)
            named.tlsServerName = "localhost"
            let namedError = try await outcome(named)
            #expect(namedError?.code == .transport)

            // By address, the same certificate is right.
            let byAddress = try await outcome(testConfiguration(for: server, pki: pki))
            #expect(byAddress == nil)
            #expect(server.requests.count == 1)
        }
    }

    @Test func theCommonNameIsNeverUsed() async throws {
        try await withServer(pki: pki, identity: pki.commonNameOnlyServer, respond: Self.ok) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.tlsServerName = "localhost"
            let error = try await outcome(configuration)
            #expect(error?.code == .transport)
            #expect(error?.message.contains("it contains no DNS name") == true)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func http2ConnectionsAreCheckedToo() async throws {
        try await withServer(pki: pki, http2MaxConcurrentStreams: 100, respond: Self.ok) { server in
            var wrong = testConfiguration(for: server, pki: pki)
            wrong.tlsServerName = "wrong.example"
            let error = try await outcome(wrong)
            #expect(error?.message.contains("not valid for wrong.example") == true)
            #expect(server.requests.isEmpty)

            var right = testConfiguration(for: server, pki: pki)
            right.tlsServerName = "localhost"
            let accepted = try await outcome(right)
            #expect(accepted == nil)
            #expect(server.requests.map(\.httpMajorVersion) == [2])
        }
    }

    @Test func watchesAreCheckedToo() async throws {
        try await withServer(pki: pki, respond: { _ in .stream(steps: [.end]) }) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.tlsServerName = "wrong.example"
            try await withClient(configuration) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.watch(ConfigMap.self, namespace: "demo")
                }
                #expect(error?.message.contains("not valid for wrong.example") == true)
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func insecureSkipTLSVerifySkipsTheNameCheck() async throws {
        try await withServer(pki: pki, respond: Self.ok) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.tlsServerName = "wrong.example"
            configuration.insecureSkipTLSVerify = true
            let error = try await outcome(configuration)
            #expect(error == nil)
        }
    }

    // MARK: - The rules, without a connection

    private func certificate(_ names: [GeneralName]) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("ignored.example") }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date() - 60,
            notValidAfter: Date() + 3600, issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { if !names.isEmpty { SubjectAlternativeNames(names) } },
            issuerPrivateKey: .init(key))
    }

    private func accepts(_ names: [GeneralName], _ expected: String) throws -> Bool {
        let certificate = try certificate(names)
        do {
            try ServerNameCheck(expected: expected).verify(certificate)
            return true
        } catch {
            return false
        }
    }

    @Test func wildcardsMatchExactlyOneLeftMostLabel() throws {
        let names: [GeneralName] = [.dnsName("*.cluster.example")]
        #expect(try accepts(names, "api.cluster.example"))
        #expect(try accepts(names, "API.Cluster.Example."))
        #expect(try !accepts(names, "cluster.example"))
        #expect(try !accepts(names, "a.api.cluster.example"))
        #expect(try !accepts([.dnsName("api.*.example")], "api.cluster.example"))
    }

    @Test func addressesMatchOnlyAddresses() throws {
        let loopback: [UInt8] = [127, 0, 0, 1]
        let v6: [UInt8] = Array(repeating: 0, count: 15) + [1]
        #expect(try accepts([.ipAddress(.init(contentBytes: loopback[...]))], "127.0.0.1"))
        #expect(try accepts([.ipAddress(.init(contentBytes: loopback[...]))], "::ffff:127.0.0.1"))
        #expect(try accepts([.ipAddress(.init(contentBytes: v6[...]))], "::1"))
        #expect(try !accepts([.ipAddress(.init(contentBytes: v6[...]))], "127.0.0.1"))
        // A DNS name that spells an address is not an address.
        #expect(try !accepts([.dnsName("127.0.0.1")], "127.0.0.1"))
        #expect(try !accepts([.ipAddress(.init(contentBytes: loopback[...]))], "localhost"))
    }

    @Test func theMismatchSaysWhatTheCertificateIsValidFor() throws {
        let certificate = try certificate([.dnsName("a.example"), .dnsName("b.example")])
        #expect(throws: ServerNameMismatch.self) { try ServerNameCheck(expected: "c.example").verify(certificate) }
        do {
            try ServerNameCheck(expected: "c.example").verify(certificate)
        } catch {
            #expect(error.description == "the server certificate is not valid for c.example: it is valid for a.example, b.example")
        }
    }
}
