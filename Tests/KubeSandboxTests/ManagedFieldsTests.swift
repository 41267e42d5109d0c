import KubeCore
import Testing

@testable import KubeSandbox

/// The pure parts of server-side apply: field sets, their `fieldsV1` form, and the field manager's
/// merge, pruning and conflicts, on the shapes kube-apiserver documents.
@Suite struct ManagedFieldsTests {
    private let deployments = ResourceType(
        group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true,
        hasStatus: true)

    private var deploymentSchema: ApplySchema { ApplySchema.of(deployments, customSchema: nil) }

    private func deployment(image: String, replicas: Int64? = nil, ports: [JSONValue] = []) -> JSONValue {
        var container: [String: JSONValue] = ["name": "app", "image": .string(image)]
        if !ports.isEmpty { container["ports"] = .array(ports) }
        var spec: [String: JSONValue] = [
            "selector": ["matchLabels": ["app": "web"]],
            "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [.object(container)]]],
        ]
        if let replicas { spec["replicas"] = .integer(replicas) }
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": .object(spec)]
    }

    @Test func pathElementsEncodeAsFieldsV1KeysAndBack() throws {
        let key = PathElement.key([("protocol", "TCP"), ("containerPort", 80)])
        #expect(key.fieldsV1Key == #"k:{"containerPort":80,"protocol":"TCP"}"#)
        #expect(PathElement(fieldsV1Key: key.fieldsV1Key) == key)
        #expect(PathElement.value("a").fieldsV1Key == #"v:"a""#)
        #expect(PathElement(fieldsV1Key: "i:3") == .index(3))
        #expect(PathElement(fieldsV1Key: "x:y") == nil)
        #expect([PathElement.field("spec"), .field("containers"), .key([("name", "app")]), .field("image")].pathDescription
            == #".spec.containers[name="app"].image"#)
    }

    @Test func aConfigurationOwnsItsLeavesAndItsListElements() throws {
        let manager = FieldManager(schema: deploymentSchema, scope: .object(statusIsSeparate: true), now: "t")
        let set = try FieldSetBuilder(schema: deploymentSchema).fields(of: manager.tracked(deployment(image: "nginx", replicas: 3)))
        let fields = set.fieldsV1
        #expect(fields.value(atPath: "f:spec.f:replicas") == .object([:]))
        // A label selector is atomic: one leaf, nothing below it.
        #expect(fields.value(atPath: "f:spec.f:selector") == .object([:]))
        let container = fields.value(atPath: "f:spec.f:template.f:spec.f:containers")?[#"k:{"name":"app"}"#]
        #expect(container?[member: "."] == .object([:]))
        #expect(container?[member: "f:image"] == .object([:]))
        #expect(fields[member: "f:metadata"] == nil)
        #expect(FieldSet(fieldsV1: fields) == set)
    }

    @Test func containerPortsAreKeyedByPortAndDefaultedProtocol() throws {
        let set = try FieldSetBuilder(schema: deploymentSchema).fields(of: deployment(image: "nginx", ports: [["containerPort": 8080]]))
        let ports = set.fieldsV1.value(atPath: "f:spec.f:template.f:spec.f:containers")?[#"k:{"name":"app"}"#]?[member: "f:ports"]
        #expect(ports?[#"k:{"containerPort":8080,"protocol":"TCP"}"#] != nil)
    }

    @Test func duplicateOrUnkeyedElementsOfAnAssociativeListAreRefused() {
        let builder = FieldSetBuilder(schema: deploymentSchema)
        var object = deployment(image: "a")
        object[member: "spec"]?[member: "template"]?[member: "spec"]?[member: "containers"] = [["name": "x"], ["name": "x"]]
        #expect(throws: FieldSetBuilder.ListError.self) { try builder.fields(of: object) }
        object[member: "spec"]?[member: "template"]?[member: "spec"]?[member: "containers"] = [["image": "no-name"]]
        #expect(throws: FieldSetBuilder.ListError.self) { try builder.fields(of: object) }
    }

    @Test func applyMergesListElementsByKeyAndKeepsOthersFields() throws {
        let manager = FieldManager(schema: deploymentSchema, scope: .object(statusIsSeparate: true), now: "t")
        let owner = ManagedFieldsEntry(manager: "ci", operation: .apply, apiVersion: "apps/v1", fields: FieldSet())
        let (first, managers) = try manager.apply(ManagedFields(), live: nil, config: deployment(image: "v1", replicas: 2), owner: owner, force: false)
        // Someone else scales the deployment through an update.
        var scaled = first
        scaled[member: "spec"]?[member: "replicas"] = 5
        let scaler = ManagedFieldsEntry(manager: "hpa", operation: .update, apiVersion: "apps/v1", fields: FieldSet())
        let afterScale = manager.update(managers, old: first, new: scaled, owner: scaler)
        #expect(afterScale.entries[scaler.owner]?.fields.contains([.field("spec"), .field("replicas")]) == true)
        #expect(afterScale.entries[owner.owner]?.fields.contains([.field("spec"), .field("replicas")]) == false)

        // The applier leaves replicas out now: no conflict, the scaler's value stays, the image changes.
        let (next, after) = try manager.apply(afterScale, live: scaled, config: deployment(image: "v2"), owner: owner, force: false)
        #expect(next.value(atPath: "spec.replicas") == 5)
        #expect(next.value(atPath: "spec.template.spec.containers")?[0]?[member: "image"] == "v2")
        #expect(after.entries[scaler.owner] != nil)

        // Applying replicas again conflicts with the scaler.
        #expect(throws: APIError.self) {
            try manager.apply(after, live: next, config: deployment(image: "v2", replicas: 2), owner: owner, force: false)
        }
    }

    @Test func associativeListsMergeInTheConfigurationsOrderKeepingLiveOnlyElements() {
        let merge = ApplyMerge(schema: deploymentSchema)
        func containers(_ names: [String]) -> JSONValue {
            ["spec": ["template": ["spec": ["containers": .array(names.map { ["name": .string($0)] })]]]]
        }
        let merged = merge.merge(containers(["a", "b"]), containers(["c", "a"]))
        #expect(merged.value(atPath: "spec.template.spec.containers") == [["name": "c"], ["name": "a"], ["name": "b"]])
    }

    @Test func anElementTheApplierDropsGoesWholeThoughAnotherManagerOwnsAFieldInIt() throws {
        let manager = FieldManager(schema: deploymentSchema, scope: .object(statusIsSeparate: true), now: "t")
        let owner = ManagedFieldsEntry(manager: "ci", operation: .apply, apiVersion: "apps/v1", fields: FieldSet())
        var twoContainers = deployment(image: "v1")
        twoContainers[member: "spec"]?[member: "template"]?[member: "spec"]?[member: "containers"] = [
            ["name": "app", "image": "v1"], ["name": "sidecar", "image": "s1"],
        ]
        let (first, managers) = try manager.apply(ManagedFields(), live: nil, config: twoContainers, owner: owner, force: false)
        // Someone else changes the sidecar's image, then the applier stops applying the sidecar.
        var edited = first
        edited[member: "spec"]?[member: "template"]?[member: "spec"]?[member: "containers"] = [
            ["name": "app", "image": "v1"], ["name": "sidecar", "image": "s2"],
        ]
        let editor = ManagedFieldsEntry(manager: "editor", operation: .update, apiVersion: "apps/v1", fields: FieldSet())
        let afterEdit = manager.update(managers, old: first, new: edited, owner: editor)
        let (pruned, _) = try manager.apply(afterEdit, live: edited, config: deployment(image: "v1"), owner: owner, force: false)
        #expect(pruned.value(atPath: "spec.template.spec.containers") == [["name": "app", "image": "v1"]])
    }

    @Test func conflictMessagesNameEveryManagerAndPath() {
        let alice = ManagedFieldsEntry.Owner(manager: "alice", operation: .apply, apiVersion: "", subresource: "")
        let bob = ManagedFieldsEntry.Owner(manager: "bob", operation: .update, apiVersion: "v1", subresource: "")
        let one = FieldManager.conflictError([(alice, [.field("data"), .field("a")])])
        #expect(one.code == 409)
        #expect(one.message == #"Apply failed with 1 conflict: conflict with "alice": .data.a"#)
        let several = FieldManager.conflictError([
            (bob, [.field("data"), .field("c")]), (alice, [.field("data"), .field("b")]), (alice, [.field("data"), .field("a")]),
        ])
        #expect(several.message == "Apply failed with 3 conflicts: conflicts with \"alice\":\n- .data.a\n- .data.b\nconflicts with \"bob\" using v1:\n- .data.c")
        #expect(several.causes.map(\.field) == [".data.a", ".data.b", ".data.c"])
        #expect(several.causes.last?.message == "conflict with \"bob\" using v1")
    }
}
