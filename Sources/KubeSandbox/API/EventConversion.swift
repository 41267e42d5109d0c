import KubeCore

/// `events.k8s.io/v1` Events are core `v1` Events seen through other field names. A kube-apiserver keeps
/// both in one storage (in the core shape) and converts each request and response through the internal
/// type, so an event written through either API is read, watched, selected and described through both.
/// The two shapes differ only in the names of top-level fields, which is what this converts.
enum EventConversion {
    /// The `events.k8s.io/v1` name of each top-level core field that is renamed; the rest
    /// (`metadata`, `reason`, `type`, `action`, `eventTime`, `series`, `related`, `reportingInstance`)
    /// keep their names.
    static let eventsNames: [String: String] = [
        "involvedObject": "regarding", "message": "note", "reportingComponent": "reportingController",
        "source": "deprecatedSource", "firstTimestamp": "deprecatedFirstTimestamp",
        "lastTimestamp": "deprecatedLastTimestamp", "count": "deprecatedCount",
    ]

    /// The core name of each renamed `events.k8s.io/v1` field.
    static let coreNames: [String: String] = Dictionary(uniqueKeysWithValues: eventsNames.map { ($0.value, $0.key) })

    static let coreAPIVersion = "v1"
    static let eventsAPIVersion = "events.k8s.io/v1"

    /// An `events.k8s.io/v1` object (or merge patch, or applied configuration) in the core shape; core
    /// field names in it are unknown to that API and dropped. An
    /// `apiVersion` of `events.k8s.io/v1` becomes `v1`; any other is left for the core checks to refuse.
    static func toCore(_ event: JSONValue) -> JSONValue {
        var core = renaming(event, by: coreNames)
        if core[member: "apiVersion"]?.stringValue == eventsAPIVersion { core[member: "apiVersion"] = .string(coreAPIVersion) }
        return core
    }

    /// A stored core event as `events.k8s.io/v1` shows it.
    static func toEvents(_ event: JSONValue) -> JSONValue {
        var converted = renaming(event, by: eventsNames)
        if converted[member: "apiVersion"] != nil { converted[member: "apiVersion"] = .string(eventsAPIVersion) }
        return converted
    }

    /// A strategic merge patch written against `events.k8s.io/v1`, against the core shape: its fields,
    /// and the field names its directives (`$setElementOrder/FIELD`, `$deleteFromPrimitiveList/FIELD`,
    /// `$retainKeys`) carry.
    static func strategicPatchToCore(_ patch: JSONValue) -> JSONValue {
        guard var members = toCore(patch).objectMembers else { return patch }
        for (key, value) in members {
            for prefix in ["$setElementOrder/", "$deleteFromPrimitiveList/"] where key.hasPrefix(prefix) {
                let field = String(key.dropFirst(prefix.count))
                guard let core = coreNames[field] else { continue }
                members[key] = nil
                members[prefix + core] = value
            }
        }
        if let retained = members["$retainKeys"]?.arrayElements {
            members["$retainKeys"] = .array(retained.map { name in name.stringValue.flatMap { coreNames[$0] }.map(JSONValue.string) ?? name })
        }
        return .object(members)
    }

    /// A JSON patch (RFC 6902) written against `events.k8s.io/v1`, against the core shape: the first
    /// segment of each `path` and `from` renamed, and an `apiVersion` written by the patch converted.
    static func jsonPatchToCore(_ patch: JSONValue) -> JSONValue {
        guard let operations = patch.arrayElements else { return patch }
        return .array(
            operations.map { operation in
                guard var members = operation.objectMembers else { return operation }
                for key in ["path", "from"] {
                    guard let pointer = members[key]?.stringValue, pointer.hasPrefix("/") else { continue }
                    let segments = pointer.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                    guard let first = segments.first, let core = coreNames[String(first)] else { continue }
                    members[key] = .string("/" + ([core] + segments.dropFirst().map(String.init)).joined(separator: "/"))
                }
                if members["path"]?.stringValue == "/apiVersion", members["value"]?.stringValue == eventsAPIVersion {
                    members["value"] = .string(coreAPIVersion)
                }
                if let value = members["value"], members["path"]?.stringValue == "" { members["value"] = toCore(value) }
                return .object(members)
            })
    }

    /// The field labels `events.k8s.io/v1` selects by, each with the core label it stands for
    /// (apiserver's field-label conversion for the Event kind of that group).
    static let selectableFields: [String: String] = [
        "metadata.name": "metadata.name", "metadata.namespace": "metadata.namespace", "reason": "reason", "type": "type",
        "reportingController": "reportingComponent", "regarding.kind": "involvedObject.kind",
        "regarding.namespace": "involvedObject.namespace", "regarding.name": "involvedObject.name",
        "regarding.uid": "involvedObject.uid", "regarding.apiVersion": "involvedObject.apiVersion",
        "regarding.resourceVersion": "involvedObject.resourceVersion", "regarding.fieldPath": "involvedObject.fieldPath",
    ]

    /// A `fieldSelector` written in `events.k8s.io/v1` labels, in core labels.
    ///
    /// - Throws: 400 `field label not supported: LABEL` for a label the newer API does not select by
    ///   (`source`, or a core name such as `involvedObject.name`).
    static func fieldSelectorToCore(_ text: String) throws(APIError) -> String {
        let selector: FieldSelector
        do {
            selector = try FieldSelector.parse(text)
        } catch {
            throw .badRequest(error.description)
        }
        if let unsupported = selector.fieldNames.sorted().first(where: { selectableFields[$0] == nil }) {
            throw .badRequest("field label not supported: \(unsupported)")
        }
        return FieldSelector(
            requirements: selector.requirements.map { .init(field: selectableFields[$0.field] ?? $0.field, operator: $0.operator, value: $0.value) }
        ).description
    }

    /// Renames the fields `names` maps. A field already under a target name is unknown in the source
    /// shape (`message` sent to `events.k8s.io`), so it is dropped, as the server drops unknown fields,
    /// instead of competing with the field renamed to it.
    private static func renaming(_ object: JSONValue, by names: [String: String]) -> JSONValue {
        guard let members = object.objectMembers else { return object }
        let targets = Set(names.values)
        var renamed: [String: JSONValue] = [:]
        for (key, value) in members where names[key] != nil || !targets.contains(key) { renamed[names[key] ?? key] = value }
        return .object(renamed)
    }
}
