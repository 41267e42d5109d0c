import Foundation
import KubeCore
import Testing

/// Our own custom resource, as the operator target will declare it.
struct SubChain: KubeResource, Hashable {
    static let group = "hierachain.io"
    static let version = "v1alpha1"
    static let kind = "SubChain"
    static let plural = "subchains"
    static let namespaced = false

    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var unmodelledFields = UnmodelledFields()
    var spec: Spec?
    var status: Status?

    struct Spec: Codable, Hashable { var nodes: Int? }
    struct Status: Codable, Hashable { var phase: String? }

    init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil, status: Status? = nil) {
        apiVersion = Self.apiVersion
        kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

private let json = ["Accept": "application/json"]
private let jsonBody = ["Accept": "application/json", "Content-Type": "application/json"]

private func body(_ request: KubeRequest) -> String? {
    request.body.map { String(decoding: $0, as: UTF8.self) }
}

private func expectError(_ code: KubeCoreError.Code, _ build: () throws(KubeCoreError) -> KubeRequest) {
    do {
        let request = try build()
        Issue.record("expected \(code), built \(request.target)")
    } catch {
        #expect(error.code == code, "\(error)")
    }
}

@Suite struct ResourceDescriptorTests {
    let subchains = SubChain.resource

    @Test func customResourcePaths() throws {
        #expect(subchains.apiVersion == "hierachain.io/v1alpha1")
        #expect(try subchains.path() == "/apis/hierachain.io/v1alpha1/subchains")
        #expect(try subchains.path(name: "demo") == "/apis/hierachain.io/v1alpha1/subchains/demo")
        #expect(try subchains.path(name: "demo", subresource: "status") == "/apis/hierachain.io/v1alpha1/subchains/demo/status")
    }

    @Test func builtInPaths() throws {
        #expect(try Pod.resource.path() == "/api/v1/pods")
        #expect(try Pod.resource.path(namespace: "a") == "/api/v1/namespaces/a/pods")
        #expect(try Pod.resource.path(namespace: "a", name: "p") == "/api/v1/namespaces/a/pods/p")
        #expect(try Namespace.resource.path(name: "a") == "/api/v1/namespaces/a")
        #expect(try Namespace.resource.path(name: "a", subresource: "finalize") == "/api/v1/namespaces/a/finalize")
        #expect(try Deployment.resource.path(namespace: "a", name: "d", subresource: "scale") == "/apis/apps/v1/namespaces/a/deployments/d/scale")
        #expect(try CustomResourceDefinition.resource.path(name: "subchains.hierachain.io") == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/subchains.hierachain.io")
    }

    @Test func scopeMistakesAreErrors() {
        #expect(throws: KubeCoreError.self) { try Pod.resource.path(name: "p") }
        #expect(throws: KubeCoreError.self) { try Namespace.resource.path(namespace: "a") }
        #expect(throws: KubeCoreError.self) { try subchains.path(subresource: "status") }
        for bad in ["", ".", "..", "a/b", "50%"] {
            #expect(throws: KubeCoreError.self) { try subchains.path(name: bad) }
        }
    }
}

@Suite struct KubeRequestTests {
    @Test func getNamespacedAndClusterScoped() throws {
        #expect(
            try KubeRequest.get(Pod.self, name: "node-0", namespace: "hrc-subchain-demo")
                == KubeRequest(method: .get, path: "/api/v1/namespaces/hrc-subchain-demo/pods/node-0", headers: json))
        #expect(
            try KubeRequest.get(SubChain.self, name: "demo")
                == KubeRequest(method: .get, path: "/apis/hierachain.io/v1alpha1/subchains/demo", headers: json))
        #expect(
            try KubeRequest.get(SubChain.resource, name: "demo", subresource: "status").path
                == "/apis/hierachain.io/v1alpha1/subchains/demo/status")
        expectError(.namespaceRequired) { () throws(KubeCoreError) in try KubeRequest.get(Pod.self, name: "node-0") }
        expectError(.namespaceNotAllowed) { () throws(KubeCoreError) in try KubeRequest.get(Namespace.self, name: "a", namespace: "b") }
    }

    @Test func listWithEveryOptionInStableOrder() throws {
        let request = try KubeRequest.list(
            Pod.self, namespace: "hrc-subchain-demo",
            options: ListOptions(
                labelSelector: "app in (a,b)", fieldSelector: "status.phase=Running", resourceVersion: "100",
                resourceVersionMatch: .notOlderThan, limit: 50, timeoutSeconds: 30))
        #expect(request.method == .get)
        #expect(request.path == "/api/v1/namespaces/hrc-subchain-demo/pods")
        #expect(request.headers == json)
        #expect(request.body == nil)
        #expect(
            request.query.map { "\($0.name)=\($0.value)" } == [
                "labelSelector=app in (a,b)", "fieldSelector=status.phase=Running", "resourceVersion=100",
                "resourceVersionMatch=NotOlderThan", "limit=50", "timeoutSeconds=30",
            ])
        #expect(
            request.target
                == "/api/v1/namespaces/hrc-subchain-demo/pods?labelSelector=app%20in%20%28a%2Cb%29"
                + "&fieldSelector=status.phase%3DRunning&resourceVersion=100&resourceVersionMatch=NotOlderThan"
                + "&limit=50&timeoutSeconds=30")
    }

    @Test func listNextPage() throws {
        let request = try KubeRequest.list(
            Pod.self, namespace: "ns", options: ListOptions(labelSelector: "app", limit: 50, continue: "eyJ2Ij+/="))
        #expect(request.target == "/api/v1/namespaces/ns/pods?labelSelector=app&limit=50&continue=eyJ2Ij%2B%2F%3D")
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.list(Pod.self, options: ListOptions(resourceVersion: "100", continue: "abc"))
        }
        #expect(try KubeRequest.list(Pod.self, options: ListOptions(resourceVersion: "0", continue: "abc")).query.count == 2)
    }

    @Test func listAcrossNamespacesAndClusterScoped() throws {
        let request = try KubeRequest.list(Pod.self, options: ListOptions(labelSelector: "a=b,c!=d"))
        #expect(request.target == "/api/v1/pods?labelSelector=a%3Db%2Cc%21%3Dd")
        #expect(try KubeRequest.list(SubChain.self).target == "/apis/hierachain.io/v1alpha1/subchains")
        expectError(.namespaceNotAllowed) { () throws(KubeCoreError) in try KubeRequest.list(SubChain.self, namespace: "x") }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.list(Pod.self, options: ListOptions(resourceVersionMatch: .exact))
        }
        expectError(.invalidOptions) { () throws(KubeCoreError) in try KubeRequest.list(Pod.self, options: ListOptions(limit: 0)) }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.list(Pod.self, options: ListOptions(resourceVersion: "0", resourceVersionMatch: .exact))
        }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.list(
                Pod.self, options: ListOptions(resourceVersion: "5", resourceVersionMatch: .notOlderThan, continue: "abc"))
        }
        #expect(
            try KubeRequest.list(Pod.self, options: ListOptions(resourceVersion: "7", resourceVersionMatch: .exact)).target
                == "/api/v1/pods?resourceVersion=7&resourceVersionMatch=Exact")
    }

    @Test func watch() throws {
        let request = try KubeRequest.watch(
            SubChain.self,
            options: WatchOptions(
                labelSelector: "tier", resourceVersion: "184502", timeoutSeconds: 290, allowWatchBookmarks: true))
        #expect(request.method == .get)
        #expect(
            request.target
                == "/apis/hierachain.io/v1alpha1/subchains?watch=true&labelSelector=tier&resourceVersion=184502"
                + "&timeoutSeconds=290&allowWatchBookmarks=true")
        let namespaced = try KubeRequest.watch(Deployment.self, namespace: "ns")
        #expect(namespaced.target == "/apis/apps/v1/namespaces/ns/deployments?watch=true")
    }

    @Test func streamingListWatchNeedsMatchingOptions() throws {
        let request = try KubeRequest.watch(
            Pod.self,
            options: WatchOptions(resourceVersionMatch: .notOlderThan, allowWatchBookmarks: true, sendInitialEvents: true))
        #expect(
            request.target
                == "/api/v1/pods?watch=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&sendInitialEvents=true")
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.watch(Pod.self, options: WatchOptions(allowWatchBookmarks: true, sendInitialEvents: true))
        }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.watch(Pod.self, options: WatchOptions(resourceVersionMatch: .notOlderThan, sendInitialEvents: true))
        }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.watch(Pod.self, options: WatchOptions(resourceVersion: "1", resourceVersionMatch: .exact))
        }
    }

    @Test func createTypedObject() throws {
        let configMap = ConfigMap(
            metadata: ObjectMeta(name: "genesis", namespace: "hrc-subchain-demo"), data: ["chain-id": "demo"])
        let request = try KubeRequest.create(configMap, options: CreateOptions(dryRun: true, fieldManager: "subchain-operator"))
        #expect(request.method == .post)
        #expect(request.path == "/api/v1/namespaces/hrc-subchain-demo/configmaps")
        #expect(request.target == "/api/v1/namespaces/hrc-subchain-demo/configmaps?dryRun=All&fieldManager=subchain-operator")
        #expect(request.headers == jsonBody)
        #expect(
            body(request)
                == #"{"apiVersion":"v1","data":{"chain-id":"demo"},"kind":"ConfigMap","metadata":{"name":"genesis","namespace":"hrc-subchain-demo"}}"#)

        let namespace = try KubeRequest.create(Namespace(metadata: ObjectMeta(name: "hrc-subchain-demo", namespace: "stray")))
        #expect(namespace.target == "/api/v1/namespaces")
        expectError(.namespaceRequired) { () throws(KubeCoreError) in try KubeRequest.create(ConfigMap(metadata: ObjectMeta(name: "x"))) }
    }

    @Test func replaceAndReplaceStatus() throws {
        var subchain = SubChain(metadata: ObjectMeta(name: "demo", resourceVersion: "7"), spec: .init(nodes: 4))
        let replace = try KubeRequest.replace(subchain)
        #expect(replace.method == .put)
        #expect(replace.target == "/apis/hierachain.io/v1alpha1/subchains/demo")
        #expect(replace.headers == jsonBody)
        #expect(
            body(replace)
                == #"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo","resourceVersion":"7"},"spec":{"nodes":4}}"#)

        subchain.status = .init(phase: "Active")
        let status = try KubeRequest.replaceStatus(subchain, options: CreateOptions(fieldManager: "op"))
        #expect(status.method == .put)
        #expect(status.target == "/apis/hierachain.io/v1alpha1/subchains/demo/status?fieldManager=op")
        expectError(.nameRequired) { () throws(KubeCoreError) in try KubeRequest.replace(SubChain()) }
    }

    @Test func mergePatch() throws {
        let request = try KubeRequest.patch(
            Deployment.resource, name: "node-0", namespace: "ns", patch: .merge(["spec": ["replicas": 0]]))
        #expect(request.method == .patch)
        #expect(request.target == "/apis/apps/v1/namespaces/ns/deployments/node-0")
        #expect(request.headers == ["Accept": "application/json", "Content-Type": "application/merge-patch+json"])
        #expect(body(request) == #"{"spec":{"replicas":0}}"#)
    }

    @Test func jsonPatchRemovingAFinalizerSafely() throws {
        let request = try KubeRequest.patch(
            SubChain.resource, name: "demo",
            patch: .json([.test("/metadata/finalizers/0", "hierachain.io/cleanup"), .remove("/metadata/finalizers/0")]))
        #expect(request.headers["Content-Type"] == "application/json-patch+json")
        #expect(
            body(request)
                == #"[{"op":"test","path":"/metadata/finalizers/0","value":"hierachain.io/cleanup"},{"op":"remove","path":"/metadata/finalizers/0"}]"#)
        #expect(request.query.isEmpty)
    }

    @Test func serverSideApply() throws {
        let subchain = SubChain(metadata: ObjectMeta(name: "demo"), spec: .init(nodes: 4))
        let request = try KubeRequest.apply(subchain, fieldManager: "subchain-operator", force: true)
        #expect(request.method == .patch)
        #expect(request.target == "/apis/hierachain.io/v1alpha1/subchains/demo?fieldManager=subchain-operator&force=true")
        #expect(request.headers == ["Accept": "application/json", "Content-Type": "application/apply-patch+yaml"])
        #expect(
            body(request)
                == #"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"},"spec":{"nodes":4}}"#)

        let dryRun = try KubeRequest.apply(
            Service(metadata: ObjectMeta(name: "api", namespace: "ns")), fieldManager: "op", dryRun: true)
        #expect(dryRun.target == "/api/v1/namespaces/ns/services/api?dryRun=All&fieldManager=op")
    }

    @Test func applyingAnObjectReadFromTheServerLeavesOutItsManagedFields() throws {
        // A server refuses an apply that carries managedFields; an object read back carries them.
        var read = SubChain(metadata: ObjectMeta(name: "demo", managedFields: [["manager": "kubectl", "operation": "Update"]]), spec: .init(nodes: 4))
        read.metadata.labels = ["tier": "a"]
        let request = try KubeRequest.apply(read, fieldManager: "subchain-operator")
        #expect(
            body(request)
                == #"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"labels":{"tier":"a"},"name":"demo"},"spec":{"nodes":4}}"#)
        let status = try KubeRequest.applyStatus(read, fieldManager: "subchain-operator")
        #expect(body(status)?.contains("managedFields") == false)
    }

    @Test func applyStatusAndPatchStatus() throws {
        let status = SubChain(metadata: ObjectMeta(name: "demo"), status: .init(phase: "Active"))
        let apply = try KubeRequest.applyStatus(status, fieldManager: "subchain-operator")
        #expect(apply.target == "/apis/hierachain.io/v1alpha1/subchains/demo/status?fieldManager=subchain-operator")
        #expect(body(apply) == #"{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","metadata":{"name":"demo"},"status":{"phase":"Active"}}"#)

        let merge = try KubeRequest.patch(
            SubChain.resource, name: "demo", subresource: "status", patch: .merge(["status": ["phase": "Deleting"]]))
        #expect(merge.target == "/apis/hierachain.io/v1alpha1/subchains/demo/status")
        #expect(merge.headers["Content-Type"] == "application/merge-patch+json")
    }

    @Test func patchOptionMistakesAreErrors() {
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.patch(SubChain.resource, name: "demo", patch: .apply(["kind": "SubChain"]))
        }
        expectError(.invalidOptions) { () throws(KubeCoreError) in
            try KubeRequest.patch(
                SubChain.resource, name: "demo", patch: .merge([:]), options: PatchOptions(fieldManager: "op", force: true))
        }
    }

    @Test func deleteWithPropagationAndPreconditions() throws {
        let request = try KubeRequest.delete(
            Namespace.resource, name: "hrc-subchain-demo",
            options: DeleteOptions(propagationPolicy: .foreground, preconditionUID: "abc", preconditionResourceVersion: "42"))
        #expect(request.method == .delete)
        #expect(request.target == "/api/v1/namespaces/hrc-subchain-demo")
        #expect(request.headers == jsonBody)
        #expect(
            body(request)
                == #"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"resourceVersion":"42","uid":"abc"},"propagationPolicy":"Foreground"}"#)

        let dryRun = try KubeRequest.delete(
            Pod.resource, name: "p", namespace: "ns", options: DeleteOptions(gracePeriodSeconds: 0, dryRun: true))
        #expect(body(dryRun) == #"{"apiVersion":"v1","dryRun":["All"],"gracePeriodSeconds":0,"kind":"DeleteOptions"}"#)
    }

    @Test func deleteWithoutOptionsHasNoBody() throws {
        let request = try KubeRequest.delete(Pod.resource, name: "p", namespace: "ns")
        #expect(request == KubeRequest(method: .delete, path: "/api/v1/namespaces/ns/pods/p", headers: json))
    }

    @Test func typedDeleteUsesTheUIDAsPrecondition() throws {
        let namespace = Namespace(metadata: ObjectMeta(name: "hrc-subchain-demo", uid: "0b6c"))
        let request = try KubeRequest.delete(namespace, options: DeleteOptions(propagationPolicy: .background))
        #expect(
            body(request)
                == #"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"uid":"0b6c"},"propagationPolicy":"Background"}"#)
    }

    @Test func deleteCollection() throws {
        let request = try KubeRequest.deleteCollection(
            Secret.resource, namespace: "ns", listOptions: ListOptions(labelSelector: "hierachain.io/subchain=demo"))
        #expect(request.method == .delete)
        #expect(request.target == "/api/v1/namespaces/ns/secrets?labelSelector=hierachain.io%2Fsubchain%3Ddemo")
        #expect(request.body == nil)
        expectError(.namespaceRequired) { () throws(KubeCoreError) in try KubeRequest.deleteCollection(Secret.resource) }
    }

    @Test func errorMessagesSayWhatToDo() {
        do {
            _ = try KubeRequest.get(Pod.self, name: "node-0")
        } catch {
            #expect(error.message == "Pod is namespaced: pass a namespace to address a single pods object")
            #expect(error.description.hasPrefix("KubeCoreError.namespaceRequired:"))
        }
    }
}
