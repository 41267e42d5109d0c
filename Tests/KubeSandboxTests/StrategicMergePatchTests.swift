import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct StrategicMergePatchTests {
    private static func deployment() -> JSONValue {
        let app: JSONValue = [
            "name": "app", "image": "app:v1",
            "env": [["name": "A", "value": "1"], ["name": "B", "value": "old"]],
            "ports": [["containerPort": 8080, "name": "http"]],
            "args": ["--a", "--b"],
        ]
        let sidecar: JSONValue = ["name": "sidecar", "image": "proxy:v1"]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "labels": ["app": "web", "tier": "front"], "finalizers": ["a", "b"]],
            "spec": [
                "replicas": 2,
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": 0]],
                "template": [
                    "spec": [
                        "containers": [app, sidecar],
                        "tolerations": [["key": "k1", "operator": "Exists"]],
                    ]
                ],
            ],
        ]
    }

    private func patchDeployment(_ patch: JSONValue) throws -> JSONValue {
        let patcher = try #require(StrategicMergePatch(group: "apps", kind: "Deployment"))
        return try patcher.apply(patch, to: Self.deployment())
    }

    private func deploymentFailure(_ patch: JSONValue) throws -> PatchError? {
        let patcher = try #require(StrategicMergePatch(group: "apps", kind: "Deployment"))
        return #expect(throws: PatchError.self) { try patcher.apply(patch, to: Self.deployment()) }
    }

    /// A patch touching only the pod template's containers.
    private func containersPatch(_ containers: JSONValue) -> JSONValue {
        ["spec": ["template": ["spec": ["containers": containers]]]]
    }

    private func containers(_ object: JSONValue) -> JSONValue? {
        object["spec"]?["template"]?["spec"]?["containers"]
    }

    // MARK: Lists merged by key

    @Test func containersMergeByName() throws {
        let result = try patchDeployment(containersPatch([["name": "app", "image": "app:v2"]]))
        let app = try #require(containers(result)?[0])
        #expect(app["name"] == "app")
        #expect(app["image"] == "app:v2")
        #expect(app["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "old"]])
        #expect(containers(result)?[1] == ["name": "sidecar", "image": "proxy:v1"])
        // Everything else is untouched.
        #expect(result["metadata"] == Self.deployment()["metadata"])
        #expect(result["spec"]?["replicas"] == 2)
    }

    /// kube-apiserver puts the elements a patch adds before the stored elements that follow them.
    @Test func addedContainersComeBeforeTheStoredOnes() throws {
        let added = try patchDeployment(containersPatch([["name": "init", "image": "busybox"]]))
        #expect(containers(added)?[0] == ["name": "init", "image": "busybox"])
        #expect(containers(added)?[1]?["name"] == "app")
        #expect(containers(added)?[2]?["name"] == "sidecar")

        let both = try patchDeployment(containersPatch([["name": "app", "image": "app:v2"], ["name": "extra"]]))
        #expect(containers(both)?[0]?["image"] == "app:v2")
        #expect(containers(both)?[1] == ["name": "extra"])
        #expect(containers(both)?[2]?["name"] == "sidecar")
    }

    @Test func envMergesByName() throws {
        let result = try patchDeployment(
            containersPatch([["name": "app", "env": [["name": "B", "value": "new"], ["name": "C", "value": "3"]]]]))
        #expect(
            containers(result)?[0]?["env"] == [
                ["name": "A", "value": "1"], ["name": "B", "value": "new"], ["name": "C", "value": "3"],
            ])
    }

    @Test func envValueFromReplacesValue() throws {
        // `value: null` deletes the stored member while `valueFrom` is merged in.
        let result = try patchDeployment(
            containersPatch([
                ["name": "app", "env": [["name": "A", "value": nil, "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]]]]
            ]))
        #expect(containers(result)?[0]?["env"]?[0] == ["name": "A", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]])
    }

    @Test func portsMergeByContainerPort() throws {
        let changed = try patchDeployment(containersPatch([["name": "app", "ports": [["containerPort": 8080, "protocol": "TCP"]]]]))
        #expect(containers(changed)?[0]?["ports"] == [["containerPort": 8080, "name": "http", "protocol": "TCP"]])

        let added = try patchDeployment(containersPatch([["name": "app", "ports": [["containerPort": 9090, "name": "metrics"]]]]))
        #expect(
            containers(added)?[0]?["ports"] == [["containerPort": 9090, "name": "metrics"], ["containerPort": 8080, "name": "http"]])
    }

    @Test func serviceAndOwnerReferenceKeys() throws {
        let service = try #require(StrategicMergePatch(group: "", kind: "Service"))
        let stored: JSONValue = [
            "metadata": ["name": "web", "ownerReferences": [["uid": "u1", "kind": "Deployment", "name": "web"]]],
            "spec": ["ports": [["port": 80, "targetPort": 8080], ["port": 443, "targetPort": 8443]]],
        ]
        let patch: JSONValue = [
            "metadata": ["ownerReferences": [["uid": "u1", "controller": true]]],
            "spec": ["ports": [["port": 80, "targetPort": 9090]]],
        ]
        let result = try service.apply(patch, to: stored)
        #expect(result["spec"]?["ports"] == [["port": 80, "targetPort": 9090], ["port": 443, "targetPort": 8443]])
        #expect(result["metadata"]?["ownerReferences"] == [["uid": "u1", "kind": "Deployment", "name": "web", "controller": true]])
    }

    @Test func podStatusConditionsMergeByType() throws {
        let pod = try #require(StrategicMergePatch(group: "", kind: "Pod"))
        let stored: JSONValue = [
            "status": ["conditions": [["type": "Ready", "status": "False"], ["type": "Initialized", "status": "True"]]]
        ]
        let result = try pod.apply(["status": ["conditions": [["type": "Ready", "status": "True"]]]], to: stored)
        #expect(result["status"]?["conditions"] == [["type": "Ready", "status": "True"], ["type": "Initialized", "status": "True"]])
    }

    // MARK: Lists replaced whole

    @Test func listsWithoutAStrategyAreReplaced() throws {
        let result = try patchDeployment([
            "spec": [
                "template": [
                    "spec": [
                        "tolerations": [["key": "k2", "operator": "Equal", "value": "v"]],
                        "containers": [["name": "app", "args": ["--c"]]],
                    ]
                ]
            ]
        ])
        #expect(result["spec"]?["template"]?["spec"]?["tolerations"] == [["key": "k2", "operator": "Equal", "value": "v"]])
        #expect(containers(result)?[0]?["args"] == ["--c"])
    }

    // MARK: Directives

    @Test func patchDeleteInAList() throws {
        let result = try patchDeployment(containersPatch([["name": "sidecar", "$patch": "delete"]]))
        let app = try #require(containers(Self.deployment())?[0])
        #expect(containers(result) == [app])

        let env = try patchDeployment(containersPatch([["name": "app", "env": [["name": "A", "$patch": "delete"]]]]))
        #expect(containers(env)?[0]?["env"] == [["name": "B", "value": "old"]])
    }

    @Test func patchDeleteWithoutTheMergeKeyFails() throws {
        let error = try deploymentFailure(containersPatch([["$patch": "delete"]]))
        #expect(error?.code == 500)
        #expect(error?.message == "map: map[$patch:delete] does not contain declared merge key: name")
    }

    @Test func patchDeleteInAMap() throws {
        let result = try patchDeployment(["metadata": ["labels": ["$patch": "delete"]]])
        #expect(result["metadata"]?["labels"] == [:])
    }

    @Test func patchReplaceInAMap() throws {
        let result = try patchDeployment(["metadata": ["labels": ["$patch": "replace", "new": "1"]]])
        #expect(result["metadata"]?["labels"] == ["new": "1"])
    }

    @Test func patchReplaceInAList() throws {
        let result = try patchDeployment(containersPatch([["$patch": "replace"], ["name": "only", "image": "only:v1"]]))
        #expect(containers(result) == [["name": "only", "image": "only:v1"]])
    }

    @Test func unknownPatchDirectiveFails() throws {
        let error = try deploymentFailure(["metadata": ["labels": ["$patch": "merge", "a": "b"]]])
        #expect(error?.code == 500)
        #expect(error?.message == "unknown patch type: merge in map: map[$patch:merge a:b]")
    }

    @Test func finalizersMergeAsASet() throws {
        let result = try patchDeployment(["metadata": ["finalizers": ["c", "a"]]])
        // The patch's values first, in its order, then the stored-only ones.
        #expect(result["metadata"]?["finalizers"] == ["c", "a", "b"])
    }

    @Test func deleteFromPrimitiveList() throws {
        let result = try patchDeployment(["metadata": ["$deleteFromPrimitiveList/finalizers": ["a", "zzz"]]])
        #expect(result["metadata"]?["finalizers"] == ["b"])

        // A deletion list for a field the object lacks changes nothing.
        let absent = try patchDeployment(["spec": ["$deleteFromPrimitiveList/nothing": ["x"]]])
        #expect(absent == Self.deployment())
    }

    @Test func deleteFromPrimitiveListTogetherWithAdditions() throws {
        let result = try patchDeployment([
            "metadata": ["finalizers": ["d"], "$deleteFromPrimitiveList/finalizers": ["a"]]
        ])
        #expect(result["metadata"]?["finalizers"] == ["d", "b"])
    }

    @Test func malformedDeletionListKey() throws {
        let error = try deploymentFailure(["metadata": ["$deleteFromPrimitiveListfinalizers": ["a"]]])
        #expect(error?.code == 400)
        #expect(error?.message == "invalid patch format of primitive list")
    }

    @Test func retainKeys() throws {
        let result = try patchDeployment(["spec": ["strategy": ["$retainKeys": ["type"], "type": "Recreate"]]])
        #expect(result["spec"]?["strategy"] == ["type": "Recreate"])

        let error = try deploymentFailure([
            "spec": ["strategy": ["$retainKeys": ["type"], "rollingUpdate": ["maxSurge": 2]]]
        ])
        #expect(error?.code == 400)
        #expect(error?.reason == "BadRequest")
        #expect(error?.message == "invalid patch format of retainKeys")
    }

    @Test func setElementOrder() throws {
        let result = try patchDeployment([
            "spec": [
                "template": [
                    "spec": [
                        "$setElementOrder/containers": [["name": "sidecar"], ["name": "app"]],
                        "containers": [["name": "app", "image": "app:v2"]],
                    ]
                ]
            ]
        ])
        #expect(containers(result)?[0] == ["name": "sidecar", "image": "proxy:v1"])
        #expect(containers(result)?[1]?["image"] == "app:v2")

        let finalizers = try patchDeployment(["metadata": ["$setElementOrder/finalizers": ["b", "a"]]])
        #expect(finalizers["metadata"]?["finalizers"] == ["b", "a"])
    }

    // MARK: Maps and new fields

    @Test func nullDeletesAndMapsMerge() throws {
        let result = try patchDeployment([
            "metadata": ["labels": ["tier": nil, "track": "canary"]],
            "spec": ["replicas": nil, "paused": true],
        ])
        #expect(result["metadata"]?["labels"] == ["app": "web", "track": "canary"])
        #expect(result["spec"]?["replicas"] == nil)
        #expect(result["spec"]?["paused"] == true)
    }

    @Test func newFieldsAreStoredWithoutNullsOrDirectives() throws {
        let result = try patchDeployment([
            "spec": [
                "template": [
                    "spec": [
                        "volumes": [
                            ["name": "cache", "emptyDir": ["medium": nil]],
                            ["name": "gone", "$patch": "delete"],
                        ],
                        "nodeSelector": ["$patch": "replace", "disk": "ssd"],
                        "securityContext": ["runAsUser": 1000, "fsGroup": nil],
                    ]
                ]
            ]
        ])
        let spec = result["spec"]?["template"]?["spec"]
        #expect(spec?["volumes"] == [["name": "cache", "emptyDir": [:]]])
        // kube-apiserver's removeDirectives drops a new map carrying `$patch`, whatever its value.
        #expect(spec?["nodeSelector"] == nil)
        #expect(spec?["securityContext"] == ["runAsUser": 1000])
    }

    @Test func aChangeOfTypeReplaces() throws {
        let result = try patchDeployment(["spec": ["strategy": "Recreate", "replicas": "3"]])
        #expect(result["spec"]?["strategy"] == "Recreate")
        #expect(result["spec"]?["replicas"] == "3")
    }

    @Test func nullPatchChangesNothing() throws {
        #expect(try patchDeployment(nil) == Self.deployment())
        #expect(try patchDeployment([:]) == Self.deployment())
    }

    // MARK: Errors

    @Test func missingMergeKey() throws {
        let error = try deploymentFailure(containersPatch([["image": "x"]]))
        #expect(error?.code == 500)
        #expect(error?.reason == "")
        #expect(error?.message == "map: map[image:x] does not contain declared merge key: name")
    }

    @Test func listsOfLists() throws {
        let pod = try #require(StrategicMergePatch(group: "", kind: "Pod"))
        let error = #expect(throws: PatchError.self) {
            try pod.apply(["metadata": ["finalizers": [["x"]]]], to: ["metadata": ["finalizers": []]])
        }
        #expect(error?.code == 422)
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.detail == "lists of lists are not supported")

        // Go looks at the first element's type, so a list after a string is a mismatch, reported as a 500.
        let mixed = try deploymentFailure(["metadata": ["finalizers": [["x"]]]])
        #expect(mixed?.code == 500)
        #expect(mixed?.message == "list element types are not identical: [[a b] [[x]]]")
    }

    @Test func patchesThatAreNotObjects() throws {
        let error = try deploymentFailure([["op": "add"]])
        #expect(error?.code == 400)
        #expect(error?.message == "json: cannot unmarshal array into Go value of type map[string]interface {}")
    }

    // MARK: Schemas

    @Test func customResourcesHaveNoSchema() {
        #expect(PatchSchema.builtin(group: "example.com", kind: "Widget") == nil)
        #expect(StrategicMergePatch(group: "example.com", kind: "Widget") == nil)
        let error = PatchError.unsupportedMediaType(accepted: StrategicMergePatch.customResourcePatchTypes)
        #expect(error.code == 415)
        #expect(
            error.message
                == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
        )
    }

    @Test func builtinSchemas() throws {
        let deployment = try #require(PatchSchema.builtin(group: "apps", kind: "Deployment"))
        let podSpec = deployment.field("spec").field("template").field("spec")
        #expect(podSpec.field("containers").list == .merge(key: "name"))
        #expect(podSpec.field("initContainers").field("env").list == .merge(key: "name"))
        #expect(podSpec.field("containers").field("volumeMounts").list == .merge(key: "mountPath"))
        #expect(podSpec.field("ephemeralContainers").field("volumeDevices").list == .merge(key: "devicePath"))
        #expect(podSpec.field("hostAliases").list == .merge(key: "ip"))
        #expect(podSpec.field("tolerations").list == .atomic)
        #expect(deployment.field("metadata").field("finalizers").list == .merge(key: nil))
        #expect(deployment.field("status").field("conditions").list == .merge(key: "type"))
        #expect(PatchSchema.builtin(group: "", kind: "ConfigMap")?.field("metadata").field("ownerReferences").list == .merge(key: "uid"))
        #expect(PatchSchema.builtin(group: "", kind: "Namespace")?.field("status").field("conditions").mergeKey == "type")
        #expect(PatchSchema.builtin(group: "apps", kind: "ConfigMap") == nil)

        let custom = PatchSchema(paths: ["spec.items": .merge(key: "id"), "spec.items.tags": .merge(key: nil)])
        #expect(custom.field("spec").field("items").mergeKey == "id")
        #expect(custom.field("spec").field("items").field("tags").mergesList)
        #expect(custom.field("spec").field("other") == .empty)
    }
}
