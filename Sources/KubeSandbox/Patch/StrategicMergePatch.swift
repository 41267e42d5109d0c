import KubeCore

/// How strategic merge patch treats the fields of one kind: which lists merge, and by which key.
///
/// This is what kube-apiserver reads from the `patchStrategy` and `patchMergeKey` tags of the Go types. The
/// schema is a tree of field names from the object root; a list's node also describes the fields of its
/// elements (`spec.template.spec.containers.env` is the `env` of every container). Fields without a node merge
/// as maps when they are objects and are replaced whole when they are lists, as for any Go field without tags.
struct PatchSchema: Sendable, Hashable {
    /// How a list-valued field combines with the patch.
    enum ListStrategy: Sendable, Hashable {
        /// The patch's list replaces the stored one (no `patchStrategy` tag).
        case atomic
        /// `patchStrategy:"merge"`: elements that are maps are matched by the value of `key`
        /// (`patchMergeKey`); elements that are strings or numbers merge as a set, for which `key` is `nil`.
        case merge(key: String?)
    }

    /// How this field merges when it is a list.
    var list: ListStrategy
    /// The declared fields under this one, by name.
    var fields: [String: PatchSchema]

    /// A schema node.
    ///
    /// - Parameters:
    ///   - list: How this field merges when it is a list.
    ///   - fields: The declared fields under it.
    init(list: ListStrategy = .atomic, fields: [String: PatchSchema] = [:]) {
        self.list = list
        self.fields = fields
    }

    /// A schema built from a table of dotted field paths, such as `"spec.ports": .merge(key: "port")`.
    ///
    /// - Parameter paths: The strategy of each listed field, by its path from the object root.
    init(paths: [String: ListStrategy]) {
        self.init()
        for (path, strategy) in paths {
            insert(path.split(separator: ".")[...], strategy)
        }
    }

    /// The schema with nothing declared: maps merge, lists are replaced.
    static let empty = PatchSchema()

    /// The node of the field `name`, or ``empty`` when the schema does not declare it.
    ///
    /// - Parameter name: A field name.
    func field(_ name: String) -> PatchSchema {
        fields[name] ?? .empty
    }

    /// Whether lists at this node merge rather than being replaced.
    var mergesList: Bool {
        if case .merge = list { return true }
        return false
    }

    /// The merge key of lists of maps at this node.
    var mergeKey: String? {
        if case .merge(let key) = list { return key }
        return nil
    }

    private mutating func insert(_ components: ArraySlice<Substring>, _ strategy: ListStrategy) {
        guard let first = components.first else {
            list = strategy
            return
        }
        var child = fields[String(first)] ?? PatchSchema()
        child.insert(components.dropFirst(), strategy)
        fields[String(first)] = child
    }
}

// MARK: - Built-in kinds

extension PatchSchema {
    /// The schema of a built-in kind the sandbox serves, or `nil` for any other kind.
    ///
    /// `nil` is what a custom resource gets: kube-apiserver has no Go types for it and answers a strategic merge
    /// patch with 415 (``PatchError/unsupportedMediaType(accepted:)`` with
    /// ``StrategicMergePatch/customResourcePatchTypes``). A built-in kind newly served by the sandbox must be
    /// added here.
    ///
    /// - Parameters:
    ///   - group: The API group; empty for the core group.
    ///   - kind: The kind, such as `Deployment`.
    static func builtin(group: String, kind: String) -> PatchSchema? {
        builtinSchemas[BuiltinKind(group: group, kind: kind)]
    }

    private struct BuiltinKind: Hashable {
        var group: String
        var kind: String
    }

    private static let builtinSchemas: [BuiltinKind: PatchSchema] = {
        var kinds: [BuiltinKind: [String: ListStrategy]] = [:]
        // Kinds whose only declared lists are in their ObjectMeta.
        let plain: [(String, [String])] = [
            ("", ["ConfigMap", "Secret", "LimitRange", "ResourceQuota", "Event"]),
            ("networking.k8s.io", ["NetworkPolicy"]),
            ("coordination.k8s.io", ["Lease"]),
            ("events.k8s.io", ["Event"]),
            ("rbac.authorization.k8s.io", ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]),
            ("apiextensions.k8s.io", ["CustomResourceDefinition"]),
        ]
        for (group, names) in plain {
            for name in names { kinds[BuiltinKind(group: group, kind: name)] = [:] }
        }
        kinds[BuiltinKind(group: "", kind: "Pod")] =
            prefixed("spec", podSpec).merging(prefixed("status", podStatus)) { $1 }
        kinds[BuiltinKind(group: "", kind: "Service")] = [
            "spec.ports": .merge(key: "port"),
            "status.conditions": .merge(key: "type"),
        ]
        kinds[BuiltinKind(group: "", kind: "ServiceAccount")] = ["secrets": .merge(key: "name")]
        kinds[BuiltinKind(group: "", kind: "Namespace")] = ["status.conditions": .merge(key: "type")]
        let workload = prefixed("spec.template.metadata", objectMeta)
            .merging(prefixed("spec.template.spec", podSpec)) { $1 }
            .merging(["status.conditions": .merge(key: "type")]) { $1 }
        kinds[BuiltinKind(group: "apps", kind: "Deployment")] = workload
        kinds[BuiltinKind(group: "apps", kind: "ReplicaSet")] = workload
        kinds[BuiltinKind(group: "policy", kind: "PodDisruptionBudget")] = ["status.conditions": .merge(key: "type")]

        let metadata = prefixed("metadata", objectMeta)
        return kinds.mapValues { PatchSchema(paths: metadata.merging($0) { $1 }) }
    }()

    /// `ObjectMeta`: labels and annotations are maps and need no entry; `managedFields` is atomic.
    private static let objectMeta: [String: ListStrategy] = [
        "finalizers": .merge(key: nil),
        "ownerReferences": .merge(key: "uid"),
    ]

    /// `Container` and `EphemeralContainerCommon`; `command`, `args`, `envFrom` and `resizePolicy` are atomic.
    private static let container: [String: ListStrategy] = [
        "env": .merge(key: "name"),
        "ports": .merge(key: "containerPort"),
        "volumeMounts": .merge(key: "mountPath"),
        "volumeDevices": .merge(key: "devicePath"),
    ]

    /// `PodSpec`.
    private static let podSpec: [String: ListStrategy] = {
        var entries: [String: ListStrategy] = [
            "volumes": .merge(key: "name"),
            "imagePullSecrets": .merge(key: "name"),
            "hostAliases": .merge(key: "ip"),
            "topologySpreadConstraints": .merge(key: "topologyKey"),
            "schedulingGates": .merge(key: "name"),
            "resourceClaims": .merge(key: "name"),
            // No patchStrategy in the Go type: a patch's tolerations replace the stored ones.
            "tolerations": .atomic,
        ]
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            entries[list] = .merge(key: "name")
            entries.merge(prefixed(list, container)) { $1 }
        }
        return entries
    }()

    /// `PodStatus`; `containerStatuses` and the other status lists are atomic.
    private static let podStatus: [String: ListStrategy] = [
        "conditions": .merge(key: "type"),
        "podIPs": .merge(key: "ip"),
        "hostIPs": .merge(key: "ip"),
        "resourceClaimStatuses": .merge(key: "name"),
    ]

    private static func prefixed(_ prefix: String, _ entries: [String: ListStrategy]) -> [String: ListStrategy] {
        Dictionary(uniqueKeysWithValues: entries.map { ("\(prefix).\($0.key)", $0.value) })
    }
}

// MARK: - Applying

/// `application/strategic-merge-patch+json` for built-in kinds, with kube-apiserver's behaviour
/// (`k8s.io/apimachinery/pkg/util/strategicpatch`, server side: parallel lists merged, unmatched `null`s
/// ignored).
///
/// Maps merge key by key and `null` deletes a key. Lists the ``PatchSchema`` declares as merging combine with
/// the stored list: maps by merge key (a patch element updates the stored element with the same key, or is
/// added), strings and numbers as a set; other lists are replaced whole. The order of a merged list is the
/// apiserver's: elements the patch names first in the patch's order, interleaved with the stored-only elements
/// in their stored order, so an element the patch adds comes before the stored-only elements that follow it.
///
/// Directives:
/// - `$patch: replace` in a map replaces the map with the rest of the patch map; as an element of a merging
///   list it replaces the whole list with the patch's other elements.
/// - `$patch: delete` in a map empties it (the field stays, as `{}`); as an element of a merging list of maps it
///   deletes the stored elements with its merge key value.
/// - `$deleteFromPrimitiveList/<field>: [values]` removes every occurrence of the values from a list of strings
///   or numbers.
/// - `$setElementOrder/<field>: [...]` (kubectl sends it) is honoured: the merged list follows its order, with
///   stored-only elements kept among them; for a replaced list of maps it is accepted and ignored.
/// - `$retainKeys: [names]` removes the map's other keys before merging; every non-null key of the patch map
///   must be listed.
///
/// Patch content stored as it is (a new field, a field whose type changes, a `$patch: replace` body, a replaced
/// list, an added list element) loses its `null` members, its maps carrying `$patch` and its other directive
/// keys, as kube-apiserver's `removeDirectives` and Go decoding leave them. Errors have kube-apiserver's
/// status: 400 for malformed directives, 422 for lists of lists, 500 (with the library's message) otherwise.
struct StrategicMergePatch: Sendable {
    /// The patch content types kube-apiserver accepts for custom resources, in the order its 415 lists them.
    static let customResourcePatchTypes = [
        "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
    ]

    /// The merge keys and strategies of the kind being patched.
    var schema: PatchSchema

    /// A patcher for objects described by `schema`.
    ///
    /// - Parameter schema: The kind's schema, usually from ``PatchSchema/builtin(group:kind:)``.
    init(schema: PatchSchema) {
        self.schema = schema
    }

    /// A patcher for a built-in kind the sandbox serves.
    ///
    /// - Parameters:
    ///   - group: The API group; empty for the core group.
    ///   - kind: The kind.
    /// - Returns: `nil` for kinds without a built-in schema, such as custom resources, for which kube-apiserver
    ///   refuses strategic merge patch with 415.
    init?(group: String, kind: String) {
        guard let schema = PatchSchema.builtin(group: group, kind: kind) else { return nil }
        self.init(schema: schema)
    }

    /// Applies `patch` to `target`.
    ///
    /// - Parameters:
    ///   - patch: The patch document; `null` changes nothing, as Go decodes it to an empty map.
    ///   - target: The stored object; anything but an object is patched as an empty object.
    /// - Returns: The patched object.
    /// - Throws: ``PatchError``: 400 when the patch is not an object or a directive is malformed, 422 for lists
    ///   of lists, 500 for a missing merge key, an unknown `$patch` value and the other failures kube-apiserver
    ///   reports that way.
    func apply(_ patch: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        let changes: [String: JSONValue]
        switch patch {
        case .object(let members): changes = members
        case .null: return target
        default:
            throw .badRequest(
                "json: cannot unmarshal \(GoFormat.jsonTypeWord(patch)) into Go value of type map[string]interface {}")
        }
        let original: [String: JSONValue]
        if case .object(let members) = target { original = members } else { original = [:] }
        return .object(try Merge.map(original, changes, schema: schema))
    }
}

/// The merge itself, following `strategicpatch.mergeMap` and `mergeSlice` step by step.
private enum Merge {
    static let directiveMarker = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let deletePrefix = "$deleteFromPrimitiveList"
    static let orderPrefix = "$setElementOrder"

    // MARK: Maps

    static func map(_ original: [String: JSONValue], _ patch: [String: JSONValue], schema: PatchSchema)
        throws(PatchError) -> [String: JSONValue]
    {
        var patch = patch
        if let directive = patch[directiveMarker] {
            switch directive {
            case "replace":
                patch[directiveMarker] = nil
                return literalMembers(patch)
            case "delete":
                return [:]
            default:
                throw badPatchType(directive, patch)
            }
        }
        var original = original
        try applyRetainKeys(&original, &patch)
        try applyElementOrder(&original, &patch, schema: schema)

        // Go visits the patch in map order, which is random; here deletion lists come after the fields
        // (what kubectl's patches assume), each group in key order, so results are reproducible.
        let keys = patch.keys.sorted()
        let ordered = keys.filter { !$0.hasPrefix(deletePrefix) } + keys.filter { $0.hasPrefix(deletePrefix) }
        for key in ordered {
            guard let patchValue = patch[key] else { continue }
            var field = key
            let isDeleteList = key.hasPrefix(deletePrefix)
            if isDeleteList {
                field = try extractKey(key, prefix: deletePrefix)
            }
            if patchValue == .null {
                // Deleting a field the object does not have is not an error (unmatched nulls are ignored).
                original[field] = nil
                continue
            }
            guard let current = original[field] else {
                if !isDeleteList, let value = literal(patchValue) { original[field] = value }
                continue
            }
            guard GoFormat.kind(of: current) == GoFormat.kind(of: patchValue) else {
                if !isDeleteList { original[field] = literal(patchValue) }
                continue
            }
            let child = schema.field(field)
            switch (current, patchValue) {
            case (.object(let currentMembers), .object(let patchMembers)):
                original[field] = .object(try map(currentMembers, patchMembers, schema: child))
            case (.array(let currentElements), .array(let patchElements)):
                // A deletion list is applied whatever the field's strategy, as in Go.
                if child.mergesList || isDeleteList {
                    original[field] = .array(
                        try list(currentElements, patchElements, schema: child, field: field, isDeleteList: isDeleteList))
                } else {
                    original[field] = literal(patchValue)
                }
            default:
                original[field] = literal(patchValue)
            }
        }
        return original
    }

    /// `$retainKeys`: drops the original's keys that are not listed, after checking the patch lists its own.
    static func applyRetainKeys(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue])
        throws(PatchError)
    {
        guard let directive = patch.removeValue(forKey: retainKeysDirective) else { return }
        guard case .array(let names) = directive else { throw .badRequest("invalid patch format of retainKeys") }
        let retained = Set(names.compactMap(\.stringValue))
        for (key, value) in patch where value != .null && !key.hasPrefix(deletePrefix) && !key.hasPrefix(orderPrefix) {
            guard retained.contains(key) else { throw .badRequest("invalid patch format of retainKeys") }
        }
        original = original.filter { retained.contains($0.key) }
    }

    /// `$setElementOrder/<field>`: merges the field's list now and puts it in the directive's order, removing
    /// both from the patch (`mergePatchIntoOriginal`).
    static func applyElementOrder(
        _ original: inout [String: JSONValue], _ patch: inout [String: JSONValue], schema: PatchSchema
    ) throws(PatchError) {
        for key in patch.keys.sorted() where key.hasPrefix(orderPrefix) {
            guard let directive = patch.removeValue(forKey: key) else { continue }
            guard case .array(let order) = directive else { throw badArgType("[]interface {}", directive) }
            let field = try extractKey(key, prefix: orderPrefix)
            let originalList = try listValue(original[field])
            let patchList = try listValue(patch[field])
            let child = schema.field(field)
            let mergeKey = child.mergeKey
            try validateOrder(patchList ?? [], order: order, mergeKey: mergeKey)

            let merged: [JSONValue]
            switch (originalList, patchList) {
            case (let stored?, nil):
                merged = stored
            case (nil, let patched?):
                merged = patched.compactMap(literal)
            case (let stored?, let patched?):
                merged =
                    child.mergesList
                    ? try list(stored, patched, schema: child, field: field, isDeleteList: false)
                    : patched.compactMap(literal)
            case (nil, nil):
                continue
            }
            let kind = try elementKind(originalList ?? [], patchList ?? [])
            patch[field] = nil
            if kind == .map && mergeKey == nil {
                // A replaced list of maps has no key to order by; Go fails here by accident, the sandbox keeps
                // the list as the patch gave it.
                original[field] = .array(merged)
                continue
            }
            original[field] = .array(
                try ordered(merged, patchOrder: order, serverOrder: originalList ?? [], mergeKey: mergeKey))
        }
    }

    /// Checks that the patch's list is in the order `$setElementOrder` gives (`validatePatchWithSetOrderList`).
    static func validateOrder(_ patchList: [JSONValue], order: [JSONValue], mergeKey: String?) throws(PatchError) {
        guard !order.isEmpty, !patchList.isEmpty else { return }
        var remaining = patchList
        if mergeKey != nil {
            remaining = []
            for element in patchList {
                guard case .object(let members) = element else { throw badArgType("map[string]interface {}", element) }
                if members[directiveMarker] != "delete" { remaining.append(element) }
            }
        }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < remaining.count && orderIndex < order.count {
            if case .object(let members) = remaining[patchIndex], members[directiveMarker] != nil {
                patchIndex += 1
                continue
            }
            if try mergeKeyValuesEqual(remaining[patchIndex], order[orderIndex], mergeKey: mergeKey) {
                patchIndex += 1
            }
            orderIndex += 1
        }
        if patchIndex < remaining.count && orderIndex >= order.count {
            throw .unclassified(
                "the order in patch list:\n\(GoFormat.format(.array(patchList)))\n doesn't match \(orderPrefix) list:\n\(GoFormat.format(.array(order)))"
            )
        }
    }

    // MARK: Lists

    /// Merges a list the schema declares as merging, or applies a deletion list (`mergeSlice`).
    static func list(
        _ original: [JSONValue], _ patch: [JSONValue], schema: PatchSchema, field: String, isDeleteList: Bool
    ) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        let kind = try elementKind(original, patch)
        guard kind == .map else {
            if isDeleteList { return original.filter { !patch.contains($0) } }
            var merged: [JSONValue] = []
            for value in original + patch where !merged.contains(value) { merged.append(value) }
            return try ordered(merged, patchOrder: patch, serverOrder: original, mergeKey: nil)
        }
        guard let mergeKey = schema.mergeKey else {
            throw .unclassified("cannot merge lists without merge key for \(field)")
        }
        let (base, changes) = try applySpecialElements(original, patch, mergeKey: mergeKey)
        var merged = base
        for change in changes {
            guard case .object(let changeMembers) = change else { throw badArgType("map[string]interface {}", change) }
            guard let keyValue = changeMembers[mergeKey] else { throw noMergeKey(changeMembers, mergeKey) }
            if let index = try indexOfMap(in: merged, mergeKey: mergeKey, value: keyValue),
                case .object(let stored) = merged[index]
            {
                merged[index] = .object(try map(stored, changeMembers, schema: schema))
            } else {
                merged.append(literal(change) ?? change)
            }
        }
        return try ordered(merged, patchOrder: changes, serverOrder: base, mergeKey: mergeKey)
    }

    /// Applies the `$patch` elements of a list of maps (`mergeSliceWithSpecialElements`).
    ///
    /// - Returns: The stored list after deletions (or the replacement list) and the patch's other elements.
    static func applySpecialElements(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String)
        throws(PatchError) -> (base: [JSONValue], changes: [JSONValue])
    {
        var base = original
        var changes: [JSONValue] = []
        var replace = false
        for element in patch {
            guard case .object(let members) = element, let directive = members[directiveMarker] else {
                changes.append(element)
                continue
            }
            switch directive {
            case "delete":
                guard let keyValue = members[mergeKey] else { throw noMergeKey(members, mergeKey) }
                var kept: [JSONValue] = []
                for (index, stored) in base.enumerated() {
                    guard case .object(let storedMembers) = stored else {
                        throw .unclassified("value for key \(index) is not a map")
                    }
                    if storedMembers[mergeKey] != keyValue { kept.append(stored) }
                }
                base = kept
            case "replace":
                // Keep going: the other `$patch` elements are dropped from the replacement.
                replace = true
            case "merge":
                throw .unclassified("merging lists cannot yet be specified in the patch")
            default:
                throw badPatchType(directive, members)
            }
        }
        if replace { return (changes.compactMap(literal), []) }
        return (base, changes)
    }

    /// Orders a merged list as kube-apiserver does (`normalizeElementOrder`): the elements `patchOrder` names in
    /// its order, merged with the other elements in their `serverOrder` order.
    static func ordered(_ merged: [JSONValue], patchOrder: [JSONValue], serverOrder: [JSONValue], mergeKey: String?)
        throws(PatchError) -> [JSONValue]
    {
        var patchItems: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        for element in merged {
            let named: Bool
            if let mergeKey {
                guard case .object(let members) = element else { throw badArgType("map[string]interface {}", element) }
                guard let keyValue = members[mergeKey] else { throw noMergeKey(members, mergeKey) }
                named = try indexOfMap(in: patchOrder, mergeKey: mergeKey, value: keyValue) != nil
            } else {
                named = patchOrder.contains(element)
            }
            if named { patchItems.append(element) } else { serverOnly.append(element) }
        }
        let left = try sorted(serverOnly, by: serverOrder, mergeKey: mergeKey)
        let right = try sorted(patchItems, by: patchOrder, mergeKey: mergeKey)

        // `mergeSortedSlice`: a stored-only element goes first only when both it and the next patch element
        // are in the stored list and it came first there; so new elements precede the stored-only ones.
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if let leftIndex = position(of: left[i], in: serverOrder, mergeKey: mergeKey),
                let rightIndex = position(of: right[j], in: serverOrder, mergeKey: mergeKey),
                leftIndex < rightIndex
            {
                result.append(left[i])
                i += 1
            } else {
                result.append(right[j])
                j += 1
            }
        }
        result += left[i...]
        result += right[j...]
        return result
    }

    /// Stable sort of `items` by their position in `order` (`normalizeSliceOrder`); items `order` does not
    /// name, which Go's comparator leaves undefined, go last in their current order.
    static func sorted(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) throws(PatchError)
        -> [JSONValue]
    {
        var kept = items
        var deletions: [JSONValue] = []
        if let mergeKey {
            for element in items + order {
                guard case .object(let members) = element else { throw badArgType("map[string]interface {}", element) }
                guard members[mergeKey] != nil else { throw noMergeKey(members, mergeKey) }
            }
            kept = items.filter { $0[directiveMarker] != "delete" }
            deletions = items.filter { $0[directiveMarker] == "delete" }
        }
        let keyed = kept.enumerated().map { offset, element in
            (element: element, rank: position(of: element, in: order, mergeKey: mergeKey) ?? Int.max, offset: offset)
        }
        let sortedElements = keyed.sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }.map(\.element)
        return sortedElements + deletions
    }

    /// The index in `list` of the first element that matches `element`: by merge key value for maps, by value
    /// otherwise (`index`).
    static func position(of element: JSONValue, in list: [JSONValue], mergeKey: String?) -> Int? {
        guard let mergeKey else { return list.firstIndex(of: element) }
        let value = element[mergeKey]
        return list.firstIndex { $0[mergeKey] == value }
    }

    /// The index of the map in `list` whose merge key has `value` (`findMapInSliceBasedOnKeyValue`).
    static func indexOfMap(in list: [JSONValue], mergeKey: String, value: JSONValue) throws(PatchError) -> Int? {
        for (index, element) in list.enumerated() {
            guard case .object(let members) = element else { throw .unclassified("value for key \(index) is not a map") }
            if members[mergeKey] == value { return index }
        }
        return nil
    }

    /// The common element type of lists (`sliceElementType`).
    static func elementKind(_ lists: [JSONValue]...) throws(PatchError) -> GoFormat.Kind {
        var kind: GoFormat.Kind?
        for list in lists {
            for element in list {
                let elementKind = GoFormat.kind(of: element)
                if let kind {
                    guard kind == elementKind else {
                        let all = JSONValue.array(lists.map { .array($0) })
                        throw .unclassified("list element types are not identical: \(GoFormat.format(all))")
                    }
                } else {
                    guard elementKind != .slice else {
                        // `ErrNoListOfLists`, which kube-apiserver answers with its generic 422.
                        throw .invalid("lists of lists are not supported")
                    }
                    kind = elementKind
                }
            }
        }
        guard let kind else { throw .unclassified("no elements in any of the given slices") }
        return kind
    }

    static func mergeKeyValuesEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String?) throws(PatchError)
        -> Bool
    {
        guard let mergeKey else { return left == right }
        guard case .object(let leftMembers) = left else { throw badArgType("map[string]interface {}", left) }
        guard case .object(let rightMembers) = right else { throw badArgType("map[string]interface {}", right) }
        guard let leftValue = leftMembers[mergeKey] else { throw noMergeKey(leftMembers, mergeKey) }
        guard let rightValue = rightMembers[mergeKey] else { throw noMergeKey(rightMembers, mergeKey) }
        return leftValue == rightValue
    }

    /// A field value that must be a list when present.
    static func listValue(_ value: JSONValue?) throws(PatchError) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let elements) = value else { throw badArgType("[]interface {}", value) }
        return elements
    }

    // MARK: Literal patch content

    /// Patch content stored as it is, cleaned as kube-apiserver leaves it (`discardNullValuesFromPatch`,
    /// `removeDirectives`, then Go decoding, which drops the other directive keys); `nil` when the value is a
    /// map carrying `$patch`, which is not stored at all.
    static func literal(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            guard members[directiveMarker] == nil else { return nil }
            return .object(literalMembers(members))
        case .array(let elements):
            // `null` elements stay: only `null` map values are discarded.
            return .array(elements.compactMap(literal))
        default:
            return value
        }
    }

    static func literalMembers(_ members: [String: JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members where value != .null && !isDirectiveKey(key) {
            if let cleaned = literal(value) { result[key] = cleaned }
        }
        return result
    }

    static func isDirectiveKey(_ key: String) -> Bool {
        key == directiveMarker || key == retainKeysDirective || key.hasPrefix(deletePrefix) || key.hasPrefix(orderPrefix)
    }

    // MARK: Errors

    /// The field name after a `$deleteFromPrimitiveList/` or `$setElementOrder/` prefix (`extractKey`).
    static func extractKey(_ key: String, prefix: String) throws(PatchError) -> String {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == prefix else {
            throw .badRequest(
                prefix == deletePrefix
                    ? "invalid patch format of primitive list" : "invalid patch format of setElementOrder list")
        }
        return String(parts[1])
    }

    static func noMergeKey(_ members: [String: JSONValue], _ mergeKey: String) -> PatchError {
        .unclassified("map: \(GoFormat.format(.object(members))) does not contain declared merge key: \(mergeKey)")
    }

    static func badArgType(_ expected: String, _ actual: JSONValue) -> PatchError {
        .unclassified("expected a \(expected), but received a \(GoFormat.typeName(of: actual))")
    }

    static func badPatchType(_ directive: JSONValue, _ members: [String: JSONValue]) -> PatchError {
        .unclassified("unknown patch type: \(GoFormat.format(directive)) in map: \(GoFormat.format(.object(members)))")
    }
}

/// How Go prints decoded JSON, so that error messages read as kube-apiserver's do.
private enum GoFormat {
    /// The Go type a decoded JSON value has (`reflect.TypeOf` in `strategicpatch`).
    enum Kind: Equatable {
        case map, slice, string, bool, int64, float64, null
    }

    static func kind(of value: JSONValue) -> Kind {
        switch value {
        case .object: .map
        case .array: .slice
        case .string: .string
        case .bool: .bool
        case .integer: .int64
        case .double: .float64
        case .null: .null
        }
    }

    /// The Go type name, as `%s` of `reflect.TypeOf` prints it.
    static func typeName(of value: JSONValue) -> String {
        switch value {
        case .object: "map[string]interface {}"
        case .array: "[]interface {}"
        case .string: "string"
        case .bool: "bool"
        case .integer: "int64"
        case .double: "float64"
        case .null: "%!s(<nil>)"
        }
    }

    /// The JSON type word of Go's "cannot unmarshal X into ..." messages.
    static func jsonTypeWord(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// `%v`: `map[a:1 b:[x y]]`, with map keys sorted as `fmt` sorts them.
    static func format(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .double(let number):
            if let integral = Int64(exactly: number), abs(integral) < 1_000_000 { return String(integral) }
            let text = String(number)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        case .string(let text): return text
        case .array(let elements): return "[" + elements.map(format).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.sorted { $0.key < $1.key }.map { "\($0.key):\(format($0.value))" }
                .joined(separator: " ") + "]"
        }
    }
}
