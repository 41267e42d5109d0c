import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// The OpenAPI v3 documents kubectl reads: the index and its hashes, each group version's paths and
/// operations (the PATCH operation's GVK and `fieldValidation`, which decide server-side validation),
/// the schemas of custom resources (for `kubectl explain`) and the caching headers. The HTTP tests of
/// facts a real server shares run against a real cluster too.
@Suite struct OpenAPITests {
    static let crds = ResourceDescriptor(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions",
        namespaced: false)

    /// A cluster-scoped CRD for `gadgets.<group>` whose schema has descriptions, an enum, an int-or-string
    /// and an embedded resource; `sizeDescription` tells versions of it apart.
    static func definition(group: String, sizeDescription: String = "How big the gadget is.") -> JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("gadgets.\(group)")],
            "spec": [
                "group": .string(group), "scope": "Cluster",
                "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"],
                "versions": [
                    [
                        "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                        "schema": [
                            "openAPIV3Schema": [
                                "type": "object", "description": "A gadget the OpenAPI tests publish.",
                                "properties": [
                                    "spec": [
                                        "type": "object", "description": "What the gadget should be.",
                                        "properties": [
                                            "size": ["type": "string", "description": .string(sizeDescription), "enum": ["small", "large"]],
                                            "port": ["x-kubernetes-int-or-string": true, "description": "A port number or name."],
                                            "template": [
                                                "type": "object", "x-kubernetes-embedded-resource": true,
                                                "x-kubernetes-preserve-unknown-fields": true, "description": "An object the gadget makes.",
                                            ],
                                        ],
                                    ],
                                    "status": ["type": "object", "properties": ["phase": ["type": "string"]]],
                                ],
                            ]
                        ],
                    ]
                ],
            ],
        ]
    }

    /// The built-in resources and the resources of `crd`, as the state would hold them once it is established.
    static func source(with crd: JSONValue) throws -> OpenAPISource {
        let versions = try SandboxState.customResourceVersions(of: crd)
        return OpenAPISource(resources: BuiltinResources.all + versions.map(\.resource), definitions: [crd])
    }

    /// Every `$ref` in a tree.
    static func references(in value: JSONValue) -> Set<String> {
        switch value {
        case .object(let members):
            var found: Set<String> = members["$ref"]?.stringValue.map { [$0] } ?? []
            for member in members.values { found.formUnion(references(in: member)) }
            return found
        case .array(let elements):
            return elements.reduce(into: Set<String>()) { $0.formUnion(references(in: $1)) }
        default:
            return []
        }
    }

    /// The component schema whose `x-kubernetes-group-version-kind` lists the kind, as kubectl explain finds it.
    static func schema(of kind: JSONValue, in document: JSONValue) -> JSONValue? {
        document.value(atPath: "components.schemas")?.objectMembers?.values.first { schema in
            schema[member: "x-kubernetes-group-version-kind"]?.arrayElements?.contains(kind) ?? false
        }
    }

    /// The names of an operation's own parameters.
    static func parameterNames(_ operation: JSONValue?) -> [String] {
        operation?[member: "parameters"]?.arrayElements?.compactMap { $0[member: "name"]?.stringValue } ?? []
    }

    /// A reference's target, whether written directly or as the only member of `allOf`.
    static func target(of property: JSONValue?) -> String? {
        property?[member: "$ref"]?.stringValue ?? property?[member: "allOf"]?[0]?[member: "$ref"]?.stringValue
    }

    // MARK: - Documents

    @Test func aCustomResourceSchemaIsPublishedAsTheBuilderPublishesIt() throws {
        let group = "openapi.example.com"
        let source = try Self.source(with: Self.definition(group: group))
        let document = try #require(OpenAPIDocument.build(.init(group: group, version: "v1"), from: source))
        #expect(document[member: "openapi"] == "3.0.0")
        #expect(document.value(atPath: "info.title") == "Kubernetes CRD Swagger")

        let schemas = try #require(document.value(atPath: "components.schemas"))
        let gadget = try #require(schemas[member: "com.example.openapi.v1.Gadget"])
        #expect(gadget[member: "x-kubernetes-group-version-kind"] == [["group": .string(group), "kind": "Gadget", "version": "v1"]])
        #expect(gadget[member: "description"] == "A gadget the OpenAPI tests publish.")
        #expect(gadget.value(atPath: "properties.spec.description") == "What the gadget should be.")
        #expect(gadget.value(atPath: "properties.spec.properties.size.description") == "How big the gadget is.")
        #expect(gadget.value(atPath: "properties.spec.properties.size.enum") == ["small", "large"])
        #expect(gadget.value(atPath: "properties.spec.properties.port.anyOf") == [["type": "integer"], ["type": "string"]])
        #expect(Self.target(of: gadget.value(atPath: "properties.metadata")) == "#/components/schemas/\(MetaSchemas.objectMeta)")
        #expect(gadget.value(atPath: "properties.apiVersion.type") == "string")
        #expect(gadget.value(atPath: "properties.kind.description")?.stringValue?.isEmpty == false)
        let template = try #require(gadget.value(atPath: "properties.spec.properties.template"))
        #expect(template.value(atPath: "properties.kind.type") == "string")
        #expect(Self.target(of: template.value(atPath: "properties.metadata")) == "#/components/schemas/\(MetaSchemas.objectMeta)")
        #expect(Set(template[member: "required"]?.arrayElements ?? []) == ["kind", "apiVersion"])

        let list = try #require(schemas[member: "com.example.openapi.v1.GadgetList"])
        #expect(list[member: "x-kubernetes-group-version-kind"] == [["group": .string(group), "kind": "GadgetList", "version": "v1"]])
        #expect(list.value(atPath: "properties.items.items.$ref") == "#/components/schemas/com.example.openapi.v1.Gadget")
        #expect(Self.target(of: list.value(atPath: "properties.metadata")) == "#/components/schemas/\(MetaSchemas.listMeta)")

        let paths = try #require(document[member: "paths"]?.objectMembers)
        #expect(Set(paths.keys) == ["/apis/\(group)/v1/gadgets", "/apis/\(group)/v1/gadgets/{name}", "/apis/\(group)/v1/gadgets/{name}/status"])
        let patch = try #require(paths["/apis/\(group)/v1/gadgets/{name}"]?[member: "patch"])
        #expect(patch[member: "operationId"] == "patchOpenapiExampleComV1Gadget")
        #expect(patch[member: "x-kubernetes-group-version-kind"] == ["group": .string(group), "kind": "Gadget", "version": "v1"])
        #expect(Self.parameterNames(patch).contains("fieldValidation"))
        // No strategic merge patch for custom resources: kubectl sends them a JSON merge patch.
        let contentTypes = Set(patch.value(atPath: "requestBody.content")?.objectMembers?.keys.map { $0 } ?? [])
        #expect(contentTypes == ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"])
        #expect(paths["/apis/\(group)/v1/gadgets"]?[member: "get"]?[member: "operationId"] == "listOpenapiExampleComV1Gadget")
    }

    @Test func builtInKindsPublishNoSchemaWithTheirKindSoKubectlPatchesFromItsGoTypes() throws {
        let source = OpenAPISource(resources: BuiltinResources.all, definitions: [])
        for groupVersion in source.groupVersions {
            let document = try #require(OpenAPIDocument.build(groupVersion, from: source))
            for resource in source.resources(in: groupVersion) {
                let kind: JSONValue = ["group": .string(resource.group), "kind": .string(resource.kind), "version": .string(resource.version)]
                #expect(Self.schema(of: kind, in: document) == nil, "\(resource.kind) must not have a schema with its GVK")
            }
            for (path, item) in document[member: "paths"]?.objectMembers ?? [:] {
                guard let patch = item[member: "patch"] else { continue }
                #expect(patch.value(atPath: "requestBody.content.application/strategic-merge-patch+json") != nil, "\(path)")
            }
        }
        let core = try #require(OpenAPIDocument.build(.init(group: "", version: "v1"), from: source))
        #expect(core.value(atPath: "info.title") == "Kubernetes")
        let pod = try #require(core.value(atPath: "components.schemas")?[member: "io.k8s.api.core.v1.Pod"])
        #expect(pod[member: "type"] == "object")
        let read = core.value(atPath: "paths")?[member: "/api/v1/namespaces/{namespace}/pods/{name}"]?[member: "get"]
        #expect(read?.value(atPath: "responses.200.content")?[member: "application/json"]?.value(atPath: "schema.$ref") == "#/components/schemas/io.k8s.api.core.v1.Pod")
    }

    @Test func pathsAndOperationIDsFollowScopeVerbsAndSubresources() throws {
        let source = OpenAPISource(resources: BuiltinResources.all, definitions: [])
        let core = try #require(OpenAPIDocument.build(.init(group: "", version: "v1"), from: source)?[member: "paths"])
        func operation(_ path: String, _ method: String) -> JSONValue? { core[member: path]?[member: method] }

        #expect(operation("/api/v1/pods", "get")?[member: "operationId"] == "listCoreV1PodForAllNamespaces")
        #expect(operation("/api/v1/pods", "post") == nil)
        #expect(operation("/api/v1/namespaces/{namespace}/pods", "get")?[member: "operationId"] == "listCoreV1NamespacedPod")
        #expect(operation("/api/v1/namespaces/{namespace}/pods", "post")?[member: "operationId"] == "createCoreV1NamespacedPod")
        #expect(operation("/api/v1/namespaces/{namespace}/pods", "delete")?[member: "operationId"] == "deleteCoreV1CollectionNamespacedPod")
        #expect(operation("/api/v1/namespaces/{namespace}/pods", "delete")?[member: "x-kubernetes-action"] == "deletecollection")
        #expect(Self.parameterNames(operation("/api/v1/namespaces/{namespace}/pods", "get")).contains("watch"))
        #expect(Self.parameterNames(core[member: "/api/v1/namespaces/{namespace}/pods/{name}"]) == ["name", "namespace", "pretty"])
        #expect(operation("/api/v1/namespaces/{namespace}/pods/{name}", "delete")?[member: "description"] == "delete a Pod")
        let statusPatch = operation("/api/v1/namespaces/{namespace}/pods/{name}/status", "patch")
        #expect(statusPatch?[member: "operationId"] == "patchCoreV1NamespacedPodStatus")
        #expect(statusPatch?[member: "description"] == "partially update status of the specified Pod")
        #expect(Self.parameterNames(statusPatch) == ["dryRun", "force", "fieldManager", "fieldValidation"])
        #expect(core[member: "/api/v1/namespaces/{namespace}/configmaps/{name}/status"] == nil)
        // Namespaces are cluster-scoped and have no deletecollection.
        #expect(operation("/api/v1/namespaces", "get")?[member: "operationId"] == "listCoreV1Namespace")
        #expect(operation("/api/v1/namespaces", "delete") == nil)
        #expect(Self.parameterNames(core[member: "/api/v1/namespaces/{name}/status"]) == ["name", "pretty"])
        #expect(operation("/api/v1/namespaces/{name}", "put")?[member: "x-kubernetes-action"] == "put")

        // `/scale` reads and writes an autoscaling/v1 Scale, whose kind its operations carry.
        let apps = try #require(OpenAPIDocument.build(.init(group: "apps", version: "v1"), from: source))
        let scale = apps.value(atPath: "paths")?[member: "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]
        #expect(scale?[member: "patch"]?[member: "operationId"] == "patchAppsV1NamespacedDeploymentScale")
        #expect(scale?[member: "get"]?[member: "x-kubernetes-group-version-kind"] == ["group": "autoscaling", "kind": "Scale", "version": "v1"])
        #expect(scale?[member: "put"]?.value(atPath: "requestBody.content")?[member: "application/json"]?.value(atPath: "schema.$ref")
            == "#/components/schemas/io.k8s.api.autoscaling.v1.Scale")
        #expect(apps.value(atPath: "components.schemas")?[member: "io.k8s.api.autoscaling.v1.Scale"]?[member: "type"] == "object")
        #expect(core[member: "/api/v1/namespaces/{namespace}/pods/{name}/scale"] == nil)

        let rbac = try #require(OpenAPIDocument.build(.init(group: "rbac.authorization.k8s.io", version: "v1"), from: source))
        let clusterRoles = rbac.value(atPath: "paths")?[member: "/apis/rbac.authorization.k8s.io/v1/clusterroles"]?[member: "get"]
        #expect(clusterRoles?[member: "operationId"] == "listRbacAuthorizationV1ClusterRole")
        #expect(clusterRoles?[member: "tags"] == ["rbacAuthorization_v1"])
        let reviews = try #require(OpenAPIDocument.build(.init(group: "authorization.k8s.io", version: "v1"), from: source)?[member: "paths"])
        #expect(reviews.objectMembers?.keys.sorted() == ["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"])
        #expect(reviews[member: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]?.objectMembers?.keys.sorted() == ["parameters", "post"])
        #expect(OpenAPIDocument.build(.init(group: "apps", version: "v2"), from: source) == nil)
    }

    @Test func everyReferenceResolvesAndEveryPatchOperationHasItsKindAndFieldValidation() throws {
        let source = try Self.source(with: Self.definition(group: "openapi.example.com"))
        #expect(source.groupVersions.first == .init(group: "", version: "v1"))
        #expect(source.groupVersions.contains(.init(group: "openapi.example.com", version: "v1")))
        for groupVersion in source.groupVersions {
            let document = try #require(OpenAPIDocument.build(groupVersion, from: source))
            let schemas = document.value(atPath: "components.schemas")?.objectMembers ?? [:]
            for reference in Self.references(in: document) {
                #expect(reference.hasPrefix("#/components/schemas/") && schemas[String(reference.dropFirst(21))] != nil, "\(reference)")
            }
            var patches = 0
            for (path, item) in document[member: "paths"]?.objectMembers ?? [:] {
                guard let patch = item[member: "patch"] else { continue }
                patches += 1
                #expect(patch[member: "x-kubernetes-group-version-kind"]?[member: "kind"] != nil, "\(path)")
                #expect(patch[member: "x-kubernetes-action"] == "patch", "\(path)")
                #expect(Self.parameterNames(patch).contains("fieldValidation"), "\(path)")
            }
            let patchable = source.resources(in: groupVersion).filter { $0.verbs.contains("patch") }
            #expect(patches == patchable.count + patchable.filter(\.hasStatus).count + patchable.filter(\.hasScale).count, "\(groupVersion.key)")
        }
    }

    @Test func theHashDependsOnTheContentAlone() {
        var first: JSONValue = [:]
        first[member: "b"] = ["y": 2, "x": [1, "two", nil, true, 1.5]]
        first[member: "a"] = "quote \" and \\ and \n"
        var second: JSONValue = [:]
        second[member: "a"] = "quote \" and \\ and \n"
        second[member: "b"] = ["x": [1, "two", nil, true, 1.5], "y": 2]
        #expect(CanonicalJSON.hash(first) == CanonicalJSON.hash(second))
        #expect(String(decoding: CanonicalJSON.bytes(first), as: UTF8.self) == #"{"a":"quote \" and \\ and \u000a","b":{"x":[1,"two",null,true,1.5],"y":2}}"#)
        let hash = CanonicalJSON.hash(first)
        #expect(hash.count == 128 && hash.allSatisfy { "0123456789ABCDEF".contains($0) })
        second[member: "b"] = ["x": [1, "two", nil, true, 1.5], "y": 3]
        #expect(CanonicalJSON.hash(second) != hash)
    }

    @Test func theAcceptHeaderAdmitsJSONAsTheServerReadsIt() {
        #expect(OpenAPIContentNegotiation.acceptsJSON(nil))
        #expect(OpenAPIContentNegotiation.acceptsJSON("application/json"))
        #expect(OpenAPIContentNegotiation.acceptsJSON("*/*"))
        #expect(OpenAPIContentNegotiation.acceptsJSON("application/*;q=0.5"))
        #expect(OpenAPIContentNegotiation.acceptsJSON("application/com.github.proto-openapi.spec.v3@v1.0+protobuf, application/json"))
        #expect(!OpenAPIContentNegotiation.acceptsJSON("application/com.github.proto-openapi.spec.v3@v1.0+protobuf"))
        #expect(!OpenAPIContentNegotiation.acceptsJSON("application/json;q=0, text/html"))
    }

    @Test func openAPIPathsAreParsed() {
        let parse = { (path: String) in RequestTarget.parse(path) { _, _, _ in nil } }
        #expect(parse("/openapi/v3") == .openAPIV3Index)
        #expect(parse("/openapi/v3/") == .openAPIV3Index)
        #expect(parse("/openapi/v3/api/v1") == .openAPIV3Document(group: "", version: "v1"))
        #expect(parse("/openapi/v3/apis/apps/v1") == .openAPIV3Document(group: "apps", version: "v1"))
        #expect(parse("/openapi/v3/apis/apps") == .notFound)
        #expect(parse("/openapi/v2") == .openAPIV2)
    }

    // MARK: - Serving

    @Test func documentsAreServedWithTheCachingHeadersOfTheirHash() throws {
        let users = SandboxUsers()
        let api = SandboxAPI(sandbox: Sandbox(), users: users)
        func send(_ method: String, _ target: String, accept: String? = "application/json", body: JSONValue? = nil)
            -> (status: Int, body: JSONValue, headers: [String: String])
        {
            var headers = ["authorization": "Bearer \(users.adminToken)", "content-type": "application/json"]
            headers["accept"] = accept
            let request = APIRequest(method: method, target: target, headers: headers, body: body.map { JSONBody.serialize($0) } ?? [])
            guard case .json(let status, let answer, let extra) = api.handle(request) else { return (0, nil, [:]) }
            return (status, answer, extra)
        }
        func url(_ key: String) -> String? {
            send("GET", "/openapi/v3").body.value(atPath: "paths")?[member: key]?[member: "serverRelativeURL"]?.stringValue
        }

        let index = send("GET", "/openapi/v3")
        #expect(index.status == 200)
        #expect(index.headers["ETag"] == "\"\(CanonicalJSON.hash(index.body))\"")
        let core = try #require(url("api/v1"))
        #expect(core.hasPrefix("/openapi/v3/api/v1?hash="))
        let document = send("GET", core)
        #expect(document.status == 200)
        #expect(document.headers["ETag"] == "\"\(CanonicalJSON.hash(document.body))\"")
        #expect(core == "/openapi/v3/api/v1?hash=\(CanonicalJSON.hash(document.body))")
        #expect(document.headers["Cache-Control"] == "public, immutable")
        #expect(document.headers["Expires"]?.hasSuffix(" GMT") == true)
        #expect(document.headers["Vary"] == "Accept")
        let unhashed = send("GET", "/openapi/v3/api/v1")
        #expect(unhashed.status == 200 && unhashed.headers["Cache-Control"] == nil && unhashed.headers["ETag"] != nil)

        #expect(send("GET", core, accept: "application/com.github.proto-openapi.spec.v3@v1.0+protobuf").status == 406)
        #expect(send("GET", core, accept: "application/com.github.proto-openapi.spec.v3@v1.0+protobuf, application/json").status == 200)
        #expect(send("GET", "/openapi/v3/apis/nothing.example.com/v1").status == 404)
        #expect(api.handle(APIRequest(method: "GET", target: "/openapi/v3")).isStatus(401))

        // A CRD adds its group version; changing it changes the hash, and the old URL redirects to the new one.
        let group = "openapi.example.com"
        #expect(url("apis/\(group)/v1") == nil)
        #expect(send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: Self.definition(group: group)).status == 201)
        let before = try #require(url("apis/\(group)/v1"))
        #expect(url("api/v1") == core)
        let patch: JSONValue = ["spec": Self.definition(group: group, sizeDescription: "The gadget's size.")[member: "spec"] ?? .null]
        var patchRequestHeaders = ["authorization": "Bearer \(users.adminToken)", "content-type": "application/merge-patch+json"]
        patchRequestHeaders["accept"] = "application/json"
        _ = api.handle(
            APIRequest(
                method: "PATCH", target: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.\(group)",
                headers: patchRequestHeaders, body: JSONBody.serialize(patch)))
        let after = try #require(url("apis/\(group)/v1"))
        #expect(after != before)
        let moved = send("GET", before)
        #expect(moved.status == 301 && moved.headers["Location"] == after)
        let gadget = Self.schema(of: ["group": .string(group), "kind": "Gadget", "version": "v1"], in: send("GET", after).body)
        #expect(gadget?.value(atPath: "properties.spec.properties.size.description") == "The gadget's size.")
    }

    // MARK: - Through HTTP, against a real cluster too

    /// A document at a `serverRelativeURL` from the index.
    private func fetch(_ cluster: TestCluster, _ url: String, client: KubeClient? = nil) async throws -> JSONValue {
        let parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        let query = (parts.count > 1 ? parts[1] : "").split(separator: "&").compactMap { pair -> KubeRequest.QueryItem? in
            let nameValue = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return nameValue.count == 2 ? KubeRequest.QueryItem(name: nameValue[0], value: nameValue[1]) : nil
        }
        let request = KubeRequest(method: .get, path: parts[0], query: query, headers: ["Accept": "application/json"])
        return try await (client ?? cluster.client).send(request, as: JSONValue.self)
    }

    /// The `serverRelativeURL` of a group version in the index, or `nil` when it is not listed.
    private func url(_ cluster: TestCluster, _ key: String, client: KubeClient? = nil) async throws -> String? {
        let index = try await fetch(cluster, "/openapi/v3", client: client)
        return index.value(atPath: "paths")?[member: key]?[member: "serverRelativeURL"]?.stringValue
    }

    @Test func theIndexListsTheBuiltInGroupVersionsWithHashedURLs() async throws {
        try await TestCluster.run { cluster in
            for key in ["api/v1", "apis/apps/v1", "apis/rbac.authorization.k8s.io/v1"] {
                let url = try #require(try await url(cluster, key), "\(key) is missing from the index")
                let prefix = "/openapi/v3/\(key)?hash="
                #expect(url.hasPrefix(prefix))
                let hash = url.dropFirst(prefix.count)
                #expect(hash.count == 128 && hash.allSatisfy { "0123456789ABCDEF".contains($0) })
            }
        }
    }

    @Test func aBuiltInKindsPatchOperationCarriesItsKindAndFieldValidation() async throws {
        try await TestCluster.run { cluster in
            let url = try #require(try await url(cluster, "apis/apps/v1"))
            let document = try await fetch(cluster, url)
            let item = try #require(document.value(atPath: "paths")?[member: "/apis/apps/v1/namespaces/{namespace}/deployments/{name}"])
            let patch = try #require(item[member: "patch"])
            #expect(patch[member: "x-kubernetes-group-version-kind"] == ["group": "apps", "kind": "Deployment", "version": "v1"])
            #expect(patch[member: "x-kubernetes-action"] == "patch")
            #expect(Self.parameterNames(patch).contains("fieldValidation"))
            #expect(patch.value(atPath: "requestBody.content.application/strategic-merge-patch+json") != nil)
            #expect(item[member: "get"]?[member: "x-kubernetes-group-version-kind"]?[member: "kind"] == "Deployment")
        }
    }

    @Test func aCustomResourceGroupVersionIsPublishedWithItsSchemaOnceEstablished() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).example.com"
            #expect(try await url(cluster, "apis/\(group)/v1") == nil)
            _ = try await cluster.client.create(Self.crds, object: Self.definition(group: group))
            do {
                var published: JSONValue?
                try await eventually {
                    guard let url = try? await url(cluster, "apis/\(group)/v1"), let document = try? await fetch(cluster, url) else { return false }
                    published = document
                    return Self.schema(of: ["group": .string(group), "kind": "Gadget", "version": "v1"], in: document) != nil
                }
                let document = try #require(published)
                let gadget = try #require(Self.schema(of: ["group": .string(group), "kind": "Gadget", "version": "v1"], in: document))
                #expect(gadget.value(atPath: "properties.spec.description") == "What the gadget should be.")
                #expect(gadget.value(atPath: "properties.spec.properties.size.description") == "How big the gadget is.")
                #expect(Self.target(of: gadget.value(atPath: "properties.metadata"))?.hasSuffix(".ObjectMeta") == true)
                let item = try #require(document.value(atPath: "paths")?[member: "/apis/\(group)/v1/gadgets/{name}"])
                let patch = try #require(item[member: "patch"])
                #expect(patch[member: "x-kubernetes-group-version-kind"] == ["group": .string(group), "kind": "Gadget", "version": "v1"])
                #expect(Self.parameterNames(patch).contains("fieldValidation"))
                #expect(patch.value(atPath: "requestBody.content.application/strategic-merge-patch+json") == nil)
                #expect(patch.value(atPath: "requestBody.content.application/merge-patch+json") != nil)
            } catch {
                _ = try? await cluster.client.delete(Self.crds, name: "gadgets.\(group)")
                throw error
            }
            _ = try await cluster.client.delete(Self.crds, name: "gadgets.\(group)")
            try await eventually {
                guard let index = try? await fetch(cluster, "/openapi/v3") else { return false }
                return index.value(atPath: "paths")?[member: "apis/\(group)/v1"] == nil
            }
        }
    }

    @Test func theDocumentHashChangesWhenItsDefinitionChanges() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).example.com"
            _ = try await cluster.client.create(Self.crds, object: Self.definition(group: group))
            do {
                var before: String?
                try await eventually {
                    before = try? await url(cluster, "apis/\(group)/v1")
                    return before != nil
                }
                let changed = Self.definition(group: group, sizeDescription: "The gadget's size.")
                _ = try await cluster.client.patch(
                    Self.crds, name: "gadgets.\(group)", patch: .merge(["spec": changed[member: "spec"] ?? .null]))
                var after: String?
                try await eventually {
                    after = try? await url(cluster, "apis/\(group)/v1")
                    return after != nil && after != before
                }
                let document = try await fetch(cluster, try #require(after))
                let gadget = Self.schema(of: ["group": .string(group), "kind": "Gadget", "version": "v1"], in: document)
                #expect(gadget?.value(atPath: "properties.spec.properties.size.description") == "The gadget's size.")
            } catch {
                _ = try? await cluster.client.delete(Self.crds, name: "gadgets.\(group)")
                throw error
            }
            _ = try await cluster.client.delete(Self.crds, name: "gadgets.\(group)")
        }
    }

    @Test func anyAuthenticatedUserMayReadTheDocuments() async throws {
        try await TestCluster.run { cluster in
            let serviceAccounts = ResourceDescriptor(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true)
            _ = try await cluster.client.create(
                serviceAccounts, namespace: cluster.namespace,
                object: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "reader"]])
            let tokenRequest = KubeRequest(
                method: .post, path: "/api/v1/namespaces/\(cluster.namespace)/serviceaccounts/reader/token",
                headers: ["Accept": "application/json", "Content-Type": "application/json"],
                body: Data(#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}"#.utf8))
            let token = try #require(try await cluster.client.send(tokenRequest, as: JSONValue.self).value(atPath: "status.token")?.stringValue)
            var configuration = cluster.configuration
            configuration.credentials = .bearerToken(token)
            let reader = try KubeClient(configuration: configuration)
            do {
                let url = try #require(try await url(cluster, "api/v1", client: reader))
                let document = try await fetch(cluster, url, client: reader)
                #expect(document.value(atPath: "paths")?[member: "/api/v1/namespaces/{namespace}/configmaps/{name}"]?[member: "patch"] != nil)
            } catch {
                try? await reader.shutdown()
                throw error
            }
            try await reader.shutdown()
        }
    }

    @Test func anUnknownGroupVersionIsNotFound() async throws {
        try await TestCluster.run { cluster in
            // kube-openapi answers an unknown group version with an empty 200; the sandbox with its 404.
            guard cluster.sandboxOnly("a real server answers an unknown group version with an empty 200") != nil else { return }
            let code = await errorCode { _ = try await fetch(cluster, "/openapi/v3/apis/nothing.example.com/v1") }
            #expect(code == .notFound)
        }
    }
}

extension APIResponse {
    /// Whether this is a JSON answer with the status code `code`.
    fileprivate func isStatus(_ code: Int) -> Bool {
        if case .json(let status, _, _) = self { return status == code }
        return false
    }
}
