import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// Custom resources served from their CustomResourceDefinition: established, schema defaults, pruning
/// and validation, the status subresource, and withdrawal with the CRD. Runs against a real cluster too.
@Suite struct CustomResourceTests {
    static let crds = ResourceDescriptor(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions",
        namespaced: false)

    /// A CRD for `widgets.<group>`, namespaced, with a status subresource.
    static func definition(group: String) -> JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("widgets.\(group)")],
            "spec": [
                "group": .string(group), "scope": "Namespaced",
                "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
                "versions": [
                    [
                        "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                        "additionalPrinterColumns": [["name": "Size", "type": "string", "jsonPath": ".spec.size"]],
                        "schema": [
                            "openAPIV3Schema": [
                                "type": "object",
                                "properties": [
                                    "spec": [
                                        "type": "object", "required": ["size"],
                                        "properties": [
                                            "size": ["type": "string", "enum": ["small", "large"]],
                                            "replicas": ["type": "integer", "minimum": 1, "maximum": 31, "default": 4],
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

    static func widget(_ name: String, spec: JSONValue, group: String) -> JSONValue {
        ["apiVersion": .string("\(group)/v1"), "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func aCustomResourceIsServedDefaultedPrunedAndValidatedByItsSchema() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).example.com"
            _ = try await cluster.client.create(Self.crds, object: Self.definition(group: group))
            do {
                try await eventually {
                    let crd = try? await cluster.client.get(Self.crds, name: "widgets.\(group)")
                    let conditions = crd?.value(atPath: "status.conditions")?.arrayElements ?? []
                    return conditions.contains { $0[member: "type"] == "Established" && $0[member: "status"] == "True" }
                }
                let widgets = ResourceDescriptor(group: group, version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
                // The resource is served a moment after it is established on a real server.
                try await eventually {
                    (try? await cluster.client.list(widgets, namespace: cluster.namespace)) != nil
                }

                let created = try await cluster.client.create(
                    widgets, namespace: cluster.namespace,
                    object: Self.widget("w", spec: ["size": "small", "colour": "blue"], group: group))
                #expect(created.value(atPath: "spec.replicas") == .integer(4))
                #expect(created.value(atPath: "spec.colour") == nil)
                #expect(created.value(atPath: "metadata.generation") == .integer(1))

                let tooMany = await errorCode {
                    _ = try await cluster.client.create(
                        widgets, namespace: cluster.namespace, object: Self.widget("x", spec: ["size": "small", "replicas": 40], group: group))
                }
                #expect(tooMany == .invalid)
                let badEnum = await errorCode {
                    _ = try await cluster.client.create(
                        widgets, namespace: cluster.namespace, object: Self.widget("y", spec: ["size": "huge"], group: group))
                }
                #expect(badEnum == .invalid)
                let missing = await errorCode {
                    _ = try await cluster.client.create(widgets, namespace: cluster.namespace, object: Self.widget("z", spec: [:], group: group))
                }
                #expect(missing == .invalid)

                let table = try await cluster.client.send(
                    KubeRequest(
                        method: .get, path: "/apis/\(group)/v1/namespaces/\(cluster.namespace)/widgets",
                        headers: ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"]),
                    as: JSONValue.self)
                let columns = table[member: "columnDefinitions"]?.arrayElements?.compactMap { $0[member: "name"]?.stringValue } ?? []
                #expect(columns == ["Name", "Size", "Age"])
                #expect(table.value(atPath: "rows")?[0]?[member: "cells"]?[1] == "small")

                var withStatus = created
                withStatus[member: "status"] = ["phase": "Ready"]
                let statusWritten = try await cluster.client.replace(
                    widgets, name: "w", namespace: cluster.namespace, subresource: "status", object: withStatus)
                #expect(statusWritten.value(atPath: "status.phase") == "Ready")
                #expect(statusWritten.value(atPath: "metadata.generation") == .integer(1))

                var changed = statusWritten
                changed[member: "spec"] = ["size": "large", "replicas": 2]
                changed[member: "status"] = ["phase": "Ignored"]
                let specWritten = try await cluster.client.replace(widgets, name: "w", namespace: cluster.namespace, object: changed)
                #expect(specWritten.value(atPath: "metadata.generation") == .integer(2))
                #expect(specWritten.value(atPath: "status.phase") == "Ready")
            } catch {
                _ = try? await cluster.client.delete(Self.crds, name: "widgets.\(group)")
                throw error
            }
            _ = try await cluster.client.delete(Self.crds, name: "widgets.\(group)")
        }
    }

    @Test func aCRDWithAnInvalidSchemaOrNameIsRefused() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).example.com"
            var wrongName = Self.definition(group: group)
            wrongName[member: "metadata"] = ["name": .string("gadgets.\(group)")]
            let named = await errorCode { _ = try await cluster.client.create(Self.crds, object: wrongName) }
            #expect(named == .invalid)

            var untyped = Self.definition(group: group)
            let broken: JSONValue = ["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": ["description": "no type"]]]]]
            var spec = untyped[member: "spec"] ?? [:]
            spec[member: "versions"] = [broken]
            untyped[member: "spec"] = spec
            let schema = await errorCode { _ = try await cluster.client.create(Self.crds, object: untyped) }
            #expect(schema == .invalid)
        }
    }
}
