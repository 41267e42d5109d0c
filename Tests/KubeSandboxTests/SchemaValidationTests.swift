import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct SchemaValidationTests {
    typealias S = SchemaTestSupport

    private func spec(_ properties: [String: JSONValue], required: [String] = []) throws -> StructuralSchema {
        try S.parse(S.root(spec: properties, required: required))
    }

    // MARK: Numbers

    @Test func maximumMessageAndPath() throws {
        let schema = try spec(["replicas": ["type": "integer", "minimum": 1, "maximum": 31]])
        let violations = schema.validate(["spec": ["replicas": 40]])
        #expect(
            violations == [
                FieldViolation(
                    path: "spec.replicas", reason: .invalid,
                    message: "Invalid value: 40: spec.replicas in body should be less than or equal to 31")
            ])
        #expect(
            violations.first?.description
                == "spec.replicas: Invalid value: 40: spec.replicas in body should be less than or equal to 31")
        #expect(
            S.problems(schema, ["spec": ["replicas": 0]]) == [
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"
            ])
        #expect(schema.validate(["spec": ["replicas": 31]]).isEmpty)
    }

    @Test func exclusiveBoundsAndFractions() throws {
        let schema = try spec([
            "a": ["type": "integer", "minimum": 0, "exclusiveMinimum": true],
            "b": ["type": "number", "maximum": 1_000_000, "exclusiveMaximum": true],
            "c": ["type": "number", "multipleOf": 0.5],
            "d": ["type": "integer", "multipleOf": 3],
        ])
        #expect(
            S.problems(schema, ["spec": ["a": 0, "b": 1e6, "c": 0.7, "d": 10]]) == [
                "spec.a: Invalid value: 0: spec.a in body should be greater than 0",
                "spec.b: Invalid value: 1e+06: spec.b in body should be less than 1e+06",
                "spec.c: Invalid value: 0.7: spec.c in body should be a multiple of 0.5",
                "spec.d: Invalid value: 10: spec.d in body should be a multiple of 3",
            ])
        #expect(schema.validate(["spec": ["a": 1, "b": 999_999.5, "c": 1.5, "d": 9]]).isEmpty)
    }

    @Test func integersAndNumbersInterchangeWhereJSONAllows() throws {
        let schema = try spec(["count": ["type": "integer"], "ratio": ["type": "number"]])
        #expect(schema.validate(["spec": ["count": 3.0, "ratio": 2]]).isEmpty)
        #expect(
            S.problems(schema, ["spec": ["count": 2.5]]) == [
                "spec.count: Invalid value: \"number\": spec.count in body must be of type integer: \"number\""
            ])
    }

    // MARK: Types and nulls

    @Test func typeMismatch() throws {
        let schema = try spec(["x": ["type": "string"]])
        let violations = schema.validate(["spec": ["x": 5]])
        #expect(
            violations.map(\.description) == [
                "spec.x: Invalid value: \"integer\": spec.x in body must be of type string: \"integer\""
            ])
        #expect(violations.first?.reason == .typeInvalid)
        #expect(
            S.problems(schema, ["spec": "nope"]) == [
                "spec: Invalid value: \"string\": spec in body must be of type object: \"string\""
            ])
    }

    @Test func nullNeedsNullable() throws {
        let schema = try spec(["x": ["type": "string"], "y": ["type": "string", "nullable": true]])
        #expect(
            S.problems(schema, ["spec": ["x": nil, "y": nil]]) == [
                "spec.x: Invalid value: \"null\": spec.x in body must be of type string: \"null\""
            ])
    }

    @Test func intOrString() throws {
        let schema = try spec(["port": ["x-kubernetes-int-or-string": true]])
        #expect(schema.validate(["spec": ["port": 8080]]).isEmpty)
        #expect(schema.validate(["spec": ["port": "http"]]).isEmpty)
        #expect(
            S.problems(schema, ["spec": ["port": true]]) == [
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""
            ])
    }

    // MARK: Strings

    @Test func stringLengthsAndPattern() throws {
        let schema = try spec([
            "name": ["type": "string", "minLength": 3, "maxLength": 5, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"]
        ])
        let tooLong = schema.validate(["spec": ["name": "abcdef"]])
        #expect(
            tooLong == [
                FieldViolation(path: "spec.name", reason: .tooLong, message: "Too long: may not be more than 5 bytes")
            ])
        #expect(
            S.problems(schema, ["spec": ["name": "ab"]]) == [
                "spec.name: Invalid value: \"ab\": spec.name in body should be at least 3 chars long"
            ])
        #expect(
            S.problems(schema, ["spec": ["name": "Ab-c"]]) == [
                "spec.name: Invalid value: \"Ab-c\": spec.name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"
            ])
        #expect(schema.validate(["spec": ["name": "ab-c"]]).isEmpty)
    }

    @Test func patternsAreUnanchoredAndCountRunes() throws {
        let schema = try spec(["a": ["type": "string", "pattern": "[0-9]"], "b": ["type": "string", "maxLength": 2]])
        #expect(schema.validate(["spec": ["a": "abc1def", "b": "é!"]]).isEmpty)
        #expect(
            S.problems(schema, ["spec": ["a": "abc"]]) == [
                "spec.a: Invalid value: \"abc\": spec.a in body should match '[0-9]'"
            ])
    }

    @Test func formats() throws {
        let schema = try spec([
            "at": ["type": "string", "format": "date-time"],
            "day": ["type": "string", "format": "date"],
            "id": ["type": "string", "format": "uuid"],
            "small": ["type": "integer", "format": "int32"],
            "mail": ["type": "string", "format": "email"],
        ])
        let valid: JSONValue = [
            "spec": [
                "at": "2024-02-29T23:59:59.123+02:00", "day": "2024-02-29",
                "id": "123e4567-e89b-12d3-a456-426614174000", "small": 1_099_511_627_776, "mail": "whatever",
            ]
        ]
        #expect(schema.validate(valid).isEmpty)
        let violations = schema.validate(["spec": ["at": "yesterday", "day": "2023-02-29", "id": "xyz"]])
        #expect(
            violations.map(\.description) == [
                "spec.at: Invalid value: \"yesterday\": spec.at in body must be of type date-time: \"yesterday\"",
                "spec.day: Invalid value: \"2023-02-29\": spec.day in body must be of type date: \"2023-02-29\"",
                "spec.id: Invalid value: \"xyz\": spec.id in body must be of type uuid: \"xyz\"",
            ])
        #expect(violations.allSatisfy { $0.reason == .typeInvalid })
    }

    // MARK: Enumerations

    @Test func enumValues() throws {
        let schema = try spec([
            "mode": ["type": "string", "enum": ["a", "b"]], "level": ["type": "integer", "enum": [1, 2]],
        ])
        let violations = schema.validate(["spec": ["mode": "x", "level": 3]])
        #expect(
            violations.map(\.description) == [
                "spec.level: Unsupported value: 3: supported values: \"1\", \"2\"",
                "spec.mode: Unsupported value: \"x\": supported values: \"a\", \"b\"",
            ])
        #expect(violations.allSatisfy { $0.reason == .notSupported })
        #expect(schema.validate(["spec": ["mode": "b", "level": 2]]).isEmpty)
    }

    // MARK: Objects

    @Test func requiredFields() throws {
        let schema = try spec(
            ["image": ["type": "string"], "replicas": ["type": "integer"]], required: ["image", "replicas"])
        let violations = schema.validate(["spec": ["replicas": 1]])
        #expect(violations == [FieldViolation(path: "spec.image", reason: .required, message: "Required value")])
        let rootRequired = try S.parse([
            "type": "object", "required": ["spec"], "properties": ["spec": ["type": "object"]],
        ])
        #expect(S.problems(rootRequired, [:]) == ["spec: Required value"])
    }

    @Test func propertyCounts() throws {
        let schema = try spec([
            "labels": [
                "type": "object", "minProperties": 1, "maxProperties": 2, "additionalProperties": ["type": "string"],
            ]
        ])
        #expect(
            S.problems(schema, ["spec": ["labels": [:]]]) == [
                "spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties"
            ])
        let tooMany = schema.validate(["spec": ["labels": ["a": "1", "b": "2", "c": 3]]])
        // A count failure ends the object's checks, so the wrongly typed value goes unreported.
        #expect(
            tooMany == [
                FieldViolation(path: "spec.labels", reason: .tooMany, message: "Too many: 3: must have at most 2 items")
            ])
    }

    @Test func additionalPropertiesValues() throws {
        let schema = try spec(["labels": ["type": "object", "additionalProperties": ["type": "string"]]])
        #expect(
            S.problems(schema, ["spec": ["labels": ["app": 5]]]) == [
                "spec.labels.app: Invalid value: \"integer\": spec.labels.app in body must be of type string: \"integer\""
            ])
        let closed = try spec(["sealed": ["type": "object", "additionalProperties": false]])
        #expect(
            S.problems(closed, ["spec": ["sealed": ["extra": 1]]]) == [
                "spec.sealed: Invalid value: \"extra\": spec.sealed.extra in body is a forbidden property"
            ])
    }

    // MARK: Arrays

    @Test func itemPathsAndCounts() throws {
        let schema = try spec([
            "ports": [
                "type": "array", "minItems": 1,
                "items": S.object(
                    ["name": ["type": "string"], "port": ["type": "integer", "maximum": 65535]], required: ["name"]),
            ],
            "tags": ["type": "array", "maxItems": 2, "items": ["type": "string"]],
        ])
        #expect(
            S.problems(
                schema, ["spec": ["ports": [["port": 80], ["name": "b", "port": 70000]], "tags": ["a", "b", "c"]]]) == [
                    "spec.ports[0].name: Required value",
                    "spec.ports[1].port: Invalid value: 70000: spec.ports[1].port in body should be less than or equal to 65535",
                    "spec.tags: Too many: 3: must have at most 2 items",
                ])
        #expect(
            S.problems(schema, ["spec": ["ports": []]]) == [
                "spec.ports: Invalid value: 0: spec.ports in body should have at least 1 items"
            ])
    }

    // MARK: Compositions

    @Test func anyOfAndNot() throws {
        let schema = try spec([
            "size": ["type": "string", "anyOf": [["pattern": "^[0-9]+$"], ["enum": ["small", "large"]]]],
            "name": ["type": "string", "not": ["enum": ["admin"]]],
        ])
        #expect(schema.validate(["spec": ["size": "12", "name": "bob"]]).isEmpty)
        #expect(schema.validate(["spec": ["size": "large"]]).isEmpty)
        #expect(
            S.problems(schema, ["spec": ["size": "huge", "name": "admin"]]) == [
                "<nil>: Invalid value: \"\": \"spec.name\" must not validate the schema (not)",
                "<nil>: Invalid value: \"\": \"spec.size\" must validate at least one schema (anyOf)",
                "spec.size: Invalid value: \"huge\": spec.size in body should match '^[0-9]+$'",
            ])
    }

    // MARK: Embedded resources

    @Test func embeddedResourcesNeedTypeMeta() throws {
        let schema = try spec([
            "template": [
                "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true,
            ]
        ])
        #expect(
            S.problems(schema, ["spec": ["template": ["metadata": ["name": "x"]]]]) == [
                "spec.template.apiVersion: Required value: must not be empty",
                "spec.template.kind: Required value: must not be empty",
            ])
        #expect(
            S.problems(schema, ["spec": ["template": ["apiVersion": "a/b/c", "kind": "Bad_Kind"]]]) == [
                "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
                "spec.template.kind: Invalid value: \"Bad_Kind\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            ])
        #expect(schema.validate(["spec": ["template": ["apiVersion": "apps/v1", "kind": "Deployment"]]]).isEmpty)
    }

    // MARK: List types

    @Test func setDuplicates() throws {
        let schema = try spec(["tags": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "set"]])
        let violations = schema.validate(["spec": ["tags": ["a", "b", "a", "b", "a"]]])
        #expect(
            violations == [
                FieldViolation(path: "spec.tags[2]", reason: .duplicate, message: "Duplicate value: \"a\""),
                FieldViolation(path: "spec.tags[3]", reason: .duplicate, message: "Duplicate value: \"b\""),
            ])
    }

    @Test func setsCompareScalarsByTypeAndCompoundsByJSON() throws {
        let schema = try spec([
            "values": [
                "type": "array", "x-kubernetes-list-type": "set",
                "items": ["x-kubernetes-preserve-unknown-fields": true],
            ]
        ])
        #expect(schema.validate(["spec": ["values": [1, 1.0]]]).isEmpty)
        #expect(
            S.problems(schema, ["spec": ["values": [["a": 1], ["a": 1.0]]]]) == [
                "spec.values[1]: Duplicate value: {\"a\":1}"
            ])
    }

    @Test func mapKeyDuplicates() throws {
        let item = S.object(["name": ["type": "string"], "port": ["type": "integer"]], required: ["name"])
        let schema = try spec([
            "ports": [
                "type": "array", "items": item, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
            ],
            "rules": [
                "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
                "items": S.object(
                    ["port": ["type": "integer"], "protocol": ["type": "string"]], required: ["port", "protocol"]),
            ],
        ])
        let violations = schema.validate([
            "spec": [
                "ports": [["name": "http", "port": 80], ["name": "http", "port": 8080], ["name": "grpc"]],
                "rules": [
                    ["port": 80, "protocol": "TCP"], ["port": 80, "protocol": "UDP"], ["port": 80, "protocol": "TCP"],
                ],
            ]
        ])
        #expect(
            violations.map(\.description) == [
                "spec.ports[1]: Duplicate value: {\"name\":\"http\"}",
                "spec.rules[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}",
            ])
        #expect(violations.allSatisfy { $0.reason == .duplicate })
    }

    @Test func mapItemsMustBeObjects() throws {
        let schema = try spec([
            "ports": [
                "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                "items": S.object(["name": ["type": "string"]], required: ["name"]),
            ]
        ])
        #expect(
            S.problems(schema, ["spec": ["ports": [["name": "a"], "b"]]]).last
                == "spec.ports[1]: Invalid value: \"b\": must be an object for an array of list-type map")
    }

    @Test func listTypePathsUseBracketsForMapKeys() throws {
        let schema = try spec([
            "groups": [
                "type": "object",
                "additionalProperties": [
                    "type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "set",
                ],
            ]
        ])
        #expect(
            S.problems(schema, ["spec": ["groups": ["admins": ["x", "x"]]]]) == [
                "spec.groups[admins][1]: Duplicate value: \"x\""
            ])
    }

    // MARK: Message formatting

    @Test func goFormatting() {
        #expect(GoText.float(31) == "31")
        #expect(GoText.float(0.5) == "0.5")
        #expect(GoText.float(123_456) == "123456")
        #expect(GoText.float(1_234_567) == "1.234567e+06")
        #expect(GoText.float(1e6) == "1e+06")
        #expect(GoText.float(0.0001) == "0.0001")
        #expect(GoText.float(0.00001) == "1e-05")
        #expect(GoText.float(-2.5e-7) == "-2.5e-07")
        #expect(GoText.jsonFloat(1e6) == "1000000")
        #expect(GoText.jsonFloat(1e21) == "1e+21")
        #expect(GoText.jsonFloat(1e-7) == "1e-7")
        #expect(GoText.quote("a\"b\\c\n\u{1}é") == #""a\"b\\c\n\x01é""#)
        #expect(
            GoText.json(["b": [1, 2.5, true, nil], "a": "<x>"]) == #"{"a":"\u003cx\u003e","b":[1,2.5,true,null]}"#)
        #expect(
            FieldViolation.tooMany(FieldPath("x"), actual: 4, max: 3).description
                == "x: Too many: 4: must have at most 3 items")
        #expect(FieldViolation.forbidden(.root, "no").description == "<nil>: Forbidden: no")
        #expect(FieldPath("spec").child("ports").index(0).key("a").description == "spec.ports[0][a]")
    }
}
