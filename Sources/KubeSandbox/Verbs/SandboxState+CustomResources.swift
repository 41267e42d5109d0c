import KubeCore

/// A served version of a custom resource: where it is served and the schema its objects are held to.
struct CustomResourceVersion: Sendable {
    var resource: ResourceType
    var schema: StructuralSchema?
    /// The version's `additionalPrinterColumns`.
    var printerColumns: [JSONValue]?
}

extension SandboxState {
    static let customResourceDefinitions = StorageKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    /// Checks a CustomResourceDefinition as the apiextensions server does before storing it, and
    /// returns the versions it will serve.
    ///
    /// - Throws: 422 Invalid naming each field that is wrong.
    static func customResourceVersions(of crd: JSONValue) throws(APIError) -> [CustomResourceVersion] {
        let name = ObjectView(crd).name ?? ""
        var causes: [APIError.Cause] = []
        func require(_ path: String) -> String? {
            guard let value = crd.value(atPath: path)?.stringValue, !value.isEmpty else {
                causes.append(.init(type: "FieldValueRequired", message: "Required value", field: path))
                return nil
            }
            return value
        }
        let group = require("spec.group")
        let plural = require("spec.names.plural")
        let kind = require("spec.names.kind")
        let scope = require("spec.scope")
        if let scope, scope != "Namespaced", scope != "Cluster" {
            causes.append(.init(type: "FieldValueNotSupported", message: "Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"", field: "spec.scope"))
        }
        if let group, let plural, name != "\(plural).\(group)" {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group", field: "metadata.name"))
        }
        let versions = crd.value(atPath: "spec.versions")?.arrayElements ?? []
        if versions.isEmpty { causes.append(.init(type: "FieldValueRequired", message: "Required value: must have exactly one version marked as storage version", field: "spec.versions")) }
        let storageCount = versions.count { $0[member: "storage"]?.boolValue == true }
        if !versions.isEmpty, storageCount != 1 {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: must have exactly one version marked as storage version", field: "spec.versions"))
        }
        var served: [CustomResourceVersion] = []
        for (index, version) in versions.enumerated() {
            guard let versionName = version[member: "name"]?.stringValue, !versionName.isEmpty else {
                causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.versions[\(index)].name"))
                continue
            }
            var schema: StructuralSchema?
            if let json = version.value(atPath: "schema.openAPIV3Schema") {
                do throws(SchemaError) {
                    schema = try StructuralSchema.parse(json, path: "spec.versions[\(index)].schema.openAPIV3Schema")
                } catch {
                    causes += error.violations.map { .init(type: $0.reason.rawValue, message: $0.message, field: $0.path) }
                }
            } else {
                causes.append(.init(type: "FieldValueRequired", message: "Required value: schemas are required", field: "spec.versions[\(index)].schema.openAPIV3Schema"))
            }
            guard version[member: "served"]?.boolValue == true, let group, let plural, let kind, let scope else { continue }
            let subresources = version[member: "subresources"]
            served.append(
                CustomResourceVersion(
                    resource: ResourceType(
                        group: group, version: versionName, kind: kind, plural: plural,
                        singular: crd.value(atPath: "spec.names.singular")?.stringValue ?? kind.lowercased(),
                        namespaced: scope == "Namespaced",
                        shortNames: crd.value(atPath: "spec.names.shortNames")?.arrayElements?.compactMap(\.stringValue) ?? [],
                        categories: crd.value(atPath: "spec.names.categories")?.arrayElements?.compactMap(\.stringValue) ?? [],
                        hasStatus: subresources?[member: "status"] != nil, hasScale: subresources?[member: "scale"] != nil,
                        customScale: CustomScalePaths(subresources?[member: "scale"]), isCustom: true),
                    schema: schema, printerColumns: version[member: "additionalPrinterColumns"]?.arrayElements))
        }
        if !causes.isEmpty { throw .invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: name, causes: causes) }
        return served
    }

    /// Starts serving a CRD's versions and reports it established, as its controllers do once the
    /// names are accepted.
    mutating func establish(_ crd: JSONValue, versions: [CustomResourceVersion]) -> [StoreChange] {
        guard let first = versions.first else { return [] }
        registry.remove(first.resource.storageKey)
        for version in versions {
            registry.add(version.resource)
            customSchemas[SchemaKey(version.resource)] = version.schema
            printerColumns[SchemaKey(version.resource)] = version.printerColumns
        }
        var object = ObjectView(crd)
        let now = timestamp()
        let storage = (crd.value(atPath: "spec.versions")?.arrayElements ?? [])
            .first { $0[member: "storage"]?.boolValue == true }?[member: "name"] ?? .null
        var status = object.status ?? .object([:])
        // Conditions already true keep their transition times; stored versions accumulate, as a real
        // server keeps every version objects may still be stored in.
        var conditions = status[member: "conditions"]?.arrayElements ?? []
        for (type, reason, message) in [
            ("NamesAccepted", "NoConflicts", "no conflicts found"), ("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ] where !conditions.contains(where: { $0[member: "type"]?.stringValue == type && $0[member: "status"] == "True" }) {
            conditions.removeAll { $0[member: "type"]?.stringValue == type }
            conditions.append(["type": .string(type), "status": "True", "reason": .string(reason), "message": .string(message), "lastTransitionTime": .string(now)])
        }
        status[member: "conditions"] = .array(conditions)
        status[member: "acceptedNames"] = crd.value(atPath: "spec.names") ?? .object([:])
        var stored = status[member: "storedVersions"]?.arrayElements ?? []
        if !stored.contains(storage) { stored.append(storage) }
        status[member: "storedVersions"] = .array(stored)
        object.status = status
        guard object.json != crd, let name = object.name else { return [] }
        return [store.put(Self.customResourceDefinitions, ObjectName(namespace: "", name: name), object.json)]
    }

    /// Stops serving a deleted CRD's resource; its objects go with it and their watches end.
    mutating func withdraw(_ crd: JSONValue) -> StorageKey? {
        guard let group = crd.value(atPath: "spec.group")?.stringValue, let plural = crd.value(atPath: "spec.names.plural")?.stringValue else {
            return nil
        }
        let key = StorageKey(group: group, resource: plural)
        registry.remove(key)
        customSchemas = customSchemas.filter { $0.key.group != group || $0.key.plural != plural }
        printerColumns = printerColumns.filter { $0.key.group != group || $0.key.plural != plural }
        store.drop(key)
        return key
    }

    /// A custom resource as it is stored: unknown fields pruned (refused when `strict`), defaults applied,
    /// then checked against its version's schema.
    func admitCustomResource(_ object: JSONValue, resource: ResourceType, name: String, strict: Bool) throws(APIError) -> JSONValue {
        guard resource.isCustom, let schema = customSchemas[SchemaKey(resource)] ?? nil else { return object }
        let (pruned, removed) = schema.pruned(object)
        if strict, !removed.isEmpty {
            throw .badRequest("strict decoding error: " + removed.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
        }
        let defaulted = schema.applyingDefaults(to: pruned)
        let violations = schema.validate(defaulted)
        if !violations.isEmpty {
            throw .invalid(
                kind: resource.kind, group: resource.group, name: name,
                causes: violations.map { .init(type: $0.reason.rawValue, message: $0.message, field: $0.path) })
        }
        return defaulted
    }
}

/// Where a custom resource version's schema is kept.
struct SchemaKey: Hashable, Sendable {
    var group: String
    var version: String
    var plural: String

    init(_ resource: ResourceType) {
        group = resource.group
        version = resource.version
        plural = resource.plural
    }
}
