import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// Server-side apply and `metadata.managedFields` as the server-side apply documentation describes
/// them: ownership, conflicts, forcing, removal of fields a manager stops applying, and updates taking
/// fields over. Runs against a real cluster too.
@Suite struct ServerSideApplyTests {
    private static let configMaps = ResourceDescriptor(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)

    private func config(_ name: String, namespace: String, data: [String: String]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "data": .object(data.mapValues { .string($0) }),
        ]
    }

    private func apply(
        _ cluster: TestCluster, _ body: JSONValue, manager: String, force: Bool = false
    ) async throws -> JSONValue {
        let name = body.value(atPath: "metadata.name")?.stringValue ?? ""
        return try await cluster.client.patch(
            Self.configMaps, name: name, namespace: cluster.namespace, patch: .apply(body),
            options: PatchOptions(fieldManager: manager, force: force))
    }

    private func managers(_ object: JSONValue) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for entry in object.value(atPath: "metadata.managedFields")?.arrayElements ?? [] {
            let key = (entry[member: "manager"]?.stringValue ?? "") + "/" + (entry[member: "operation"]?.stringValue ?? "")
            result[key] = entry
        }
        return result
    }

    @Test func applyCreatesTheObjectAndRecordsTheApplierAsOwnerOfItsFields() async throws {
        try await TestCluster.run { cluster in
            let object = try await apply(cluster, config("settings", namespace: cluster.namespace, data: ["a": "1", "b": "2"]), manager: "alice")
            #expect(object.value(atPath: "data.a") == "1")
            let entry = try #require(managers(object)["alice/Apply"])
            #expect(entry[member: "apiVersion"] == "v1")
            #expect(entry[member: "fieldsType"] == "FieldsV1")
            #expect(entry.value(atPath: "fieldsV1.f:data.f:a") == .object([:]))
            #expect(entry.value(atPath: "fieldsV1.f:data.f:b") == .object([:]))
            // Server-set metadata belongs to nobody.
            #expect(entry.value(atPath: "fieldsV1.f:metadata.f:name") == nil)
        }
    }

    @Test func aSecondApplierChangingAFieldConflictsUntilItForces() async throws {
        try await TestCluster.run { cluster in
            _ = try await apply(cluster, config("shared", namespace: cluster.namespace, data: ["a": "1"]), manager: "alice")
            // The same value is no conflict: both own the field.
            let agreed = try await apply(cluster, config("shared", namespace: cluster.namespace, data: ["a": "1"]), manager: "bob")
            #expect(managers(agreed)["bob/Apply"]?.value(atPath: "fieldsV1.f:data.f:a") != nil)
            #expect(managers(agreed)["alice/Apply"]?.value(atPath: "fieldsV1.f:data.f:a") != nil)

            do {
                _ = try await apply(cluster, config("shared", namespace: cluster.namespace, data: ["a": "2"]), manager: "bob")
                Issue.record("a conflicting apply succeeded")
            } catch let error as KubeError {
                #expect(error.code == .conflict)
                #expect(error.status?.message == "Apply failed with 1 conflict: conflict with \"alice\": .data.a")
                #expect(error.causes.first?.reason == "FieldManagerConflict")
                #expect(error.causes.first?.field == ".data.a")
            }
            let forced = try await apply(cluster, config("shared", namespace: cluster.namespace, data: ["a": "2"]), manager: "bob", force: true)
            #expect(forced.value(atPath: "data.a") == "2")
            #expect(managers(forced)["alice/Apply"] == nil)
        }
    }

    @Test func aFieldTheApplierStopsApplyingIsRemovedUnlessSomeoneElseOwnsIt() async throws {
        try await TestCluster.run { cluster in
            _ = try await apply(cluster, config("pruned", namespace: cluster.namespace, data: ["keep": "1", "drop": "2", "shared": "3"]), manager: "alice")
            _ = try await apply(cluster, config("pruned", namespace: cluster.namespace, data: ["shared": "3"]), manager: "bob")
            let object = try await apply(cluster, config("pruned", namespace: cluster.namespace, data: ["keep": "1"]), manager: "alice")
            #expect(object.value(atPath: "data.keep") == "1")
            #expect(object.value(atPath: "data.drop") == nil)
            #expect(object.value(atPath: "data.shared") == "3")
        }
    }

    @Test func anUpdateTakesOverTheFieldsItChanges() async throws {
        try await TestCluster.run { cluster in
            _ = try await apply(cluster, config("edited", namespace: cluster.namespace, data: ["a": "1", "b": "2"]), manager: "alice")
            let patched = try await cluster.client.patch(
                Self.configMaps, name: "edited", namespace: cluster.namespace, patch: .merge(["data": ["a": "9"]]),
                options: PatchOptions(fieldManager: "editor"))
            let editor = try #require(managers(patched)["editor/Update"])
            #expect(editor.value(atPath: "fieldsV1.f:data.f:a") != nil)
            #expect(managers(patched)["alice/Apply"]?.value(atPath: "fieldsV1.f:data.f:a") == nil)
            #expect(managers(patched)["alice/Apply"]?.value(atPath: "fieldsV1.f:data.f:b") != nil)
            // Applying the old value again now conflicts with the editor.
            let code = await errorCode {
                _ = try await apply(cluster, config("edited", namespace: cluster.namespace, data: ["a": "1", "b": "2"]), manager: "alice")
            }
            #expect(code == .conflict)
        }
    }

    @Test func managedFieldsSetToASingleEmptyEntryAreRemoved() async throws {
        try await TestCluster.run { cluster in
            _ = try await apply(cluster, config("stripped", namespace: cluster.namespace, data: ["a": "1"]), manager: "alice")
            let patched = try await cluster.client.patch(
                Self.configMaps, name: "stripped", namespace: cluster.namespace, patch: .merge(["metadata": ["managedFields": [[:]]]]),
                options: PatchOptions(fieldManager: "janitor"))
            #expect(patched.value(atPath: "metadata.managedFields") == nil)
        }
    }

    @Test func applyOptionsAreChecked() async throws {
        try await TestCluster.run { cluster in
            let path = "/api/v1/namespaces/\(cluster.namespace)/configmaps/options"
            let body = try JSONEncoder().encode(config("options", namespace: cluster.namespace, data: ["a": "1"]))
            let noManager = await errorCode {
                _ = try await cluster.client.send(
                    KubeRequest(method: .patch, path: path, headers: ["Content-Type": "application/apply-patch+yaml"], body: body))
            }
            #expect(noManager == .invalid)
            _ = try await apply(cluster, config("options", namespace: cluster.namespace, data: ["a": "1"]), manager: "alice")
            let forcedMerge = await errorCode {
                _ = try await cluster.client.send(
                    KubeRequest(
                        method: .patch, path: path, query: [.init(name: "fieldManager", value: "x"), .init(name: "force", value: "true")],
                        headers: ["Content-Type": "application/merge-patch+json"], body: Data(#"{"data":{"a":"2"}}"#.utf8)))
            }
            #expect(forcedMerge == .invalid)
        }
    }

    @Test func aYAMLConfigurationIsApplied() async throws {
        try await TestCluster.run { cluster in
            let yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: from-yaml
                  labels:
                    tier: "1"
                data:
                  enabled: "true"
                  note: plain words
                """
            let data = try await cluster.client.send(
                KubeRequest(
                    method: .patch, path: "/api/v1/namespaces/\(cluster.namespace)/configmaps/from-yaml",
                    query: [.init(name: "fieldManager", value: "yaml-user")],
                    headers: ["Content-Type": "application/apply-patch+yaml"], body: Data(yaml.utf8)))
            let object = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(object.value(atPath: "data.note") == "plain words")
            #expect(object.value(atPath: "metadata.labels.tier") == "1")
        }
    }
}
