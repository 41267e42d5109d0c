import KubeCore

/// The field sets server-side apply computes from objects: the fields an applied configuration sets
/// (what its manager owns), and the fields one version of an object added, changed or removed against
/// another (what an update's manager takes over).
struct FieldSetBuilder {
    let schema: ApplySchema

    /// Why an applied configuration's fields cannot be named.
    struct ListError: Error, Equatable {
        var path: FieldPathElements
        var message: String
        var description: String { "\(path.pathDescription): \(message)" }
    }

    // MARK: - The fields a configuration sets

    /// Every field `value` sets: scalars, atomic lists and maps, empty or null values, associative and
    /// set list elements (with their fields), and the keys of maps that do not declare their fields.
    func fields(of value: JSONValue) throws(ListError) -> FieldSet {
        var set = FieldSet()
        try collect(value, schema: schema, path: [], into: &set)
        return set
    }

    private func collect(_ value: JSONValue, schema: ApplySchema, path: FieldPathElements, into set: inout FieldSet) throws(ListError) {
        switch value {
        case .object(let members) where !schema.isAtomicMap:
            for (name, member) in members {
                let memberPath = path + [.field(name)]
                let isEmptyMap = member.objectMembers?.isEmpty ?? false
                if member == .null || isEmptyMap || !schema.declares(name) { set.insert(memberPath) }
                try collect(member, schema: schema.child(name), path: memberPath, into: &set)
            }
        case .array(let elements):
            let listType = schema.listType
            guard listType != .atomic else {
                set.insert(path)
                return
            }
            var seen: Set<PathElement> = []
            for (index, element) in elements.enumerated() {
                let elementPath = try Self.element(element, index: index, listType: listType, schema: schema.elements, path: path)
                guard seen.insert(elementPath).inserted else {
                    throw ListError(path: path, message: "duplicate entries for key \(elementPath.pathDescription)")
                }
                set.insert(path + [elementPath])
                if case .map = listType { try collect(element, schema: schema.elements, path: path + [elementPath], into: &set) }
            }
        default:
            if !path.isEmpty { set.insert(path) }
        }
    }

    /// The path element of a list element: its key fields (absent ones from the schema's defaults) or
    /// its value.
    static func element(
        _ element: JSONValue, index: Int, listType: ApplySchema.ListType, schema: ApplySchema, path: FieldPathElements
    ) throws(ListError) -> PathElement {
        switch listType {
        case .atomic: return .index(index)
        case .set:
            guard element.objectMembers == nil, element.arrayElements == nil else {
                throw ListError(path: path, message: "element \(index): a set may hold only scalars")
            }
            return .value(element)
        case .map(let keys):
            guard let members = element.objectMembers else {
                throw ListError(path: path, message: "element \(index): an associative list may hold only objects")
            }
            var fields: [(String, JSONValue)] = []
            for key in keys {
                guard let value = members[key] ?? schema.keyDefault(key) else {
                    throw ListError(
                        path: path,
                        message: "element \(index): associative list with keys has an element that omits key field \"\(key)\" (and doesn't have default value)")
                }
                fields.append((key, value))
            }
            return .key(fields)
        }
    }

    // MARK: - What changed between two versions

    /// What `new` added, changed and removed against `old`, field by field. An added or removed map or
    /// list element is a member together with every field below it; a changed scalar or atomic value is
    /// modified. Elements whose keys cannot be named are compared by index.
    struct Comparison {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()
    }

    func compare(_ old: JSONValue?, _ new: JSONValue?) -> Comparison {
        var comparison = Comparison()
        compare(old, new, schema: schema, path: [], into: &comparison)
        return comparison
    }

    private func compare(_ old: JSONValue?, _ new: JSONValue?, schema: ApplySchema, path: FieldPathElements, into result: inout Comparison) {
        switch (old, new) {
        case (nil, nil): return
        case (nil, let value?):
            if !path.isEmpty { result.added.insert(path) }
            descend(value, schema: schema, path: path) { result.added.insert($0) }
        case (let value?, nil):
            if !path.isEmpty { result.removed.insert(path) }
            descend(value, schema: schema, path: path) { result.removed.insert($0) }
        case (.object(let before)?, .object(let after)?) where !schema.isAtomicMap:
            for name in Set(before.keys).union(after.keys) {
                compare(before[name], after[name], schema: schema.child(name), path: path + [.field(name)], into: &result)
            }
        case (.array(let before)?, .array(let after)?) where schema.listType != .atomic:
            let oldElements = keyed(before, schema: schema, path: path)
            let newElements = keyed(after, schema: schema, path: path)
            let oldByPath = Dictionary(oldElements, uniquingKeysWith: { first, _ in first })
            let newByPath = Dictionary(newElements, uniquingKeysWith: { first, _ in first })
            for (element, value) in oldElements where newByPath[element] == nil {
                compare(value, nil, schema: schema.elements, path: path + [element], into: &result)
            }
            for (element, value) in newElements {
                if let previous = oldByPath[element] {
                    guard case .map = schema.listType else { continue }
                    compare(previous, value, schema: schema.elements, path: path + [element], into: &result)
                } else {
                    compare(nil, value, schema: schema.elements, path: path + [element], into: &result)
                }
            }
        case (let before?, let after?):
            if before != after, !path.isEmpty { result.modified.insert(path) }
        }
    }

    /// Calls `visit` with every path below `value` that a comparison counts: fields of maps that merge,
    /// elements of lists that merge, and the fields of associative elements.
    private func descend(_ value: JSONValue, schema: ApplySchema, path: FieldPathElements, _ visit: (FieldPathElements) -> Void) {
        switch value {
        case .object(let members) where !schema.isAtomicMap:
            for (name, member) in members {
                let memberPath = path + [.field(name)]
                visit(memberPath)
                descend(member, schema: schema.child(name), path: memberPath, visit)
            }
        case .array(let elements) where schema.listType != .atomic:
            for (element, member) in keyed(elements, schema: schema, path: path) {
                visit(path + [element])
                if case .map = schema.listType { descend(member, schema: schema.elements, path: path + [element], visit) }
            }
        default: return
        }
    }

    /// The elements of a merging list by path element; by index when the keys cannot be named.
    private func keyed(_ elements: [JSONValue], schema: ApplySchema, path: FieldPathElements) -> [(PathElement, JSONValue)] {
        let listType = schema.listType
        let named = elements.enumerated().map { index, element in
            (try? Self.element(element, index: index, listType: listType, schema: schema.elements, path: path), element)
        }
        guard named.allSatisfy({ $0.0 != nil }), Set(named.compactMap(\.0)).count == named.count else {
            return elements.enumerated().map { (.index($0.offset), $0.element) }
        }
        return named.map { ($0.0 ?? .index(0), $0.1) }
    }
}
