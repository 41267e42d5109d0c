import KubeCore

@testable import KubeSandbox

/// Builders for the CRD schemas the schema tests use.
enum SchemaTestSupport {
    /// `{type: object, properties: ...}` with optional `required`.
    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var members: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { members["required"] = .array(required.map { .string($0) }) }
        return .object(members)
    }

    /// A root schema whose only property is `spec`, built from the given `spec` properties.
    static func root(spec properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        object(["spec": object(properties, required: required)])
    }

    /// Parses a schema the test expects to be valid.
    static func parse(_ json: JSONValue) throws -> StructuralSchema {
        try StructuralSchema.parse(json)
    }

    /// The violations `parse` reports, as `path: message` lines; empty when it accepts the schema.
    static func parseProblems(_ json: JSONValue, path: String = "openAPIV3Schema") -> [String] {
        do {
            _ = try StructuralSchema.parse(json, path: path)
            return []
        } catch {
            return error.violations.map(\.description)
        }
    }

    /// The violations `validate` reports for `value`, as `path: message` lines.
    static func problems(_ schema: StructuralSchema, _ value: JSONValue) -> [String] {
        schema.validate(value).map(\.description)
    }
}
