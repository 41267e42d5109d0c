import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct SchemaDefaultingTests {
    typealias S = SchemaTestSupport

    @Test func fillsMissingPropertiesOnly() throws {
        let schema = try S.parse(
            S.root(spec: [
                "replicas": ["type": "integer", "default": 4],
                "mode": ["type": "string", "default": "safe"],
            ]))
        #expect(schema.applyingDefaults(to: ["spec": ["mode": "fast"]]) == ["spec": ["mode": "fast", "replicas": 4]])
    }

    @Test func needsTheParentObject() throws {
        let schema = try S.parse(
            S.root(spec: [
                "template": S.object(["replicas": ["type": "integer", "default": 1]])
            ]))
        #expect(schema.applyingDefaults(to: ["spec": [:]]) == ["spec": [:]])
        #expect(schema.applyingDefaults(to: [:]) == [:])
        #expect(schema.applyingDefaults(to: ["spec": ["template": [:]]]) == ["spec": ["template": ["replicas": 1]]])
    }

    @Test func defaultObjectsReceiveTheirOwnDefaults() throws {
        let schema = try S.parse(
            S.object([
                "spec": [
                    "type": "object", "default": [:],
                    "properties": [
                        "replicas": ["type": "integer", "default": 3],
                        "resources": [
                            "type": "object", "default": ["cpu": "1"],
                            "properties": ["cpu": ["type": "string"], "memory": ["type": "string", "default": "1Gi"]],
                        ],
                    ],
                ]
            ]))
        #expect(
            schema.applyingDefaults(to: ["kind": "SubChain"]) == [
                "kind": "SubChain", "spec": ["replicas": 3, "resources": ["cpu": "1", "memory": "1Gi"]],
            ])
    }

    @Test func defaultsInsideArrayItems() throws {
        let schema = try S.parse(
            S.root(spec: [
                "ports": [
                    "type": "array",
                    "items": S.object(["name": ["type": "string"], "protocol": ["type": "string", "default": "TCP"]]),
                ]
            ]))
        #expect(
            schema.applyingDefaults(to: ["spec": ["ports": [["name": "a"], ["name": "b", "protocol": "UDP"]]]]) == [
                "spec": ["ports": [["name": "a", "protocol": "TCP"], ["name": "b", "protocol": "UDP"]]]
            ])
    }

    @Test func defaultsInsideAdditionalProperties() throws {
        let schema = try S.parse(
            S.root(spec: [
                "backends": [
                    "type": "object",
                    "additionalProperties": S.object([
                        "url": ["type": "string"], "weight": ["type": "integer", "default": 1],
                    ]),
                ]
            ]))
        #expect(
            schema.applyingDefaults(to: ["spec": ["backends": ["a": ["url": "x"], "b": ["weight": 5]]]]) == [
                "spec": ["backends": ["a": ["url": "x", "weight": 1], "b": ["weight": 5]]]
            ])
    }

    @Test func nulls() throws {
        let schema = try S.parse(
            S.root(spec: [
                "withDefault": ["type": "string", "default": "d"],
                "withoutDefault": ["type": "string"],
                "nullable": ["type": "string", "nullable": true, "default": "n"],
                "list": ["type": "array", "items": ["type": "integer", "default": 0]],
                "strings": ["type": "array", "items": ["type": "string"]],
            ]))
        let defaulted = schema.applyingDefaults(to: [
            "spec": [
                "withDefault": nil, "withoutDefault": nil, "nullable": nil, "list": [1, nil], "strings": ["a", nil],
            ]
        ])
        // A null that may not be null takes the default, or goes when there is none; a nullable null stays.
        #expect(
            defaulted == [
                "spec": ["withDefault": "d", "nullable": nil, "list": [1, 0], "strings": ["a", nil]]
            ])
    }

    @Test func unknownFieldsAreNotTouched() throws {
        let schema = try S.parse(S.root(spec: ["a": ["type": "string", "default": "x"]]))
        #expect(schema.applyingDefaults(to: ["spec": ["b": ["c": nil]]]) == ["spec": ["a": "x", "b": ["c": nil]]])
    }
}
