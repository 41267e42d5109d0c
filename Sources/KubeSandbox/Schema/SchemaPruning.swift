import KubeCore

extension StructuralSchema {
    /// Removes the fields of a custom resource that this (root) schema does not specify, as the apiserver
    /// does to every request body and every object read from storage.
    ///
    /// A field is kept when it is listed in `properties`, or covered by `additionalProperties`, or lies under a
    /// node with `x-kubernetes-preserve-unknown-fields: true` (whose listed properties are still pruned by their
    /// own schemas). `apiVersion`, `kind` and `metadata` are left alone at the root and in every
    /// `x-kubernetes-embedded-resource` object: metadata has a fixed schema of its own that the apiserver
    /// handles separately.
    ///
    /// - Parameter value: The object, as decoded from the request.
    /// - Returns: The pruned object, and the paths of the removed fields (`spec.foo`, `spec.ports[0].bar`,
    ///   `spec.labels.x.y`) sorted as Go sorts strings; `fieldValidation=Warn|Strict` reports them as
    ///   `unknown field "spec.foo"`.
    func pruned(_ value: JSONValue) -> (value: JSONValue, removed: [String]) {
        prunedValue(value, isResourceRoot: true)
    }

    /// ``pruned(_:)`` for any node: `isResourceRoot` makes this node keep `apiVersion`, `kind` and `metadata`.
    func prunedValue(_ value: JSONValue, isResourceRoot: Bool) -> (value: JSONValue, removed: [String]) {
        var schema = self
        if isResourceRoot { schema.isEmbeddedResource = true }
        var pruner = Pruner()
        let result = pruner.prune(value, schema, parent: "")
        return (result, pruner.removed.sorted(by: GoText.goLess))
    }
}

/// The pruning walk of `pruning.PruneWithOptions`, recording the paths it removes.
private struct Pruner {
    /// Paths of removed fields, in the order found.
    var removed: [String] = []

    /// `parent.key`, or just `key` at the top.
    private static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    mutating func prune(_ value: JSONValue, _ schema: StructuralSchema?, parent: String) -> JSONValue {
        if let schema, schema.preservesUnknownFields {
            return pruneListedOnly(value, schema, parent: parent)
        }
        switch value {
        case .object(let members):
            guard let schema else {
                // No schema at all (an `additionalProperties: true` value, say): nothing inside is known.
                for key in GoText.sortedKeys(members) { removed.append(Self.join(parent, key)) }
                return .object([:])
            }
            var kept = members
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                if schema.isEmbeddedResource && StructuralSchema.metaFields.contains(key) { continue }
                if let property = schema.properties[key] {
                    kept[key] = prune(member, property, parent: Self.join(parent, key))
                } else if let additional = schema.additionalProperties {
                    kept[key] = prune(member, additional.schema, parent: Self.join(parent, key))
                } else {
                    // Top-level meta fields are dropped silently; they can only get here without a schema.
                    if !StructuralSchema.metaFields.contains(key) || !parent.isEmpty {
                        removed.append(Self.join(parent, key))
                    }
                    kept[key] = nil
                }
            }
            return .object(kept)
        case .array(let elements):
            return .array(
                elements.enumerated().map { index, element in
                    prune(element, schema?.items, parent: "\(parent)[\(index)]")
                })
        default:
            return value
        }
    }

    /// Under `x-kubernetes-preserve-unknown-fields`: unknown fields stay, listed ones are pruned by their schema.
    private mutating func pruneListedOnly(_ value: JSONValue, _ schema: StructuralSchema?, parent: String) -> JSONValue
    {
        guard let schema else { return value }
        switch value {
        case .object(let members):
            var kept = members
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                if schema.isEmbeddedResource && StructuralSchema.metaFields.contains(key) { continue }
                if let property = schema.properties[key] {
                    kept[key] = prune(member, property, parent: Self.join(parent, key))
                } else if let additional = schema.additionalProperties {
                    kept[key] = prune(member, additional.schema, parent: Self.join(parent, key))
                }
            }
            return .object(kept)
        case .array(let elements):
            return .array(
                elements.enumerated().map { index, element in
                    pruneListedOnly(element, schema.items, parent: "\(parent)[\(index)]")
                })
        default:
            return value
        }
    }
}
