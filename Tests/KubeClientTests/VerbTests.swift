import Foundation
import KubeClient
import KubeCore
import Testing

/// Every verb against the loopback server: exact method, path, query, headers and body.
@Suite struct VerbTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    /// Answers like an API server holding ConfigMaps `a` and `b` in `demo`.
    static let respond: TestServer.Responder = { request in
        switch (request.method, request.path) {
        case ("GET", "/api/v1/namespaces/demo/configmaps"):
            if request.query?.contains("continue=tok1") == true {
                return .json(#"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"10"},"items":[\#(configMapJSON("b"))]}"#)
            }
            return .json(#"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"10","continue":"tok1","remainingItemCount":1},"items":[\#(configMapJSON("a"))]}"#)
        case ("POST", _), ("PUT", _):
            return .full(status: request.method == "POST" ? 201 : 200, body: request.body)
        case ("DELETE", _):
            return .json(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"a","kind":"configmaps"}}"#)
        default:
            return .json(configMapJSON("a", resourceVersion: "7"))
        }
    }

    private func expectCommonHeaders(_ request: RecordedRequest, contentType: String?) {
        #expect(request.header("Authorization") == "Bearer test-token")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("User-Agent") == "kubeclient-tests/1.0")
        #expect(request.header("Content-Type") == contentType)
    }

    private func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.kubernetes().encode(value), as: UTF8.self)
    }

    @Test func getAndListFollowingContinue() async throws {
        try await withServer(pki: pki, respond: Self.respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let object = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                #expect(object.metadata.name == "a")
                #expect(object.metadata.resourceVersion == "7")

                let list = try await client.list(
                    ConfigMap.self, namespace: "demo", options: ListOptions(labelSelector: "app=x", limit: 1))
                #expect(list.items.map(\.metadata.name) == ["a", "b"])
                #expect(list.metadata.resourceVersion == "10")
                #expect(list.metadata.continue == nil)
                #expect(list.items.allSatisfy { $0.kind == "ConfigMap" })

                let page = try await client.listPage(ConfigMap.self, namespace: "demo", options: ListOptions(limit: 1))
                #expect(page.metadata.continue == "tok1")
            }
            let requests = server.requests
            try #require(requests.count == 4)
            #expect(requests[0].method == "GET")
            #expect(requests[0].uri == "/api/v1/namespaces/demo/configmaps/a")
            #expect(requests[1].uri == "/api/v1/namespaces/demo/configmaps?labelSelector=app%3Dx&limit=1")
            #expect(requests[2].uri == "/api/v1/namespaces/demo/configmaps?labelSelector=app%3Dx&limit=1&continue=tok1")
            #expect(requests[3].uri == "/api/v1/namespaces/demo/configmaps?limit=1")
            for request in requests {
                expectCommonHeaders(request, contentType: nil)
                #expect(request.body == "")
            }
        }
    }

    @Test func writesSendExactBodies() async throws {
        let object = ConfigMap(metadata: ObjectMeta(name: "a", namespace: "demo", resourceVersion: "7"), data: ["k": "v"])
        try await withServer(pki: pki, respond: Self.respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let created = try await client.create(object, options: CreateOptions(fieldManager: "op"))
                #expect(created.metadata.name == "a")
                _ = try await client.replace(object)
                _ = try await client.patch(
                    ConfigMap.self, name: "a", namespace: "demo", patch: .merge(["data": ["k": "w"]]))
                _ = try await client.patch(
                    ConfigMap.self, name: "a", namespace: "demo", patch: .json([.replace("/data/k", "w")]))
                _ = try await client.apply(object, fieldManager: "op", force: true)
                _ = try await client.replaceStatus(object)
                _ = try await client.patch(
                    ConfigMap.self, name: "a", namespace: "demo", subresource: "status", patch: .merge(["data": nil]))
                let result = try await client.delete(
                    ConfigMap.self, name: "a", namespace: "demo",
                    options: DeleteOptions(propagationPolicy: .foreground, preconditionUID: "u1"))
                guard case .deleted(let status) = result else {
                    Issue.record("expected a Status, got \(result)")
                    return
                }
                #expect(status.status == "Success")
            }
            let requests = server.requests
            try #require(requests.count == 8)
            let objectJSON = try encoded(object)

            #expect(requests[0].method == "POST")
            #expect(requests[0].uri == "/api/v1/namespaces/demo/configmaps?fieldManager=op")
            #expect(requests[0].body == objectJSON)
            expectCommonHeaders(requests[0], contentType: "application/json")

            #expect(requests[1].method == "PUT")
            #expect(requests[1].uri == "/api/v1/namespaces/demo/configmaps/a")
            #expect(requests[1].body == objectJSON)
            expectCommonHeaders(requests[1], contentType: "application/json")

            #expect(requests[2].method == "PATCH")
            #expect(requests[2].uri == "/api/v1/namespaces/demo/configmaps/a")
            #expect(requests[2].body == #"{"data":{"k":"w"}}"#)
            expectCommonHeaders(requests[2], contentType: "application/merge-patch+json")

            #expect(requests[3].method == "PATCH")
            #expect(requests[3].body == #"[{"op":"replace","path":"/data/k","value":"w"}]"#)
            expectCommonHeaders(requests[3], contentType: "application/json-patch+json")

            #expect(requests[4].method == "PATCH")
            #expect(requests[4].uri == "/api/v1/namespaces/demo/configmaps/a?fieldManager=op&force=true")
            #expect(requests[4].body == objectJSON)
            expectCommonHeaders(requests[4], contentType: "application/apply-patch+yaml")

            #expect(requests[5].method == "PUT")
            #expect(requests[5].uri == "/api/v1/namespaces/demo/configmaps/a/status")
            #expect(requests[5].body == objectJSON)
            expectCommonHeaders(requests[5], contentType: "application/json")

            #expect(requests[6].method == "PATCH")
            #expect(requests[6].uri == "/api/v1/namespaces/demo/configmaps/a/status")
            #expect(requests[6].body == #"{"data":null}"#)
            expectCommonHeaders(requests[6], contentType: "application/merge-patch+json")

            #expect(requests[7].method == "DELETE")
            #expect(requests[7].uri == "/api/v1/namespaces/demo/configmaps/a")
            #expect(
                requests[7].body
                    == #"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"uid":"u1"},"propagationPolicy":"Foreground"}"#)
            expectCommonHeaders(requests[7], contentType: "application/json")
        }
    }

    @Test func deletingAReadObjectGuardsItsUID() async throws {
        let object = ConfigMap(metadata: ObjectMeta(name: "a", namespace: "demo", uid: "uid-7"))
        try await withServer(pki: pki, respond: Self.respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                _ = try await client.delete(object, options: DeleteOptions(gracePeriodSeconds: 0))
            }
            let request = try #require(server.requests.first)
            #expect(request.method == "DELETE")
            #expect(request.uri == "/api/v1/namespaces/demo/configmaps/a")
            #expect(request.body == #"{"apiVersion":"v1","gracePeriodSeconds":0,"kind":"DeleteOptions","preconditions":{"uid":"uid-7"}}"#)
            expectCommonHeaders(request, contentType: "application/json")
        }
    }

    @Test func untypedFormsUseResourceDescriptors() async throws {
        let resource = ResourceDescriptor(
            group: "hierachain.io", version: "v1alpha1", kind: "SubChain", plural: "subchains", namespaced: false)
        let respond: TestServer.Responder = { request in
            switch request.method {
            case "GET" where request.path.hasSuffix("/subchains"):
                return .json(#"{"metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"demo"}}]}"#)
            case "DELETE":
                return .json(#"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo","deletionTimestamp":"2026-01-01T00:00:00Z"}}"#)
            case "POST", "PUT":
                return .full(status: 200, body: request.body)
            default:
                return .json(#"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"},"spec":{"nodes":4}}"#)
            }
        }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let object = try await client.get(resource, name: "demo")
                #expect(object["spec"]?["nodes"]?.integerValue == 4)
                let list = try await client.list(resource)
                #expect(list.items.first?["metadata"]?["name"]?.stringValue == "demo")
                let body: JSONValue = ["apiVersion": "hierachain.io/v1alpha1", "kind": "SubChain", "metadata": ["name": "demo"]]
                _ = try await client.create(resource, object: body)
                _ = try await client.replace(resource, name: "demo", subresource: "status", object: body)
                _ = try await client.patch(
                    resource, name: "demo", subresource: "status", patch: .apply(body),
                    options: PatchOptions(fieldManager: "op"))
                let deleted = try await client.delete(resource, name: "demo")
                guard case .accepted(let pending) = deleted else {
                    Issue.record("expected the object still being deleted, got \(deleted)")
                    return
                }
                #expect(pending["metadata"]?["deletionTimestamp"]?.stringValue == "2026-01-01T00:00:00Z")
            }
            let requests = server.requests.map { "\($0.method) \($0.uri) \($0.body)" }
            #expect(
                requests == [
                    "GET /apis/hierachain.io/v1alpha1/subchains/demo ",
                    "GET /apis/hierachain.io/v1alpha1/subchains ",
                    #"POST /apis/hierachain.io/v1alpha1/subchains {"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"}}"#,
                    #"PUT /apis/hierachain.io/v1alpha1/subchains/demo/status {"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"}}"#,
                    #"PATCH /apis/hierachain.io/v1alpha1/subchains/demo/status?fieldManager=op {"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"}}"#,
                    "DELETE /apis/hierachain.io/v1alpha1/subchains/demo ",
                ])
        }
    }

    @Test(arguments: [
        (404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"a\" not found","reason":"NotFound","code":404}"#, KubeError.Code.notFound),
        (409, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"a\" already exists","reason":"AlreadyExists","code":409}"#, .alreadyExists),
        (409, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the object has been modified","reason":"Conflict","code":409}"#, .conflict),
        (403, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden: User cannot get","reason":"Forbidden","code":403}"#, .forbidden),
        (410, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}"#, .gone),
        (400, "not json", .badRequest),
    ])
    func errorsCarryTheServersStatus(status: Int, body: String, code: KubeError.Code) async throws {
        try await withServer(pki: pki, respond: { _ in .full(status: status, body: body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == code)
                #expect(error?.httpStatus == status)
                #expect(error?.message.contains("GET /api/v1/namespaces/demo/configmaps/a") == true)
                if let message = error?.status?.message { #expect(error?.message.contains(message) == true) }
            }
        }
    }

    @Test func invalidCarriesFieldCauses() async throws {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"ConfigMap \"a\" is invalid","reason":"Invalid","details":{"name":"a","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \"A\"","field":"metadata.name"}]},"code":422}"#
        try await withServer(pki: pki, respond: { _ in .full(status: 422, body: body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "A", namespace: "demo")))
                }
                #expect(error?.code == .invalid)
                #expect(error?.causes.map(\.field) == ["metadata.name"])
                #expect(error?.message.contains("metadata.name: Invalid value") == true)
                #expect(error?.message.contains("Fix the fields listed") == true)
            }
        }
    }
}
