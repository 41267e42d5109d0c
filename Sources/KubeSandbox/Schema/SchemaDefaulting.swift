import KubeCore

extension StructuralSchema {
    /// Fills in defaults as the apiserver does after pruning, on every request body and every object read from
    /// storage.
    ///
    /// First, `null` values of fields that are not `nullable` and have no default are dropped
    /// (`PruneNonNullableNullsWithoutDefaults`). Then, in every object that exists, each property with a default
    /// that is absent, or `null` without being `nullable`, gets a copy of the default; the walk then continues
    /// into the result, so a default object receives the defaults of its own properties. List items and
    /// `additionalProperties` values that are `null` without being `nullable` take their schema's default.
    /// Missing parents are never created: a default inside `spec.template` only applies when `spec.template`
    /// is there (or was itself defaulted).
    ///
    /// Defaults need no pruning here: ``parse(_:path:)`` refuses defaults with unknown fields, as the apiserver
    /// refuses them for v1 CRDs.
    ///
    /// - Parameter value: The object, normally already pruned.
    /// - Returns: The object with defaults applied.
    func applyingDefaults(to value: JSONValue) -> JSONValue {
        Self.defaulted(Self.droppingNonNullableNulls(value, self), self)
    }

    /// `Default`: fills absent (or non-nullable `null`) properties, list items and map values from the schema.
    private static func defaulted(_ value: JSONValue, _ schema: StructuralSchema?) -> JSONValue {
        guard let schema else { return value }
        switch value {
        case .object(var members):
            for name in GoText.sortedKeys(schema.properties) {
                guard let property = schema.properties[name], let defaultValue = property.defaultValue else { continue }
                if let current = members[name], !property.isNonNullableNull(current) { continue }
                members[name] = defaultValue
            }
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                if let property = schema.properties[key] {
                    members[key] = defaulted(member, property)
                } else if let additional = schema.additionalProperties {
                    let valueSchema = additional.schema
                    var current = member
                    if let valueSchema, valueSchema.isNonNullableNull(current) {
                        current = valueSchema.defaultValue ?? .null
                    }
                    members[key] = defaulted(current, valueSchema)
                }
            }
            return .object(members)
        case .array(let elements):
            return .array(
                elements.map { element in
                    var current = element
                    if let items = schema.items, items.isNonNullableNull(current) {
                        current = items.defaultValue ?? .null
                    }
                    return defaulted(current, schema.items)
                })
        default:
            return value
        }
    }

    /// `PruneNonNullableNullsWithoutDefaults`: a `null` the schema neither allows nor can replace is dropped,
    /// as if the field had not been sent.
    private static func droppingNonNullableNulls(_ value: JSONValue, _ schema: StructuralSchema?) -> JSONValue {
        switch value {
        case .object(var members):
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                let fieldSchema = schema.flatMap { $0.properties[key] ?? $0.additionalProperties?.schema }
                if member == .null, let fieldSchema, !fieldSchema.nullable, fieldSchema.defaultValue == nil {
                    members[key] = nil
                } else {
                    members[key] = droppingNonNullableNulls(member, fieldSchema)
                }
            }
            return .object(members)
        case .array(let elements):
            return .array(elements.map { droppingNonNullableNulls($0, schema?.items) })
        default:
            return value
        }
    }

    /// Whether `value` is a `null` this schema does not allow.
    private func isNonNullableNull(_ value: JSONValue) -> Bool {
        value == .null && !nullable
    }
}
