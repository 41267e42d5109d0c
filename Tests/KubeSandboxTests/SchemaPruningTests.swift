import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct SchemaPruningTests {
    typealias S = SchemaTestSupport

    @Test func removesUnknownFieldsAndReportsTheirPaths() throws {
        let schema = try S.parse(
            S.object([
                "spec": S.object([
                    "replicas": ["type": "integer"],
                    "ports": ["type": "array", "items": S.object(["name": ["type": "string"]])],
                ]),
                "status": S.object(["ready": ["type": "boolean"]]),
            ]))
        let object: JSONValue = [
            "apiVersion": "hierachain.io/v1", "kind": "SubChain",
            "metadata": ["name": "a", "whatever": ["kept": true]],
            "spec": ["replicas": 3, "foo": 1, "ports": [["name": "p", "bar": 2], ["zed": nil]]],
            "status": ["ready": true, "phase": "Up"],
            "extra": "x",
        ]
        let (pruned, removed) = schema.pruned(object)
        #expect(
            pruned == [
                "apiVersion": "hierachain.io/v1", "kind": "SubChain",
                "metadata": ["name": "a", "whatever": ["kept": true]],
                "spec": ["replicas": 3, "ports": [["name": "p"], [:]]],
                "status": ["ready": true],
            ])
        #expect(removed == ["extra", "spec.foo", "spec.ports[0].bar", "spec.ports[1].zed", "status.phase"])
    }

    @Test func preserveUnknownFieldsKeepsUnknownButPrunesListedProperties() throws {
        let schema = try S.parse(
            S.root(spec: [
                "config": [
                    "type": "object", "x-kubernetes-preserve-unknown-fields": true,
                    "properties": ["known": S.object(["a": ["type": "string"]])],
                ]
            ]))
        let (pruned, removed) = schema.pruned([
            "spec": ["config": ["anything": ["deep": [1, 2]], "known": ["a": "x", "b": "y"]]]
        ])
        #expect(pruned == ["spec": ["config": ["anything": ["deep": [1, 2]], "known": ["a": "x"]]]])
        #expect(removed == ["spec.config.known.b"])
    }

    @Test func preservedRootKeepsEverything() throws {
        let schema = try S.parse(["type": "object", "x-kubernetes-preserve-unknown-fields": true])
        let object: JSONValue = ["kind": "X", "spec": ["a": [1, ["b": nil]]], "other": true]
        let (pruned, removed) = schema.pruned(object)
        #expect(pruned == object)
        #expect(removed.isEmpty)
    }

    @Test func embeddedResourcesKeepTypeMetaAndMetadata() throws {
        let schema = try S.parse(
            S.root(spec: [
                "template": [
                    "type": "object", "x-kubernetes-embedded-resource": true,
                    "properties": ["spec": S.object(["image": ["type": "string"]])],
                ]
            ]))
        let (pruned, removed) = schema.pruned([
            "spec": [
                "template": [
                    "apiVersion": "v1", "kind": "Pod", "metadata": ["labels": ["a": "b"]],
                    "spec": ["image": "busybox", "command": ["sh"]], "status": [:],
                ]
            ]
        ])
        #expect(
            pruned == [
                "spec": [
                    "template": [
                        "apiVersion": "v1", "kind": "Pod", "metadata": ["labels": ["a": "b"]],
                        "spec": ["image": "busybox"],
                    ]
                ]
            ])
        #expect(removed == ["spec.template.spec.command", "spec.template.status"])
    }

    @Test func metaFieldsBelowTheRootArePruned() throws {
        let schema = try S.parse(S.root(spec: ["replicas": ["type": "integer"]]))
        let (pruned, removed) = schema.pruned(["spec": ["kind": "X", "replicas": 1]])
        #expect(pruned == ["spec": ["replicas": 1]])
        #expect(removed == ["spec.kind"])
    }

    @Test func additionalPropertiesValuesArePrunedByTheirSchema() throws {
        let schema = try S.parse(
            S.root(spec: [
                "backends": ["type": "object", "additionalProperties": S.object(["url": ["type": "string"]])],
                "free": ["type": "object", "additionalProperties": true],
            ]))
        let (pruned, removed) = schema.pruned([
            "spec": [
                "backends": ["b": ["url": "u", "weight": 1], "a": ["url": "v"]],
                "free": ["x": 1, "y": ["nested": true]],
            ]
        ])
        #expect(
            pruned == [
                "spec": ["backends": ["b": ["url": "u"], "a": ["url": "v"]], "free": ["x": 1, "y": [:]]]
            ])
        // `additionalProperties: true` has no schema, so nothing inside an object value is known.
        #expect(removed == ["spec.backends.b.weight", "spec.free.y.nested"])
    }

    @Test func scalarsAndTypeMismatchesAreLeftForValidation() throws {
        let schema = try S.parse(S.root(spec: ["ports": ["type": "array", "items": ["type": "integer"]]]))
        let object: JSONValue = ["spec": ["ports": "not-a-list"]]
        #expect(schema.pruned(object).value == object)
    }
}
