import KubeCore

/// A CustomResourceDefinition version's `schema.openAPIV3Schema`, checked to be *structural* as
/// kube-apiextensions-apiserver requires of `apiextensions.k8s.io/v1` CRDs, and ready to prune, default and
/// validate custom resources with (see `SchemaPruning.swift`, `SchemaDefaulting.swift` and
/// `SchemaValidation.swift`).
///
/// One node of the schema tree. The value validations under `allOf`, `anyOf`, `oneOf` and `not` are nodes of
/// the same type; a structural schema only lets them carry value validations (``parse(_:path:)`` refuses
/// anything else there), so pruning and defaulting never look at them.
///
/// `pattern` is kept as text: Swift's `Regex` is not `Sendable`, so validation compiles it when it runs.
struct StructuralSchema: Sendable, Hashable {
    /// An OpenAPI v3 type name.
    enum SchemaType: String, Sendable, Hashable, CaseIterable {
        /// The six JSON types; `null` is not a type here but `nullable`.
        case array, boolean, integer, number, object, string
    }

    /// `x-kubernetes-list-type`: how server-side apply merges a list.
    enum ListType: String, Sendable, Hashable, CaseIterable {
        /// The list is replaced as a whole (the default).
        case atomic
        /// Scalar or atomic items that must be unique.
        case set
        /// Objects identified by the ``StructuralSchema/listMapKeys``, which must be unique.
        case map
    }

    /// `x-kubernetes-map-type`: how server-side apply merges an object.
    enum MapType: String, Sendable, Hashable, CaseIterable {
        /// The object is replaced as a whole.
        case atomic
        /// Fields are merged one by one (the default).
        case granular
    }

    /// `additionalProperties`: either a Boolean or the schema every unlisted property value has.
    indirect enum AdditionalProperties: Sendable, Hashable {
        /// `additionalProperties: true` or `false`.
        case allowed(Bool)
        /// `additionalProperties: {...}`.
        case schema(StructuralSchema)

        /// The schema, when there is one.
        var schema: StructuralSchema? {
            if case .schema(let schema) = self { return schema }
            return nil
        }
    }

    // MARK: Generic fields

    /// `type`; `nil` when absent (allowed with `x-kubernetes-int-or-string` or preserved unknown fields).
    var type: SchemaType?
    /// `description`, kept for discovery and `kubectl explain`; it has no effect on objects.
    var description: String?
    /// `title`; no effect on objects.
    var title: String?
    /// `default`, applied to absent fields. A JSON `null` default counts as no default, as in the apiserver.
    var defaultValue: JSONValue?
    /// `nullable`: whether `null` is a valid value (otherwise a `null` is dropped or defaulted).
    var nullable = false
    /// `externalDocs`, kept as given.
    var externalDocs: JSONValue?

    // MARK: Structure

    /// `properties`.
    var properties: [String: StructuralSchema] = [:]
    /// `additionalProperties`.
    var additionalProperties: AdditionalProperties?
    /// `items`: the schema of every list element.
    var items: StructuralSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }
    // A struct cannot hold an optional of itself; a zero-or-one array stores it indirectly.
    private var itemsStorage: [StructuralSchema] = []

    // MARK: Value validations

    /// `format`, as written. Only the formats the apiserver validates are checked (see `SchemaValidation.swift`);
    /// others, such as `int32` and `int64`, are accepted and ignored, as the apiserver strips them.
    var format: String?
    /// `maximum`.
    var maximum: Double?
    /// `exclusiveMaximum` (the OpenAPI v3.0 Boolean form).
    var exclusiveMaximum = false
    /// `minimum`.
    var minimum: Double?
    /// `exclusiveMinimum` (the OpenAPI v3.0 Boolean form).
    var exclusiveMinimum = false
    /// `multipleOf`.
    var multipleOf: Double?
    /// `maxLength`, in Unicode scalars.
    var maxLength: Int64?
    /// `minLength`, in Unicode scalars.
    var minLength: Int64?
    /// `pattern`: an unanchored regular expression, compiled when validating.
    var pattern: String?
    /// `maxItems`.
    var maxItems: Int64?
    /// `minItems`.
    var minItems: Int64?
    /// `maxProperties`.
    var maxProperties: Int64?
    /// `minProperties`.
    var minProperties: Int64?
    /// `required`: property names that must be present.
    var required: [String] = []
    /// `enum`: the allowed values, or `nil` when absent.
    var enumValues: [JSONValue]?
    /// `allOf`: value validations that must all pass.
    var allOf: [StructuralSchema] = []
    /// `anyOf`: value validations of which one must pass.
    var anyOf: [StructuralSchema] = []
    /// `oneOf`: value validations of which exactly one must pass.
    var oneOf: [StructuralSchema] = []
    /// `not`: a value validation that must fail.
    var not: StructuralSchema? {
        get { notStorage.first }
        set { notStorage = newValue.map { [$0] } ?? [] }
    }
    private var notStorage: [StructuralSchema] = []

    // MARK: Kubernetes extensions

    /// `x-kubernetes-preserve-unknown-fields: true`: pruning keeps fields the schema does not list.
    var preservesUnknownFields = false
    /// `x-kubernetes-embedded-resource`: the value is an object with `apiVersion`, `kind` and `metadata`.
    var isEmbeddedResource = false
    /// `x-kubernetes-int-or-string`: the value is an integer or a string.
    var isIntOrString = false
    /// `x-kubernetes-list-type`, or `nil` when absent (which means atomic).
    var listType: ListType?
    /// `x-kubernetes-list-map-keys`: the item properties that identify an item of a `map` list.
    var listMapKeys: [String] = []
    /// `x-kubernetes-map-type`, or `nil` when absent (which means granular).
    var mapType: MapType?
    /// `x-kubernetes-validations`, kept as given. The sandbox does not evaluate CEL rules.
    var validationRules: [JSONValue] = []

    /// An empty schema: no type, no constraints.
    init() {}

    /// A schema with just a type.
    init(type: SchemaType) {
        self.type = type
    }
}

// MARK: - Parsing

extension StructuralSchema {
    /// The top-level fields every resource has, which pruning keeps and metadata rules single out.
    static let metaFields: Set<String> = ["apiVersion", "kind", "metadata"]

    /// Parses and checks `schema.openAPIV3Schema` of a CRD version as the apiserver does for a new
    /// `apiextensions.k8s.io/v1` CRD.
    ///
    /// Checked: the keywords the apiserver forbids (`$ref`, `uniqueItems: true`, `patternProperties`, ...),
    /// type names, structurality (every property and array item has a `type` unless it is int-or-string or
    /// preserves unknown fields; the root is an object without `additionalProperties`; root `metadata` may only
    /// restrict `name` and `generateName`; `allOf`/`anyOf`/`oneOf`/`not` carry value validations only, with the
    /// int-or-string exception), `x-kubernetes-*` consistency (list types, map keys, embedded resources),
    /// compilable patterns, and defaults (pruned, valid against their schema, not in top-level metadata).
    ///
    /// - Parameters:
    ///   - json: The `openAPIV3Schema` value.
    ///   - path: The field path of `json` in the request, which prefixes every problem's path; the apiserver
    ///     names it `spec.versions[0].schema.openAPIV3Schema`.
    /// - Throws: ``SchemaError`` listing every problem, sorted by text.
    static func parse(_ json: JSONValue, path: String = "openAPIV3Schema") throws(SchemaError) -> StructuralSchema {
        let root = FieldPath(path)
        var decoder = SchemaDecoder()
        let schema = decoder.decode(json, at: root)

        var violations = decoder.violations
        if schema.nullable {
            violations.append(.forbidden(root.child("nullable"), "nullable cannot be true at the root"))
        }
        var rules = SchemaRules()
        rules.check(schema, at: root, context: .root)
        violations += rules.violations

        var structure = StructureRules()
        structure.violations = decoder.structuralViolations
        structure.check(schema, level: .root, at: root)
        violations += structure.violations

        // The apiserver only looks at defaults once the schema is structural; a schema that did not even
        // decode would not have got that far either.
        if structure.violations.isEmpty && decoder.violations.isEmpty {
            var defaults = DefaultRules()
            defaults.checkRoot(schema, at: root)
            violations += defaults.violations
        }

        guard violations.isEmpty else {
            throw SchemaError(violations: violations.sorted { GoText.goLess($0.description, $1.description) })
        }
        return schema
    }
}

/// Turns JSON into schema nodes, reporting keywords of the wrong JSON type and the keywords the apiserver
/// refuses outright (its `specStandardValidatorV3`). Unknown keywords are ignored, as the apiserver drops
/// unknown fields of a CRD.
private struct SchemaDecoder {
    /// Problems with keywords.
    var violations: [FieldViolation] = []
    /// Patterns that do not compile; the apiserver counts these among the structural problems.
    var structuralViolations: [FieldViolation] = []

    mutating func decode(_ json: JSONValue, at path: FieldPath) -> StructuralSchema {
        guard case .object(let members) = json else {
            violations.append(.invalid(path, json, "must be an object"))
            return StructuralSchema()
        }
        var schema = StructuralSchema()
        for key in GoText.sortedKeys(members) {
            guard let value = members[key] else { continue }
            decodeKeyword(key, value, into: &schema, at: path)
        }
        return schema
    }

    private mutating func decodeKeyword(
        _ key: String, _ value: JSONValue, into schema: inout StructuralSchema, at path: FieldPath
    ) {
        let here = path.child(key)
        switch key {
        case "type":
            guard let name = string(value, here), !name.isEmpty else { return }
            if let type = StructuralSchema.SchemaType(rawValue: name) {
                schema.type = type
            } else {
                violations.append(
                    .notSupported(here, value, supported: StructuralSchema.SchemaType.allCases.map(\.rawValue)))
                if name == "null" {
                    violations.append(.forbidden(here, "type cannot be set to null, use nullable as an alternative"))
                }
            }
        case "format": schema.format = string(value, here).flatMap { $0.isEmpty ? nil : $0 }
        case "title": schema.title = string(value, here)
        case "description": schema.description = string(value, here)
        case "default":
            // Spelled out: in a conditional expression `nil` would become `JSONValue.null`.
            if value != .null { schema.defaultValue = value }
        case "nullable": schema.nullable = bool(value, here) ?? false
        case "externalDocs":
            guard object(value, here) != nil else { return }
            schema.externalDocs = value
        case "example", "$schema":
            break  // Documentation only.
        case "id":
            if let id = string(value, here), !id.isEmpty { violations.append(.forbidden(here, "id is not supported")) }
        case "$ref":
            if string(value, here) != nil { violations.append(.forbidden(here, "$ref is not supported")) }
        case "additionalItems":
            violations.append(.forbidden(here, "additionalItems is not supported"))
        case "patternProperties", "definitions":
            if let members = object(value, here), !members.isEmpty {
                violations.append(.forbidden(here, "\(key) is not supported"))
            }
        case "dependencies":
            if object(value, here) != nil { violations.append(.forbidden(here, "dependencies is not supported")) }
        case "uniqueItems":
            if bool(value, here) == true {
                violations.append(
                    .forbidden(here, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic")
                )
            }
        case "maximum": schema.maximum = number(value, here)
        case "minimum": schema.minimum = number(value, here)
        case "multipleOf": schema.multipleOf = number(value, here)
        case "exclusiveMaximum": schema.exclusiveMaximum = bool(value, here) ?? false
        case "exclusiveMinimum": schema.exclusiveMinimum = bool(value, here) ?? false
        case "maxLength": schema.maxLength = integer(value, here)
        case "minLength": schema.minLength = integer(value, here)
        case "maxItems": schema.maxItems = integer(value, here)
        case "minItems": schema.minItems = integer(value, here)
        case "maxProperties": schema.maxProperties = integer(value, here)
        case "minProperties": schema.minProperties = integer(value, here)
        case "pattern":
            guard let pattern = string(value, here), !pattern.isEmpty else { return }
            schema.pattern = pattern
            if let problem = PatternSyntax.problem(in: pattern) {
                structuralViolations.append(
                    .invalid(here, value, "must be a valid regular expression, but isn't: \(problem)"))
            }
        case "required": schema.required = strings(value, here) ?? []
        case "enum":
            guard case .array(let values) = value else {
                violations.append(.invalid(here, value, "must be an array"))
                return
            }
            schema.enumValues = values
        case "properties":
            guard let members = object(value, here) else { return }
            for name in GoText.sortedKeys(members) {
                guard let member = members[name] else { continue }
                schema.properties[name] = decode(member, at: here.key(name))
            }
        case "items":
            if case .array = value {
                violations.append(.forbidden(here, "items must be a schema object and not an array"))
            } else {
                schema.items = decode(value, at: here)
            }
        case "additionalProperties":
            if case .bool(let allowed) = value {
                schema.additionalProperties = .allowed(allowed)
            } else {
                schema.additionalProperties = .schema(decode(value, at: here))
            }
        case "allOf": schema.allOf = schemas(value, here)
        case "anyOf": schema.anyOf = schemas(value, here)
        case "oneOf": schema.oneOf = schemas(value, here)
        case "not": schema.not = decode(value, at: here)
        case "x-kubernetes-preserve-unknown-fields":
            guard let preserve = bool(value, here) else { return }
            if preserve {
                schema.preservesUnknownFields = true
            } else {
                violations.append(.invalid(here, value, "must be true or undefined"))
            }
        case "x-kubernetes-embedded-resource": schema.isEmbeddedResource = bool(value, here) ?? false
        case "x-kubernetes-int-or-string": schema.isIntOrString = bool(value, here) ?? false
        case "x-kubernetes-list-type":
            guard let name = string(value, here) else { return }
            if let listType = StructuralSchema.ListType(rawValue: name) {
                schema.listType = listType
            } else {
                violations.append(
                    .notSupported(here, value, supported: StructuralSchema.ListType.allCases.map(\.rawValue)))
            }
        case "x-kubernetes-list-map-keys": schema.listMapKeys = strings(value, here) ?? []
        case "x-kubernetes-map-type":
            guard let name = string(value, here) else { return }
            if let mapType = StructuralSchema.MapType(rawValue: name) {
                schema.mapType = mapType
            } else {
                violations.append(
                    .notSupported(here, value, supported: StructuralSchema.MapType.allCases.map(\.rawValue)))
            }
        case "x-kubernetes-validations":
            guard case .array(let rules) = value else {
                violations.append(.invalid(here, value, "must be an array"))
                return
            }
            schema.validationRules = rules
        default:
            break
        }
    }

    // MARK: JSON shapes

    private mutating func string(_ value: JSONValue, _ path: FieldPath) -> String? {
        if case .string(let text) = value { return text }
        violations.append(.invalid(path, value, "must be a string"))
        return nil
    }

    private mutating func bool(_ value: JSONValue, _ path: FieldPath) -> Bool? {
        if case .bool(let flag) = value { return flag }
        violations.append(.invalid(path, value, "must be a boolean"))
        return nil
    }

    private mutating func number(_ value: JSONValue, _ path: FieldPath) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        default:
            violations.append(.invalid(path, value, "must be a number"))
            return nil
        }
    }

    /// An `int64` keyword; an integral fractional number is accepted, as Go's decoder does.
    private mutating func integer(_ value: JSONValue, _ path: FieldPath) -> Int64? {
        switch value {
        case .integer(let number): return number
        case .double(let number) where number == number.rounded() && abs(number) < 9.2e18: return Int64(number)
        default:
            violations.append(.invalid(path, value, "must be an integer"))
            return nil
        }
    }

    private mutating func object(_ value: JSONValue, _ path: FieldPath) -> [String: JSONValue]? {
        if case .object(let members) = value { return members }
        violations.append(.invalid(path, value, "must be an object"))
        return nil
    }

    private mutating func strings(_ value: JSONValue, _ path: FieldPath) -> [String]? {
        guard case .array(let elements) = value else {
            violations.append(.invalid(path, value, "must be an array of strings"))
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            if let text = string(element, path.index(index)) { result.append(text) }
        }
        return result
    }

    private mutating func schemas(_ value: JSONValue, _ path: FieldPath) -> [StructuralSchema] {
        guard case .array(let elements) = value else {
            violations.append(.invalid(path, value, "must be an array"))
            return []
        }
        return elements.enumerated().map { decode($1, at: path.index($0)) }
    }
}

/// Whether a `pattern` is a regular expression the apiserver accepts.
///
/// The apiserver compiles patterns with Go's RE2, which has no lookaround or backreferences; Swift's `Regex`
/// has both, so those are refused here first, and then Swift must be able to compile the rest.
enum PatternSyntax {
    /// Why `pattern` is refused, or `nil` when it is fine.
    static func problem(in pattern: String) -> String? {
        for construct in ["(?=", "(?!", "(?<=", "(?<!"] where pattern.contains(construct) {
            return "error parsing regexp: invalid or unsupported Perl syntax: `\(construct)`"
        }
        var escaped = false
        for character in pattern {
            if escaped {
                if let digit = character.wholeNumberValue, digit > 0, character.isASCII {
                    return "error parsing regexp: invalid escape sequence: `\\\(character)`"
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            }
        }
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "error parsing regexp: \(error)"
        }
    }
}

// MARK: - CRD schema rules

/// Where in the schema a node sits, for the rules that depend on it.
private struct RuleContext {
    /// The node is `openAPIV3Schema` itself.
    var isRoot: Bool
    /// The node describes `apiVersion`, `kind` or `metadata` of the resource or of an embedded resource.
    var insideResourceMeta: Bool
    /// Why a `default` is not allowed here, or `nil` when it is.
    var forbiddenDefaultsReason: String?

    static let root = RuleContext(isRoot: true, insideResourceMeta: false, forbiddenDefaultsReason: nil)

    var below: RuleContext {
        var context = self
        context.isRoot = false
        return context
    }
}

/// The rules `ValidateCustomResourceDefinitionOpenAPISchema` applies to every node besides the keyword checks:
/// where defaults may go, `properties` against `additionalProperties`, and the list and map extensions.
private struct SchemaRules {
    var violations: [FieldViolation] = []

    mutating func check(_ schema: StructuralSchema, at path: FieldPath, context: RuleContext) {
        if schema.defaultValue != nil, let reason = context.forbiddenDefaultsReason {
            violations.append(
                .forbidden(path.child("default"), "must not be set" + (reason.isEmpty ? "" : " " + reason)))
        }
        if context.insideResourceMeta && schema.isEmbeddedResource {
            violations.append(
                .forbidden(path.child("x-kubernetes-embedded-resource"), "must not be used inside of resource meta"))
        }

        if let additional = schema.additionalProperties {
            if !schema.properties.isEmpty && additional != .allowed(true) {
                violations.append(
                    .forbidden(
                        path.child("additionalProperties"), "additionalProperties and properties are mutual exclusive"))
            }
            if let sub = additional.schema {
                var subContext = context.below
                if context.insideResourceMeta {
                    // Pruning cannot tell which metadata keys a default would apply to.
                    subContext.forbiddenDefaultsReason = "inside additionalProperties applying to object metadata"
                }
                check(sub, at: path.child("additionalProperties"), context: subContext)
            }
        }
        for name in GoText.sortedKeys(schema.properties) {
            guard let property = schema.properties[name] else { continue }
            var subContext = context.below
            if (context.isRoot || schema.isEmbeddedResource) && StructuralSchema.metaFields.contains(name) {
                subContext.insideResourceMeta = true
                if context.isRoot { subContext.forbiddenDefaultsReason = "in top-level \(name)" }
            }
            check(property, at: path.child("properties").key(name), context: subContext)
        }
        if let not = schema.not { check(not, at: path.child("not"), context: context.below) }
        for (index, sub) in schema.allOf.enumerated() {
            check(sub, at: path.child("allOf").index(index), context: context.below)
        }
        for (index, sub) in schema.oneOf.enumerated() {
            check(sub, at: path.child("oneOf").index(index), context: context.below)
        }
        for (index, sub) in schema.anyOf.enumerated() {
            check(sub, at: path.child("anyOf").index(index), context: context.below)
        }
        if let items = schema.items { check(items, at: path.child("items"), context: context.below) }

        checkMapType(schema, at: path)
        checkListType(schema, at: path)
    }

    private mutating func checkMapType(_ schema: StructuralSchema, at path: FieldPath) {
        guard schema.mapType != nil, schema.type != .object else { return }
        violations.append(typeMismatch(schema, at: path, "must be object if x-kubernetes-map-type is specified"))
    }

    private mutating func checkListType(_ schema: StructuralSchema, at path: FieldPath) {
        let itemsPath = path.child("items")
        if schema.listType != nil && schema.type != .array {
            violations.append(typeMismatch(schema, at: path, "must be array if x-kubernetes-list-type is specified"))
        } else if schema.listType == .set, let items = schema.items {
            // Set items are compared whole, so they must not be merged field by field.
            let detail = "must be atomic as item of a list with x-kubernetes-list-type=set"
            let itemsListType: JSONValue = items.listType.map { .string($0.rawValue) } ?? .null
            if items.type == .array, let listType = items.listType, listType != .atomic {
                violations.append(.invalid(itemsPath.child("x-kubernetes-list-type"), itemsListType, detail))
            } else if items.type == .object, items.mapType != .atomic {
                // The apiserver reports the items' list type here, which is almost always unset.
                violations.append(.invalid(itemsPath.child("x-kubernetes-map-type"), itemsListType, detail))
            }
        }

        if !schema.listMapKeys.isEmpty {
            let detail = "must be map if x-kubernetes-list-map-keys is non-empty"
            if let listType = schema.listType {
                if listType != .map {
                    violations.append(
                        .invalid(path.child("x-kubernetes-list-type"), .string(listType.rawValue), detail))
                }
            } else {
                violations.append(.required(path.child("x-kubernetes-list-type"), detail))
            }
        }

        if schema.listType == .map {
            if schema.listMapKeys.isEmpty {
                violations.append(
                    .required(
                        path.child("x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"))
            }
            if let items = schema.items {
                checkMapKeys(schema, items: items, at: path)
            } else {
                violations.append(.required(itemsPath, "must have a schema if x-kubernetes-list-type is map"))
            }
        }

        guard let listType = schema.listType, listType != .atomic, let items = schema.items else { return }
        if items.nullable {
            violations.append(
                .forbidden(
                    itemsPath.child("nullable"),
                    "cannot be nullable when x-kubernetes-list-type is \(listType.rawValue)"))
        }
        if listType == .map {
            let required = Set(items.required)
            for key in schema.listMapKeys {
                guard let property = items.properties[key] else { continue }
                let propertyPath = itemsPath.child("properties").key(key)
                if !required.contains(key) && property.defaultValue == nil {
                    violations.append(
                        .required(
                            propertyPath.child("default"),
                            "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"
                        ))
                }
                if property.nullable {
                    violations.append(
                        .forbidden(
                            propertyPath.child("nullable"),
                            "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
                }
            }
        }
    }

    private mutating func checkMapKeys(_ schema: StructuralSchema, items: StructuralSchema, at path: FieldPath) {
        let itemsPath = path.child("items")
        guard items.type == .object else {
            violations.append(
                .invalid(
                    itemsPath.child("type"), .string(items.type?.rawValue ?? ""),
                    "must be object if parent array's x-kubernetes-list-type is map"))
            return
        }
        let keysValue = JSONValue.array(schema.listMapKeys.map { .string($0) })
        var seen = Set<String>()
        for key in schema.listMapKeys {
            if let property = items.properties[key] {
                if property.type == .array || property.type == .object {
                    // The apiserver reports the items' type ("object") here, not the key's.
                    violations.append(
                        .invalid(
                            itemsPath.child("properties").key(key).child("type"), .string("object"),
                            "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                }
            } else {
                violations.append(
                    .invalid(
                        path.child("x-kubernetes-list-map-keys"), keysValue,
                        "entries must all be names of item properties"))
            }
            if !seen.insert(key).inserted {
                violations.append(
                    .invalid(path.child("x-kubernetes-list-map-keys"), keysValue, "must not contain duplicate entries"))
            }
        }
    }

    private func typeMismatch(_ schema: StructuralSchema, at path: FieldPath, _ detail: String) -> FieldViolation {
        if let type = schema.type { return .invalid(path.child("type"), .string(type.rawValue), detail) }
        return .required(path.child("type"), detail)
    }
}

// MARK: - Structural schema rules

/// How deep a node is, which decides the message for a missing `type`.
private enum SchemaLevel {
    case root, item, field
}

/// `ValidateStructural`: the invariants that make a schema structural.
private struct StructureRules {
    var violations: [FieldViolation] = []

    mutating func check(_ schema: StructuralSchema, level: SchemaLevel, at path: FieldPath) {
        if schema.type == .array && schema.items == nil {
            violations.append(.required(path.child("items"), "must be specified"))
        }
        if let items = schema.items { check(items, level: .item, at: path.child("items")) }
        for name in GoText.sortedKeys(schema.properties) {
            guard let property = schema.properties[name] else { continue }
            check(property, level: .field, at: path.child("properties").key(name))
        }
        if let additional = schema.additionalProperties {
            if level == .root {
                violations.append(.forbidden(path.child("additionalProperties"), "must not be used at the root"))
            }
            if let sub = additional.schema { check(sub, level: .field, at: path.child("additionalProperties")) }
        }

        if schema.isIntOrString && schema.preservesUnknownFields {
            violations.append(
                .invalid(
                    path.child("x-kubernetes-preserve-unknown-fields"), true,
                    "must be false if x-kubernetes-int-or-string is true"))
        }
        if schema.isIntOrString && schema.isEmbeddedResource {
            violations.append(
                .invalid(
                    path.child("x-kubernetes-embedded-resource"), true,
                    "must be false if x-kubernetes-int-or-string is true"))
        }

        let skipAnyOf = Self.isIntOrStringPattern(schema.anyOf)
        let skipFirstAllOfAnyOf = schema.allOf.first.map { Self.isIntOrStringPattern($0.anyOf) } ?? false
        checkValueValidation(schema, skipAnyOf: skipAnyOf, skipFirstAllOfAnyOf: skipFirstAllOfAnyOf, at: path)

        let typePath = path.child("type")
        if schema.isEmbeddedResource && schema.type != .object {
            let detail = "must be object if x-kubernetes-embedded-resource is true"
            if let type = schema.type {
                violations.append(.invalid(typePath, .string(type.rawValue), detail))
            } else {
                violations.append(.required(typePath, detail))
            }
        } else if schema.type == nil && !schema.isIntOrString && !schema.preservesUnknownFields {
            switch level {
            case .root: violations.append(.required(typePath, "must not be empty at the root"))
            case .item: violations.append(.required(typePath, "must not be empty for specified array items"))
            case .field: violations.append(.required(typePath, "must not be empty for specified object fields"))
            }
        }
        if schema.isEmbeddedResource && schema.additionalProperties != nil {
            violations.append(
                .forbidden(
                    path.child("additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if level == .root, let type = schema.type, type != .object {
            violations.append(.invalid(typePath, .string(type.rawValue), "must be object at the root"))
        }

        let checkMetadata = level == .root || schema.isEmbeddedResource
        if checkMetadata {
            for name in ["apiVersion", "kind"] {
                if let property = schema.properties[name], property.type != .string {
                    violations.append(
                        .invalid(
                            path.child("properties").key(name).child("type"), .string(property.type?.rawValue ?? ""),
                            "must be string"))
                }
            }
        }
        if let metadata = schema.properties["metadata"] {
            let metadataPath = path.child("properties").key("metadata")
            if checkMetadata && metadata.type != .object {
                violations.append(
                    .invalid(metadataPath.child("type"), .string(metadata.type?.rawValue ?? ""), "must be object"))
            }
            if level == .root && !Self.restrictsOnlyNames(metadata) {
                violations.append(
                    .forbidden(
                        metadataPath,
                        "must not specify anything other than name and generateName, but metadata is implicitly specified"
                    ))
            }
        }

        if schema.isEmbeddedResource && !schema.preservesUnknownFields && schema.properties.isEmpty {
            violations.append(
                .required(
                    path.child("properties"),
                    "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
                ))
        }
    }

    /// Whether root `metadata` says nothing beyond its type, a default (checked elsewhere) and schemas for
    /// `name` and `generateName`: the apiserver owns the rest of ObjectMeta.
    private static func restrictsOnlyNames(_ metadata: StructuralSchema) -> Bool {
        var rest = metadata
        let names = Set(rest.properties.keys)
        if !names.isEmpty && names.isSubset(of: ["name", "generateName"]) { rest.properties = [:] }
        rest.type = nil
        rest.defaultValue = nil
        return rest == StructuralSchema()
    }

    /// `anyOf: [{type: integer}, {type: string}]` exactly: the one place a nested `type` is allowed.
    private static func isIntOrStringPattern(_ anyOf: [StructuralSchema]) -> Bool {
        anyOf == [StructuralSchema(type: .integer), StructuralSchema(type: .string)]
    }

    private mutating func checkValueValidation(
        _ schema: StructuralSchema, skipAnyOf: Bool, skipFirstAllOfAnyOf: Bool, at path: FieldPath
    ) {
        if !skipAnyOf {
            for (index, sub) in schema.anyOf.enumerated() {
                checkNested(sub, skipAnyOf: false, at: path.child("anyOf").index(index))
            }
        }
        for (index, sub) in schema.allOf.enumerated() {
            checkNested(sub, skipAnyOf: skipFirstAllOfAnyOf && index == 0, at: path.child("allOf").index(index))
        }
        for (index, sub) in schema.oneOf.enumerated() {
            checkNested(sub, skipAnyOf: false, at: path.child("oneOf").index(index))
        }
        if let not = schema.not { checkNested(not, skipAnyOf: false, at: path.child("not")) }
    }

    /// A node under `allOf`, `anyOf`, `oneOf` or `not` may only validate values; it must not change the
    /// structure that pruning, defaulting and server-side apply rely on.
    private mutating func checkNested(_ schema: StructuralSchema, skipAnyOf: Bool, at path: FieldPath) {
        checkValueValidation(schema, skipAnyOf: skipAnyOf, skipFirstAllOfAnyOf: false, at: path)
        if let items = schema.items { checkNested(items, skipAnyOf: false, at: path.child("items")) }
        for name in GoText.sortedKeys(schema.properties) {
            guard let property = schema.properties[name] else { continue }
            checkNested(property, skipAnyOf: false, at: path.child("properties").key(name))
        }

        let mustBeEmpty = "must be empty to be structural"
        let mustBeUndefined = "must be undefined to be structural"
        let mustBeFalse = "must be false to be structural"
        if schema.type != nil { violations.append(.forbidden(path.child("type"), mustBeEmpty)) }
        if schema.additionalProperties != nil {
            violations.append(.forbidden(path.child("additionalProperties"), mustBeUndefined))
        }
        if schema.defaultValue != nil { violations.append(.forbidden(path.child("default"), mustBeUndefined)) }
        if !(schema.title ?? "").isEmpty { violations.append(.forbidden(path.child("title"), mustBeEmpty)) }
        if !(schema.description ?? "").isEmpty { violations.append(.forbidden(path.child("description"), mustBeEmpty)) }
        if schema.nullable { violations.append(.forbidden(path.child("nullable"), mustBeFalse)) }
        if schema.externalDocs != nil { violations.append(.forbidden(path.child("externalDocs"), mustBeUndefined)) }
        if schema.preservesUnknownFields {
            violations.append(.forbidden(path.child("x-kubernetes-preserve-unknown-fields"), mustBeFalse))
        }
        if schema.isEmbeddedResource {
            violations.append(.forbidden(path.child("x-kubernetes-embedded-resource"), mustBeFalse))
        }
        if schema.isIntOrString { violations.append(.forbidden(path.child("x-kubernetes-int-or-string"), mustBeFalse)) }
        if !schema.listMapKeys.isEmpty {
            violations.append(.forbidden(path.child("x-kubernetes-list-map-keys"), mustBeEmpty))
        }
        if schema.listType != nil {
            violations.append(.forbidden(path.child("x-kubernetes-list-type"), mustBeUndefined))
        }
        if schema.mapType != nil { violations.append(.forbidden(path.child("x-kubernetes-map-type"), mustBeUndefined)) }
        if !schema.validationRules.isEmpty {
            violations.append(.forbidden(path.child("x-kubernetes-validations"), mustBeEmpty))
        }
        if schema.properties["metadata"] != nil {
            // Reasoning about metadata in value validations could restrict it in ways the apiserver does not want.
            violations.append(
                .forbidden(path.child("properties").key("metadata"), "must not be specified in a nested context"))
        }
    }
}

// MARK: - Default rules

/// `ValidateDefaults`: every default must already be pruned and must be valid against its own schema, because
/// it is applied after pruning and is never validated again before it is stored.
private struct DefaultRules {
    var violations: [FieldViolation] = []

    mutating func checkRoot(_ schema: StructuralSchema, at path: FieldPath) {
        // The root is a resource, so its apiVersion, kind and metadata count as resource meta.
        var root = schema
        root.isEmbeddedResource = true
        check(root, at: path, insideMeta: false)
    }

    private mutating func check(_ schema: StructuralSchema, at path: FieldPath, insideMeta: Bool) {
        let insideMeta = schema.isEmbeddedResource ? false : insideMeta
        if let value = schema.defaultValue {
            let defaultPath = path.child("default")
            if insideMeta {
                // The apiserver checks these within a surrounding object against ObjectMeta; the sandbox
                // checks them against their schema only.
                violations += schema.openAPIViolations(of: value, prefix: defaultPath)
            } else {
                if schema.prunedValue(value, isResourceRoot: schema.isEmbeddedResource).value != value {
                    violations.append(.invalid(defaultPath, value, "must not have unknown fields"))
                }
                let meta = schema.embeddedResourceViolations(
                    of: value, at: defaultPath, isResourceRoot: schema.isEmbeddedResource)
                violations += meta.isEmpty ? schema.openAPIViolations(of: value, prefix: defaultPath) : meta
            }
        }
        // Defaults are not followed into additionalProperties, as in the apiserver.
        if let items = schema.items { check(items, at: path.child("items"), insideMeta: insideMeta) }
        for name in GoText.sortedKeys(schema.properties) {
            guard let property = schema.properties[name] else { continue }
            let subInsideMeta = insideMeta || (schema.isEmbeddedResource && StructuralSchema.metaFields.contains(name))
            check(property, at: path.child("properties").key(name), insideMeta: subInsideMeta)
        }
    }
}
