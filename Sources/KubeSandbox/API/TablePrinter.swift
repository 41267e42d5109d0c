import Foundation
import KubeCore

/// Server-side printing: objects as a `meta.k8s.io/v1` `Table` with the columns `kubectl get` shows,
/// the built-in kinds' usual ones, and a custom resource's `additionalPrinterColumns`.
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
        let name = Column(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.") {
            $0.value(atPath: "metadata.name") ?? ""
        }
        let age = Column(name: "Age", type: "string", description: "CreationTimestamp is the time the object was created.") { object in
            .string(Self.age(of: object, now: now))
        }
        var columns = [name]
        switch resource.storageKey {
        case StorageKey(group: "", resource: "pods"):
            columns += [
                Column(name: "Ready", type: "string", description: "The containers ready out of all.") { pod in
                    let statuses = pod.value(atPath: "status.containerStatuses")?.arrayElements ?? []
                    let total = pod.value(atPath: "spec.containers")?.arrayElements?.count ?? statuses.count
                    return .string("\(statuses.count { $0[member: "ready"]?.boolValue == true })/\(total)")
                },
                Column(name: "Status", type: "string", description: "The pod's phase, or why it is not running.") { pod in
                    if pod.value(atPath: "metadata.deletionTimestamp") != nil { return "Terminating" }
                    for status in pod.value(atPath: "status.containerStatuses")?.arrayElements ?? [] {
                        if let reason = status.value(atPath: "state.waiting.reason")?.stringValue { return .string(reason) }
                    }
                    return pod.value(atPath: "status.phase") ?? "Pending"
                },
                Column(name: "Restarts", type: "string", description: "Container restarts.") { pod in
                    let statuses = pod.value(atPath: "status.containerStatuses")?.arrayElements ?? []
                    return .string(String(statuses.reduce(0) { $0 + ($1[member: "restartCount"]?.integerValue ?? 0) }))
                },
            ]
        case StorageKey(group: "apps", resource: "deployments"):
            columns += [
                Column(name: "Ready", type: "string", description: "Ready replicas out of desired.") { deployment in
                    let ready = deployment.value(atPath: "status.readyReplicas")?.integerValue ?? 0
                    let desired = deployment.value(atPath: "spec.replicas")?.integerValue ?? 1
                    return .string("\(ready)/\(desired)")
                },
                Column(name: "Up-to-date", type: "integer", description: "Replicas of the latest template.") {
                    $0.value(atPath: "status.updatedReplicas") ?? 0
                },
                Column(name: "Available", type: "integer", description: "Replicas available.") {
                    $0.value(atPath: "status.availableReplicas") ?? 0
                },
            ]
        case StorageKey(group: "", resource: "configmaps"):
            columns.append(Column(name: "Data", type: "integer", description: "Number of keys in data and binaryData.") { map in
                .integer(Int64((map[member: "data"]?.objectMembers?.count ?? 0) + (map[member: "binaryData"]?.objectMembers?.count ?? 0)))
            })
        case StorageKey(group: "", resource: "secrets"):
            columns += [
                Column(name: "Type", type: "string", description: "The type of the secret.") { $0[member: "type"] ?? "Opaque" },
                Column(name: "Data", type: "integer", description: "Number of keys in data.") { secret in
                    .integer(Int64(secret[member: "data"]?.objectMembers?.count ?? 0))
                },
            ]
        case StorageKey(group: "", resource: "namespaces"):
            columns.append(Column(name: "Status", type: "string", description: "The namespace's phase.") { $0.value(atPath: "status.phase") ?? "" })
        default:
            break
        }
        if let customColumns {
            for definition in customColumns {
                guard let title = definition[member: "name"]?.stringValue, let path = definition[member: "jsonPath"]?.stringValue else { continue }
                let type = definition[member: "type"]?.stringValue ?? "string"
                columns.append(
                    Column(
                        name: title, type: type, format: definition[member: "format"]?.stringValue ?? "",
                        description: definition[member: "description"]?.stringValue ?? "",
                        priority: Int(definition[member: "priority"]?.integerValue ?? 0)
                    ) { object in
                        let value = Self.evaluate(path, in: object) ?? .null
                        if type == "date", let text = value.stringValue, let date = try? Date(text, strategy: .iso8601) {
                            return .string(Self.duration(now.timeIntervalSince(date)))
                        }
                        return value
                    })
            }
        }
        // A CRD that declares its own Age column (with creationTimestamp) replaces the default one.
        if !columns.contains(where: { $0.name == "Age" }) { columns.append(age) }
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
        guard let text = object.value(atPath: "metadata.creationTimestamp")?.stringValue, let created = try? Date(text, strategy: .iso8601) else {
            return "<unknown>"
        }
        return duration(now.timeIntervalSince(created))
    }

    /// A duration as kubectl prints ages: `45s`, `3m12s`, `5h`, `2d3h`, `400d`.
    static func duration(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return "\(minutes)m\(seconds % 60 == 0 ? "" : "\(seconds % 60)s")" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days < 8 { return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h" }
        return "\(days)d"
    }
}
