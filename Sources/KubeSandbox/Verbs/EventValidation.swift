import KubeCore

/// The checks an Event passes before it is stored, as kube-apiserver's event validation makes them.
///
/// Both APIs' events are checked in the core shape they are stored in, under the rules of the API the
/// client wrote through: through core `v1` only the legacy rules (a namespace that matches the involved
/// object's, and for an event with an `eventTime` the reporting fields, action and reason); through
/// `events.k8s.io/v1` also the strict ones (`eventTime` required, `type` Normal or Warning, the
/// deprecated fields unset, a series that is whole) and, on update, fields that may not change.
/// Field paths are the server's: the internal (core) names, except that the reporting controller is
/// named after the field of the API written through.
enum EventValidation {
    static let reportingInstanceLimit = 128
    static let actionLimit = 128
    static let reasonLimit = 128
    static let noteLimit = 1024

    /// The problems of `event` (core shape) written through `requestAPIVersion`; `old` on an update.
    static func causes(_ event: JSONValue, old: JSONValue?, requestAPIVersion: String) -> [APIError.Cause] {
        let strict = requestAPIVersion == EventConversion.eventsAPIVersion
        var causes = legacyCauses(event, reportingField: strict ? "reportingController" : "reportingComponent")
        guard strict else { return causes }
        if let old {
            if event[member: "series"] != old[member: "series"] { causes += seriesCauses(event) }
            for field in immutableFields where event[member: field] != old[member: field] {
                causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \(shown(event[member: field])): field is immutable", field: field))
            }
            return causes
        }
        causes += seriesCauses(event)
        if isUnset(event[member: "eventTime"]) { causes.append(required("eventTime")) }
        let type = string(event, "type")
        if type != "Normal", type != "Warning" {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\": has invalid value: \(type)", field: "type"))
        }
        for (core, deprecated) in [("firstTimestamp", "deprecatedFirstTimestamp"), ("lastTimestamp", "deprecatedLastTimestamp")]
        where !isUnset(event[member: core]) {
            causes.append(mustBeUnset(deprecated))
        }
        if (event[member: "count"]?.integerValue ?? 0) != 0 { causes.append(mustBeUnset("deprecatedCount")) }
        if !string(event, "source.component").isEmpty || !string(event, "source.host").isEmpty {
            causes.append(mustBeUnset("deprecatedSource"))
        }
        return causes
    }

    /// The fields an `events.k8s.io/v1` update may not change, in the server's order.
    private static let immutableFields = [
        "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "action",
        "related", "reportingComponent", "reportingInstance",
    ]

    /// The rules every event meets, whichever API wrote it.
    private static func legacyCauses(_ event: JSONValue, reportingField: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let namespace = string(event, "metadata.namespace")
        let involvedNamespace = string(event, "involvedObject.namespace")
        let mismatch = APIError.Cause(
            type: "FieldValueInvalid", message: "Invalid value: \"\(involvedNamespace)\": does not match event.namespace",
            field: "involvedObject.namespace")
        if isUnset(event[member: "eventTime"]) {
            // An old-style event: its namespace is the involved object's ("default" standing for none).
            if involvedNamespace.isEmpty ? (namespace != "" && namespace != "default") : namespace != involvedNamespace {
                causes.append(mismatch)
            }
            return causes
        }
        if involvedNamespace.isEmpty, namespace != "default", namespace != "kube-system" { causes.append(mismatch) }
        let controller = string(event, "reportingComponent")
        if controller.isEmpty { causes.append(required(reportingField)) }
        for problem in LabelSelector.keyProblems(controller) {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\(controller)\": \(problem)", field: reportingField))
        }
        for (field, limit) in [("reportingInstance", reportingInstanceLimit), ("action", actionLimit), ("reason", reasonLimit)] {
            let value = string(event, field)
            if value.isEmpty { causes.append(required(field)) }
            if value.count > limit { causes.append(tooLong(field, limit)) }
        }
        if string(event, "message").count > noteLimit { causes.append(tooLong("message", noteLimit)) }
        return causes
    }

    /// A series counts at least two occurrences and says when it saw the last.
    private static func seriesCauses(_ event: JSONValue) -> [APIError.Cause] {
        guard let series = event[member: "series"], series != .null else { return [] }
        var causes: [APIError.Cause] = []
        if (series[member: "count"]?.integerValue ?? 0) < 2 {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\": should be at least 2", field: "series.count"))
        }
        if isUnset(series[member: "lastObservedTime"]) { causes.append(required("series.lastObservedTime")) }
        return causes
    }

    private static func string(_ event: JSONValue, _ path: String) -> String { event.value(atPath: path)?.stringValue ?? "" }

    private static func isUnset(_ value: JSONValue?) -> Bool {
        value == nil || value == .null || value?.stringValue == ""
    }

    private static func required(_ field: String) -> APIError.Cause {
        .init(type: "FieldValueRequired", message: "Required value", field: field)
    }

    private static func mustBeUnset(_ field: String) -> APIError.Cause {
        .init(type: "FieldValueInvalid", message: "Invalid value: \"\": needs to be unset", field: field)
    }

    private static func tooLong(_ field: String, _ limit: Int) -> APIError.Cause {
        .init(type: "FieldValueInvalid", message: "Invalid value: \"\": can have at most \(limit) characters", field: field)
    }

    /// A value in an error message: a string quoted, anything else as compact JSON.
    private static func shown(_ value: JSONValue?) -> String {
        guard let value else { return "null" }
        if let text = value.stringValue { return "\"\(text)\"" }
        return String(decoding: JSONBody.serialize(value, sortingKeys: true), as: UTF8.self)
    }
}
