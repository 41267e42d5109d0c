import Foundation
import KubeClient
import KubeCore
import Testing

/// A typed get, change and replace through the client writes back every field it read.
@Suite struct RoundTripTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static let stored = #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"node-0","namespace":"demo","resourceVersion":"7"},
         "spec":{"replicas":1,"template":{"spec":{"nodeSelector":{"disk":"ssd"},"dnsPolicy":"None",
           "tolerations":[{"key":"dedicated","operator":"Exists"}],"containers":[{"name":"node","image":"n:1"}]}}}}
        """#.replacingOccurrences(of: "\n", with: "")

    @Test(arguments: ["get", "list", "watch"])
    func replaceAfterAReadKeepsFieldsTheModelLacks(read: String) async throws {
        let respond: TestServer.Responder = { request in
            switch (request.method, request.query?.contains("watch=true") == true) {
            case ("GET", true): .stream(steps: [.write(#"{"type":"ADDED","object":\#(Self.stored)}"# + "\n"), .end])
            case ("GET", false) where request.path.hasSuffix("/deployments"):
                .json(#"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"7"},"items":[\#(Self.stored)]}"#)
            default: .json(Self.stored)
            }
        }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                var object: Deployment
                switch read {
                case "get":
                    object = try await client.get(Deployment.self, name: "node-0", namespace: "demo")
                case "list":
                    object = try await client.list(Deployment.self, namespace: "demo").items[0]
                default:
                    var events = try await client.watch(Deployment.self, namespace: "demo").makeAsyncIterator()
                    guard case .added(let added) = try await events.next() else {
                        Issue.record("expected ADDED")
                        return
                    }
                    object = added
                }
                object.metadata.finalizers = ["hierachain.io/teardown"]
                _ = try await client.replace(object)
            }
            let put = try #require(server.requests.first { $0.method == "PUT" })
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(put.body.utf8))
            let podSpec = body["spec"]?["template"]?["spec"]
            #expect(podSpec?["nodeSelector"] == ["disk": "ssd"])
            #expect(podSpec?["dnsPolicy"] == "None")
            #expect(podSpec?["tolerations"]?[0]?["operator"] == "Exists")
            #expect(body["metadata"]?["finalizers"] == ["hierachain.io/teardown"])
            #expect(body["metadata"]?["resourceVersion"] == "7")
        }
    }
}
