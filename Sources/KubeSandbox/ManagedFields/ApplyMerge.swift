import KubeCore

/// Server-side apply's merge of a configuration into the live object, and its removal of fields a
/// manager stopped applying.
///
/// Maps merge key by key and a `null` removes the key; atomic maps and lists, and scalars, are replaced
/// by the configuration's value; associative lists merge element by element (matched by key fields, in
/// the configuration's order with live-only elements kept among them), sets gain the configuration's
/// values.
struct ApplyMerge {
    let schema: ApplySchema

    func merge(_ live: JSONValue?, _ config: JSONValue) -> JSONValue {
        merge(live, config, schema: schema)
    }

    private func merge(_ live: JSONValue?, _ config: JSONValue, schema: ApplySchema) -> JSONValue {
        switch (live, config) {
        case (.object(var members)?, .object(let applied)) where !schema.isAtomicMap:
            for (name, value) in applied {
                if value == .null {
                    members[name] = nil
                } else {
                    members[name] = merge(members[name], value, schema: schema.child(name))
                }
            }
            return .object(members)
        case (.array(var elements)?, .array(let applied)):
            switch schema.listType {
            case .atomic: return config
            case .set:
                for value in applied where !elements.contains(value) { elements.append(value) }
                return .array(elements)
            case .map:
                // structured-merge-diff's order: the configuration's elements in its order, each live-only
                // element placed before the first configured element that followed it in the live list,
                // the rest at the end (live [a, b] with configuration [c, a] gives [c, a, b]).
                var placed = Set<Int>()
                var merged: [JSONValue] = []
                for (index, value) in applied.enumerated() {
                    guard let key = try? FieldSetBuilder.element(value, index: index, listType: schema.listType, schema: schema.elements, path: []) else {
                        continue
                    }
                    guard let position = position(of: key, in: elements, schema: schema) else {
                        merged.append(value)
                        continue
                    }
                    for earlier in 0..<position where !placed.contains(earlier) && !configured(elements[earlier], in: applied, schema: schema) {
                        merged.append(elements[earlier])
                        placed.insert(earlier)
                    }
                    merged.append(merge(elements[position], value, schema: schema.elements))
                    placed.insert(position)
                }
                for (index, element) in elements.enumerated() where !placed.contains(index) && !configured(element, in: applied, schema: schema) {
                    merged.append(element)
                }
                return .array(merged)
            }
        default:
            return config
        }
    }

    /// Whether a live element is one the configuration names too.
    private func configured(_ element: JSONValue, in applied: [JSONValue], schema: ApplySchema) -> Bool {
        guard let key = try? FieldSetBuilder.element(element, index: 0, listType: schema.listType, schema: schema.elements, path: []) else {
            return false
        }
        return position(of: key, in: applied, schema: schema) != nil
    }

    /// The index of the element of a merging list that `element` names.
    private func position(of element: PathElement, in elements: [JSONValue], schema: ApplySchema) -> Int? {
        elements.indices.first { index in
            (try? FieldSetBuilder.element(elements[index], index: index, listType: schema.listType, schema: schema.elements, path: [])) == element
        }
    }

    /// `object` without the field at `path`; maps and lists the removal leaves empty go too, as they do
    /// from a built-in object.
    func removing(_ path: FieldPathElements, from object: JSONValue) -> JSONValue {
        removing(path[...], from: object, schema: schema) ?? .object([:])
    }

    private func removing(_ path: ArraySlice<PathElement>, from value: JSONValue, schema: ApplySchema) -> JSONValue? {
        guard let first = path.first else { return nil }
        let rest = path.dropFirst()
        switch (first, value) {
        case (.field(let name), .object(var members)):
            guard let member = members[name] else { return value }
            members[name] = rest.isEmpty ? nil : removing(rest, from: member, schema: schema.child(name))
            return members.isEmpty ? nil : .object(members)
        case (_, .array(var elements)):
            let index: Int?
            if case .index(let position) = first {
                index = elements.indices.contains(position) ? position : nil
            } else {
                index = position(of: first, in: elements, schema: schema)
            }
            guard let index else { return value }
            if rest.isEmpty {
                elements.remove(at: index)
            } else if let remaining = removing(rest, from: elements[index], schema: schema.elements) {
                elements[index] = remaining
            } else {
                elements.remove(at: index)
            }
            return elements.isEmpty ? nil : .array(elements)
        default:
            return value
        }
    }
}
