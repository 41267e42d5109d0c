import KubeCore

/// The schemas a custom resource version publishes, built from its CRD as apiextensions-apiserver's
/// OpenAPI builder builds them (`pkg/controller/openapi/builder`): the version's `openAPIV3Schema` with
/// its descriptions, `apiVersion`, `kind` and `metadata` (a reference to `ObjectMeta`) set on the root
/// and on every embedded resource, and the `x-kubernetes-group-version-kind` extension that kubectl
/// explain finds the kind by; and a list kind around it.
struct CustomResourceSchema: Sendable {
    /// The kind's schema.
    var kind: JSONValue
    /// The list kind's schema.
    var list: JSONValue

    /// The schemas of `resource`.
    ///
    /// - Parameters:
    ///   - resource: The custom resource version.
    ///   - version: Its entry in the CRD's `spec.versions`; `nil` publishes an object of unknown fields.
    ///   - names: Where the kind's and the list's schemas go in the document.
    ///   - listKind: The CRD's `spec.names.listKind`.
    init(resource: ResourceType, version: JSONValue?, names: OpenAPISchemaNames, listKind: String) {
        var kind: JSONValue
        if let schema = version?.value(atPath: "schema.openAPIV3Schema"), schema.objectMembers != nil {
            kind = Self.unfolded(schema)
            kind = Self.withEmbeddedResources(kind)
            var properties = kind[member: "properties"] ?? .object([:])
            properties[member: "apiVersion"] = MetaSchemas.apiVersionProperty
            properties[member: "kind"] = MetaSchemas.kindProperty
            // The CRD may constrain metadata (a name pattern, say); the published schema refers to ObjectMeta
            // instead, as the real builder replaces it.
            properties[member: "metadata"] = MetaSchemas.metadataProperty
            kind[member: "properties"] = properties
        } else {
            // Without a schema nothing but the type is known, as the builder publishes it then.
            kind = ["type": "object"]
        }
        kind[member: "x-kubernetes-group-version-kind"] = Self.groupVersionKind(resource, kind: resource.kind)
        self.kind = kind
        list = [
            "type": "object",
            "description": .string("\(listKind) is a list of \(resource.kind) objects."),
            "required": ["items"],
            "properties": [
                "apiVersion": MetaSchemas.apiVersionProperty, "kind": MetaSchemas.kindProperty,
                "items": [
                    "type": "array", "items": OpenAPISchemaNames.reference(names.kind),
                    "description": .string("The \(resource.plural) in the list."),
                ],
                "metadata": MetaSchemas.listMetadataProperty,
            ],
            "x-kubernetes-group-version-kind": Self.groupVersionKind(resource, kind: listKind),
        ]
    }

    /// The extension value of a schema: a list of group/version/kind maps with exactly these three keys,
    /// which `kubectl explain` compares with the operation's map as a whole.
    static func groupVersionKind(_ resource: ResourceType, kind: String) -> JSONValue {
        [["group": .string(resource.group), "kind": .string(kind), "version": .string(resource.version)]]
    }

    /// The schema with `apiVersion`, `kind` and `metadata` added wherever `x-kubernetes-embedded-resource`
    /// marks an object as a whole resource, with `apiVersion` and `kind` required there.
    static func withEmbeddedResources(_ schema: JSONValue) -> JSONValue {
        var schema = schema
        if var properties = schema[member: "properties"]?.objectMembers {
            for (name, property) in properties { properties[name] = withEmbeddedResources(property) }
            schema[member: "properties"] = .object(properties)
        }
        if let items = schema[member: "items"], items.objectMembers != nil { schema[member: "items"] = withEmbeddedResources(items) }
        if let additional = schema[member: "additionalProperties"], additional.objectMembers != nil {
            schema[member: "additionalProperties"] = withEmbeddedResources(additional)
        }
        guard schema[member: "x-kubernetes-embedded-resource"] == true else { return schema }
        var properties = schema[member: "properties"] ?? .object([:])
        properties[member: "apiVersion"] = MetaSchemas.apiVersionProperty
        properties[member: "kind"] = MetaSchemas.kindProperty
        properties[member: "metadata"] = MetaSchemas.metadataProperty
        schema[member: "properties"] = properties
        var required = schema[member: "required"]?.arrayElements ?? []
        for name in ["kind", "apiVersion"] where !required.contains(.string(name)) { required.append(.string(name)) }
        schema[member: "required"] = .array(required)
        return schema
    }

    /// The schema with `x-kubernetes-int-or-string` spelled out as `anyOf` integer or string where no
    /// `anyOf` says otherwise, as the structural schema's unfolding does before it is published.
    static func unfolded(_ schema: JSONValue) -> JSONValue {
        var schema = schema
        if var properties = schema[member: "properties"]?.objectMembers {
            for (name, property) in properties { properties[name] = unfolded(property) }
            schema[member: "properties"] = .object(properties)
        }
        if let items = schema[member: "items"], items.objectMembers != nil { schema[member: "items"] = unfolded(items) }
        if let additional = schema[member: "additionalProperties"], additional.objectMembers != nil {
            schema[member: "additionalProperties"] = unfolded(additional)
        }
        if schema[member: "x-kubernetes-int-or-string"] == true, schema[member: "anyOf"] == nil {
            schema[member: "anyOf"] = [["type": "integer"], ["type": "string"]]
        }
        return schema
    }
}
