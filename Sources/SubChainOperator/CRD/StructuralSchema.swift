import KubeCore

/// One node of a structural OpenAPI v3 schema, as a CustomResourceDefinition's `openAPIV3Schema` holds it:
/// a type at every level, a description on every field, defaults, bounds and patterns that the API
/// server enforces (and `kubectl explain` prints).
///
/// Swift has no reflection from a type to its schema, so each API type states its schema next to its
/// stored properties, through this builder, and a test checks that the two list the same fields (a field
/// added to the type and not to the schema would be pruned by the API server).
public struct StructuralSchema: Sendable, Hashable {
    public var type: String?
    public var description: String
    public var properties: [String: StructuralSchema] = [:]
    public var required: [String] = []
    /// The element schema of an array (zero or one element; an array keeps the struct non-recursive).
    private var itemSchemas: [StructuralSchema] = []
    /// The value schema of a map (`additionalProperties`).
    private var valueSchemas: [StructuralSchema] = []
    public var defaultValue: JSONValue?
    public var minimum: Int64?
    public var maximum: Int64?
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    /// `date-time` and the like.
    public var format: String?
    public var enumValues: [String]?
    /// A quantity or port: `x-kubernetes-int-or-string`.
    public var intOrString = false
    /// `x-kubernetes-list-type` (`atomic`, `set`, `map`) and, for maps, the keys.
    public var listType: String?
    public var listMapKeys: [String] = []

    /// A node of `type` (`nil` for int-or-string) with nothing else set.
    public init(type: String?, description: String, format: String? = nil) {
        self.type = type
        self.description = description
        self.format = format
    }

    /// An object with these fields.
    public static func object(_ description: String, required: [String] = [], _ properties: [String: StructuralSchema]) -> Self {
        var schema = Self(type: "object", description: description)
        schema.properties = properties
        schema.required = required
        return schema
    }

    /// A map from strings to `values`.
    public static func map(_ description: String, of values: StructuralSchema) -> Self {
        var schema = Self(type: "object", description: description)
        schema.valueSchemas = [values]
        return schema
    }

    /// An array of `items`.
    public static func array(_ description: String, of items: StructuralSchema, listType: String = "atomic", mapKeys: [String] = []) -> Self {
        var schema = Self(type: "array", description: description)
        schema.itemSchemas = [items]
        schema.listType = listType
        schema.listMapKeys = mapKeys
        return schema
    }

    public static func string(
        _ description: String, default value: String? = nil, pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        enum values: [String]? = nil
    ) -> Self {
        var schema = Self(type: "string", description: description)
        schema.defaultValue = value.map(JSONValue.string)
        schema.pattern = pattern
        schema.minLength = minLength
        schema.maxLength = maxLength
        schema.enumValues = values
        return schema
    }

    public static func integer(_ description: String, default value: Int64? = nil, minimum: Int64? = nil, maximum: Int64? = nil) -> Self {
        var schema = Self(type: "integer", description: description)
        schema.defaultValue = value.map(JSONValue.integer)
        schema.minimum = minimum
        schema.maximum = maximum
        return schema
    }

    public static func boolean(_ description: String, default value: Bool? = nil) -> Self {
        var schema = Self(type: "boolean", description: description)
        schema.defaultValue = value.map(JSONValue.bool)
        return schema
    }

    /// A resource quantity (`500m`, `1Gi`), as Kubernetes' own types declare one: an integer or a string of
    /// the quantity syntax.
    public static func quantity(_ description: String, default value: String? = nil) -> Self {
        var schema = Self(type: nil, description: description)
        schema.intOrString = true
        schema.defaultValue = value.map(JSONValue.string)
        schema.pattern = #"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"#
        return schema
    }

    /// The resource's `metadata` at the root: `type: object` and nothing else, since the API server refuses
    /// anything (a description included) but restrictions on `name` and `generateName` there.
    public static var objectMetadata: Self { Self(type: "object", description: "") }

    /// The element schema of an array.
    public var items: StructuralSchema? { itemSchemas.first }
    /// The value schema of a map.
    public var additionalProperties: StructuralSchema? { valueSchemas.first }

    /// The same schema with a default (an object's default is applied before its fields' defaults).
    public func withDefault(_ value: JSONValue) -> Self {
        var copy = self
        copy.defaultValue = value
        return copy
    }

    /// The schema as the CRD carries it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if !description.isEmpty { members["description"] = .string(description) }
        if let type { members["type"] = .string(type) }
        if !properties.isEmpty { members["properties"] = .object(properties.mapValues(\.json)) }
        if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
        if let items { members["items"] = items.json }
        if let additionalProperties { members["additionalProperties"] = additionalProperties.json }
        if let defaultValue { members["default"] = defaultValue }
        if let minimum { members["minimum"] = .integer(minimum) }
        if let maximum { members["maximum"] = .integer(maximum) }
        if let minLength { members["minLength"] = .integer(Int64(minLength)) }
        if let maxLength { members["maxLength"] = .integer(Int64(maxLength)) }
        if let pattern { members["pattern"] = .string(pattern) }
        if let format { members["format"] = .string(format) }
        if let enumValues { members["enum"] = .array(enumValues.map(JSONValue.string)) }
        if intOrString {
            // As Kubernetes publishes its own quantities: the only anyOf a structural schema allows with
            // types in it, and the pattern beside it (patterns apply to strings only).
            members["x-kubernetes-int-or-string"] = true
            members["anyOf"] = [["type": "integer"], ["type": "string"]]
        }
        if let listType { members["x-kubernetes-list-type"] = .string(listType) }
        if !listMapKeys.isEmpty { members["x-kubernetes-list-map-keys"] = .array(listMapKeys.map(JSONValue.string)) }
        return .object(members)
    }
}
