import KubeCore

/// One entry of `metadata.managedFields`: the fields one manager owns through one kind of operation.
struct ManagedFieldsEntry: Sendable, Equatable {
    enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    var manager: String
    var operation: Operation
    /// The version the fields were set through.
    var apiVersion: String
    /// When the manager's fields last changed (RFC 3339).
    var time: String?
    /// `status` (or another subresource) when the write went to one.
    var subresource: String?
    var fields: FieldSet

    /// Who owns the fields: updates through different versions are different owners, applies are not.
    struct Owner: Hashable, Sendable, Comparable {
        var manager: String
        var operation: Operation
        var apiVersion: String
        var subresource: String

        static func < (lhs: Owner, rhs: Owner) -> Bool {
            (lhs.manager, lhs.operation.rawValue, lhs.apiVersion, lhs.subresource) < (rhs.manager, rhs.operation.rawValue, rhs.apiVersion, rhs.subresource)
        }

        /// As conflict messages name the owner: `"kubectl"`, `"ctl" using apps/v1`, with its subresource.
        var conflictName: String {
            var name = "\"\(manager)\""
            if !subresource.isEmpty { name += " with subresource \"\(subresource)\"" }
            if operation == .update { name += " using \(apiVersion)" }
            return name
        }
    }

    var owner: Owner {
        Owner(manager: manager, operation: operation, apiVersion: operation == .update ? apiVersion : "", subresource: subresource ?? "")
    }

    var json: JSONValue {
        var entry: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { entry["time"] = .string(time) }
        if let subresource { entry["subresource"] = .string(subresource) }
        return .object(entry)
    }
}

/// The managed fields of an object, by owner.
struct ManagedFields: Sendable, Equatable {
    var entries: [ManagedFieldsEntry.Owner: ManagedFieldsEntry] = [:]

    /// Whether a request's `managedFields` asks for them to be removed: `[{}]`, as the API documents.
    static func isReset(_ json: JSONValue?) -> Bool {
        json == .array([.object([:])])
    }

    /// Reads `metadata.managedFields`, refusing what kube-apiserver's validation refuses.
    static func parse(_ json: JSONValue?, kind: String, group: String, name: String) throws(APIError) -> ManagedFields {
        var fields = ManagedFields()
        guard let json, json != .null else { return fields }
        func invalid(_ field: String, _ message: String) -> APIError {
            .invalid(kind: kind, group: group, name: name, causes: [.init(type: "FieldValueInvalid", message: message, field: field)])
        }
        guard let list = json.arrayElements else { throw invalid("metadata.managedFields", "Invalid value: must be a list") }
        for (index, item) in list.enumerated() {
            let field = "metadata.managedFields[\(index)]"
            guard let members = item.objectMembers else { throw invalid(field, "Invalid value: must be an object") }
            let operationText = members["operation"]?.stringValue ?? ""
            guard let operation = ManagedFieldsEntry.Operation(rawValue: operationText) else {
                throw .invalid(
                    kind: kind, group: group, name: name,
                    causes: [.init(type: "FieldValueNotSupported", message: "Unsupported value: \"\(operationText)\": supported values: \"Apply\", \"Update\"", field: field + ".operation")])
            }
            if let type = members["fieldsType"]?.stringValue, type != "FieldsV1" {
                throw .invalid(
                    kind: kind, group: group, name: name,
                    causes: [.init(type: "FieldValueNotSupported", message: "Unsupported value: \"\(type)\": supported values: \"FieldsV1\"", field: field + ".fieldsType")])
            }
            let manager = members["manager"]?.stringValue ?? ""
            if manager.utf8.count > FieldManagerName.maxLength {
                throw .invalid(
                    kind: kind, group: group, name: name,
                    causes: [.init(type: "FieldValueTooLong", message: "Too long: may not be longer than \(FieldManagerName.maxLength)", field: field + ".manager")])
            }
            guard let set = FieldSet(fieldsV1: members["fieldsV1"] ?? .object([:])) else {
                throw invalid(field + ".fieldsV1", "Invalid value: not a valid FieldsV1 set")
            }
            let entry = ManagedFieldsEntry(
                manager: manager, operation: operation, apiVersion: members["apiVersion"]?.stringValue ?? "",
                time: members["time"]?.stringValue, subresource: members["subresource"]?.stringValue, fields: set)
            fields.entries[entry.owner] = entry
        }
        return fields
    }

    /// The entries as stored: applies first, then by time and manager, as kube-apiserver orders them;
    /// `nil` when there are none.
    var json: JSONValue? {
        guard !entries.isEmpty else { return nil }
        let sorted = entries.values.sorted { lhs, rhs in
            if lhs.operation != rhs.operation { return lhs.operation == .apply }
            if lhs.time != rhs.time { return (lhs.time ?? "") < (rhs.time ?? "") }
            return lhs.owner < rhs.owner
        }
        return .array(sorted.map(\.json))
    }
}

/// The rules for a `fieldManager` name.
enum FieldManagerName {
    /// The longest name kube-apiserver accepts, in bytes.
    static let maxLength = 128

    /// The name a write without `fieldManager` is recorded under: the User-Agent up to its first `/`,
    /// without unprintable characters and cut to ``maxLength`` bytes at a character boundary, as
    /// kube-apiserver derives it.
    static func `default`(userAgent: String?) -> String {
        let agent = userAgent ?? ""
        let prefix = agent.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var name = ""
        for character in prefix where !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            guard name.utf8.count + character.utf8.count <= maxLength else { break }
            name.append(character)
        }
        return name
    }
}
