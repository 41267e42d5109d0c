import Hummingbird
import HummingbirdTesting
@testable import SubChainNode
import Testing
import Yams

@Suite("HTTP API: OpenAPI document")
struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test("the document lists exactly the router's routes, and is served at /openapi.yaml")
    func matchesRouter() async throws {
        let node = try APITestNode()
        let document = try #require(try Yams.load(yaml: NodeHTTPAPI.openAPIDocument) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where Self.methods.contains(key) { documented.insert("\(key.uppercased()) \(path)") }
        }
        let routed = Set(NodeHTTPAPI(backend: node.backend).makeRouter().routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routed.count >= 10)
        #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented routes the router lacks: \(documented.subtracting(routed).sorted())")

        try await node.withAPI { client in
            let response = try await client.send(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text == NodeHTTPAPI.openAPIDocument)
        }
    }

    @Test("an unknown route gets a JSON 404")
    func unknownRoute() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.get, "/v2/nothing")
            #expect(response.status == .notFound)
            #expect(try response.apiError()["code"] as? String == "not_found")
        }
    }
}
