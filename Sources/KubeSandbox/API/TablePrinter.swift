import Foundation
import KubeCore

/// Server-side printing: objects as a `meta.k8s.io/v1` `Table` with the columns `kubectl get` shows.
///
/// Built-in kinds get the columns of kube-apiserver's printers (``BuiltinColumns``); a custom resource
/// gets Name, its CRD version's `additionalPrinterColumns`, and Age. Every column is always sent, wide
/// ones (`priority: 1`) included, as a real server does: `kubectl get` hides them unless `-o wide`.
struct TablePrinter: Sendable {
    /// One column: its definition and how a cell is read from an object.
    struct Column: Sendable {
        var name: String
        var type: String
        var format = ""
        var description: String
        var priority = 0
        var cell: @Sendable (JSONValue) -> JSONValue
    }

    let columns: [Column]
    let now: Date

    /// The columns for a resource; `customColumns` are a CRD version's `additionalPrinterColumns`.
    init(resource: ResourceType, customColumns: [JSONValue]?, now: Date) {
        self.now = now
        if !resource.isCustom {
            columns = BuiltinColumns.columns(for: resource.storageKey, now: now)
            return
        }
        var columns = [Self.nameColumn]
        for definition in customColumns ?? [] {
            guard let title = definition[member: "name"]?.stringValue, let path = definition[member: "jsonPath"]?.stringValue else { continue }
            let type = definition[member: "type"]?.stringValue ?? "string"
            columns.append(
                Column(
                    name: title, type: type, format: definition[member: "format"]?.stringValue ?? "",
                    description: definition[member: "description"]?.stringValue ?? "",
                    priority: Int(definition[member: "priority"]?.integerValue ?? 0)
                ) { object in
                    let value = Self.evaluate(path, in: object) ?? .null
                    if type == "date", let date = Self.date(value) {
                        return .string(Self.duration(now.timeIntervalSince(date)))
                    }
                    return value
                })
        }
        // A CRD that declares its own Age column (with creationTimestamp) replaces the default one.
        if !columns.contains(where: { $0.name == "Age" }) { columns.append(Self.ageColumn(now: now)) }
        self.columns = columns
    }

    /// The table of some objects.
    func table(_ objects: [JSONValue], resourceVersion: String?, continueToken: String? = nil) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        return .object([
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
            "columnDefinitions": .array(
                columns.map {
                    .object([
                        "name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                        "description": .string($0.description), "priority": .integer(Int64($0.priority)),
                    ])
                }),
            "rows": .array(objects.map(row)),
        ])
    }

    func row(_ object: JSONValue) -> JSONValue {
        .object(["cells": .array(columns.map { $0.cell(object) }), "object": Representation.partialMetadata(object)])
    }

    // MARK: - Columns every kind shares

    /// The object's name; first for almost every kind (events put it last, as a wide column).
    static let nameColumn = Column(name: "Name", type: "string", format: "name", description: "The object's name, unique within its namespace.") {
        $0.value(atPath: "metadata.name") ?? ""
    }

    /// How long ago the object was created (`5m`).
    static func ageColumn(now: Date) -> Column {
        Column(name: "Age", type: "string", description: "How long ago the object was created.") { object in
            .string(age(of: object, now: now))
        }
    }

    /// The creation time as an RFC 3339 timestamp: the column of kinds that have no printer of their own
    /// (roles, limit ranges, CRDs), which the API server's default table convertor prints.
    static let createdAtColumn = Column(name: "Created At", type: "date", description: "When the object was created.") { object in
        // Go prints its zero time for an object without one, rather than leaving the cell out.
        guard let created = date(object.value(atPath: "metadata.creationTimestamp")) else { return "0001-01-01T00:00:00Z" }
        return .string(created.formatted(.iso8601))
    }

    // MARK: - Cell helpers

    /// A JSONPath of the simple form printer columns use: `.status.phase`, `.spec.ports[0].port`,
    /// `.metadata.labels.app`. Anything more is not evaluated (the cell is empty).
    static func evaluate(_ path: String, in object: JSONValue) -> JSONValue? {
        var text = path.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{"), text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        guard text.hasPrefix(".") else { return nil }
        var current: JSONValue? = object
        for segment in text.dropFirst().split(separator: ".") {
            var name = Substring(segment)
            var index: Int?
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
                name = name[..<open]
                if index == nil { return nil }
            }
            if !name.isEmpty { current = current?[member: String(name)] }
            if let index { current = current?.arrayElements.flatMap { $0.indices.contains(index) ? $0[index] : nil } }
        }
        return current
    }

    static func age(of object: JSONValue, now: Date) -> String {
        since(object.value(atPath: "metadata.creationTimestamp"), now: now)
    }

    /// The time since a timestamp as kubectl prints it, `<unknown>` when there is none (as for Go's
    /// zero time).
    static func since(_ timestamp: JSONValue?, now: Date) -> String {
        guard let date = date(timestamp) else { return "<unknown>" }
        return duration(now.timeIntervalSince(date))
    }

    /// A `metav1.Time` (`2024-05-01T10:00:00Z`) or `metav1.MicroTime` (`…T10:00:00.123456Z`).
    static func date(_ timestamp: JSONValue?) -> Date? {
        guard let text = timestamp?.stringValue, !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A duration as kubectl prints ages (apimachinery's `HumanDuration`, about three significant
    /// figures): `45s`, `3m12s`, `120m`, `5h10m`, `25h`, `2d3h`, `400d`, `3y20d`, `9y`.
    static func duration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        // A second of clock skew reads as now; more than that in the future is flagged.
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(days)d" }
        let years = days / 365
        if hours < 24 * 365 * 8 { return days % 365 == 0 ? "\(years)y" : "\(years)y\(days % 365)d" }
        return "\(years)y"
    }
}
