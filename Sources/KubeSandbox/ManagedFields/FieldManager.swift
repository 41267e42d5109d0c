import KubeCore

/// Server-side field ownership for writes to one kind, as kube-apiserver's field manager keeps it
/// (`k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager` over structured-merge-diff):
///
/// - An *update* (create, update, any non-apply patch) gives its manager every field it added or
///   changed and takes those fields from every other manager; fields it removed are nobody's.
/// - An *apply* makes its manager own exactly the fields of its configuration. A field another manager
///   owns and the configuration would change is a conflict (409) unless the apply is forced, in which case
///   the other manager loses it. A field the manager applied before, no longer applies and nobody else
///   owns is removed from the object.
///
/// Server-set metadata (name, namespace, uid, resourceVersion, generation, creationTimestamp,
/// managedFields, selfLink) and `apiVersion`/`kind` are never owned. Writes to the main resource of a
/// kind with a status subresource do not track `status`; writes to `/status` track nothing else.
struct FieldManager {
    /// The part of the object a write covers.
    enum Scope: Sendable {
        case object(statusIsSeparate: Bool)
        case status
    }

    let schema: ApplySchema
    let scope: Scope
    /// The time recorded for a manager whose fields change.
    let now: String

    private static let unownedMetadata = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// The part of `object` whose fields have owners.
    func tracked(_ object: JSONValue) -> JSONValue {
        var members = object.objectMembers ?? [:]
        switch scope {
        case .status: return .object(members["status"].map { ["status": $0] } ?? [:])
        case .object(let statusIsSeparate): if statusIsSeparate { members["status"] = nil }
        }
        members["apiVersion"] = nil
        members["kind"] = nil
        if var metadata = members["metadata"]?.objectMembers {
            for name in Self.unownedMetadata { metadata[name] = nil }
            members["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        }
        return .object(members)
    }

    // MARK: - Updates

    /// The managed fields after `owner` wrote `new` over `old` (`nil` for a create).
    func update(_ managers: ManagedFields, old: JSONValue?, new: JSONValue, owner: ManagedFieldsEntry) -> ManagedFields {
        let comparison = FieldSetBuilder(schema: schema).compare(old.map(tracked), tracked(new))
        let changed = comparison.added.union(comparison.modified)
        var result = ManagedFields()
        for (id, entry) in managers.entries where id != owner.owner {
            var kept = entry
            kept.fields = entry.fields.subtracting(changed).subtracting(comparison.removed)
            if !kept.fields.isEmpty { result.entries[id] = kept }
        }
        var mine = managers.entries[owner.owner] ?? owner
        let fields = mine.fields.subtracting(comparison.removed).union(changed)
        // Stamped when the write added or changed a field (removing only does not), as kube-apiserver does.
        if managers.entries[owner.owner] == nil || !changed.isEmpty {
            mine.time = now
            mine.apiVersion = owner.apiVersion
        }
        mine.fields = fields
        if !fields.isEmpty { result.entries[owner.owner] = mine }
        return result
    }

    // MARK: - Applies

    /// What an apply makes of the live object (`nil` when it creates the object) and of its managers.
    ///
    /// - Parameters:
    ///   - config: The applied configuration, checked by the caller (type, name, no managedFields).
    ///   - owner: The applying manager's entry (operation `Apply`, no fields yet).
    ///   - force: Whether fields other managers own are taken instead of refused.
    /// - Throws: 409 Conflict naming every conflicting manager and field; 400 when the configuration's
    ///   lists cannot be keyed.
    func apply(
        _ managers: ManagedFields, live: JSONValue?, config: JSONValue, owner: ManagedFieldsEntry, force: Bool
    ) throws(APIError) -> (object: JSONValue, managers: ManagedFields) {
        let builder = FieldSetBuilder(schema: schema)
        let configFields: FieldSet
        do throws(FieldSetBuilder.ListError) {
            configFields = try builder.fields(of: tracked(config))
        } catch {
            throw .badRequest("failed to create typed patch object: \(error.description)")
        }
        var managers = managers
        if let live, managers.entries.isEmpty, let existing = try? builder.fields(of: tracked(live)), !existing.isEmpty {
            // Fields set before anyone applied belong to a placeholder manager, so that an apply does not
            // take them over silently and a later apply can drop them.
            let placeholder = ManagedFieldsEntry(
                manager: "before-first-apply", operation: .update, apiVersion: owner.apiVersion, time: now, subresource: owner.subresource,
                fields: existing)
            managers.entries[placeholder.owner] = placeholder
        }

        let merge = ApplyMerge(schema: schema)
        var object = merge.merge(live ?? .object([:]), scoped(config))
        let previous = managers.entries[owner.owner]
        var mine = owner
        mine.fields = configFields
        mine.time = previous?.time ?? now
        managers.entries[owner.owner] = mine
        if let previous { object = prune(object, lastApplied: previous.fields, managers: managers, merge: merge) }
        // Stamped when the apply changes the object, as kube-apiserver does; a no-op apply keeps the time.
        if previous == nil || tracked(object) != live.map(tracked) || previous?.fields != configFields {
            managers.entries[owner.owner]?.time = now
        }

        let comparison = builder.compare(live.map(tracked), tracked(object))
        let changed = comparison.added.union(comparison.modified)
        var conflicts: [(owner: ManagedFieldsEntry.Owner, path: FieldPathElements)] = []
        for (id, entry) in managers.entries where id != owner.owner {
            conflicts += entry.fields.intersection(changed).paths.map { (id, $0) }
        }
        if !conflicts.isEmpty, !force { throw Self.conflictError(conflicts) }
        for (id, entry) in managers.entries where id != owner.owner {
            var kept = entry
            kept.fields = entry.fields.subtracting(changed).subtracting(comparison.removed)
            managers.entries[id] = kept.fields.isEmpty ? nil : kept
        }
        return (object, managers)
    }

    /// The configuration as far as this write's scope merges it.
    private func scoped(_ config: JSONValue) -> JSONValue {
        var members = config.objectMembers ?? [:]
        switch scope {
        case .status:
            return .object(members["status"].map { ["status": $0] } ?? [:])
        case .object(let statusIsSeparate):
            if statusIsSeparate { members["status"] = nil }
            return .object(members)
        }
    }

    /// Removes what the manager applied last time and applies no more, unless another manager owns it.
    /// A map field another manager owns something below stays with what is owned; a list element nobody
    /// owns goes whole, as structured-merge-diff removes items (its key fields cannot stay behind alone).
    private func prune(_ object: JSONValue, lastApplied: FieldSet, managers: ManagedFields, merge: ApplyMerge) -> JSONValue {
        let owned = managers.entries.values.reduce(FieldSet()) { $0.union($1.fields) }
        var result = object
        for path in lastApplied.subtracting(owned).paths {
            let isElement: Bool
            switch path.last {
            case .key?, .value?, .index?: isElement = true
            default: isElement = false
            }
            guard isElement || !owned.hasPaths(below: path) else { continue }
            result = merge.removing(path, from: result)
        }
        return result
    }

    /// The 409 a conflicting apply gets, worded as kube-apiserver words it.
    static func conflictError(_ conflicts: [(owner: ManagedFieldsEntry.Owner, path: FieldPathElements)]) -> APIError {
        let sorted = conflicts.sorted { ($0.owner.conflictName, $0.path.pathDescription) < ($1.owner.conflictName, $1.path.pathDescription) }
        let message: String
        if sorted.count == 1, let only = sorted.first {
            message = "Apply failed with 1 conflict: conflict with \(only.owner.conflictName): \(only.path.pathDescription)"
        } else {
            var lines: [String] = []
            var current: String?
            for conflict in sorted {
                if conflict.owner.conflictName != current {
                    current = conflict.owner.conflictName
                    lines.append("conflicts with \(conflict.owner.conflictName):")
                }
                lines.append("- \(conflict.path.pathDescription)")
            }
            message = "Apply failed with \(sorted.count) conflicts: " + lines.joined(separator: "\n")
        }
        var error = APIError(code: 409, reason: "Conflict", message: message)
        error.causes = sorted.map {
            .init(type: "FieldManagerConflict", message: "conflict with \($0.owner.conflictName)", field: $0.path.pathDescription)
        }
        return error
    }
}
