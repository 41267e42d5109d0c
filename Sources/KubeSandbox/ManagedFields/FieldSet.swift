import KubeCore

/// A set of field paths, as a tree: what one manager owns, or what a write added, changed or removed.
///
/// A path is a *member* when it is in the set itself; a node with children but not a member only
/// groups the paths below it. In `fieldsV1` a member that also has children is written with a `"."`
/// entry (`k:{"name":"app"}: {".": {}, "f:image": {}}`), a member without children as `{}`.
struct FieldSet: Hashable, Sendable {
    /// Elements whose path (this node's path plus the element) is in the set.
    private(set) var members: Set<PathElement> = []
    /// The sets below each element.
    private(set) var children: [PathElement: FieldSet] = [:]

    init() {}

    var isEmpty: Bool { members.isEmpty && children.isEmpty }

    /// Adds a path; an empty path adds nothing (the root is never a member).
    mutating func insert(_ path: some Collection<PathElement>) {
        guard let first = path.first else { return }
        let rest = path.dropFirst()
        if rest.isEmpty {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(rest)
        }
    }

    func contains(_ path: some Collection<PathElement>) -> Bool {
        guard let first = path.first else { return false }
        let rest = path.dropFirst()
        if rest.isEmpty { return members.contains(first) }
        return children[first]?.contains(rest) ?? false
    }

    /// Whether any path of the set starts with `prefix` and is longer than it.
    func hasPaths(below prefix: some Collection<PathElement>) -> Bool {
        guard let first = prefix.first else { return !isEmpty }
        guard let child = children[first] else { return false }
        return child.hasPaths(below: prefix.dropFirst())
    }

    /// The set below one element.
    func child(_ element: PathElement) -> FieldSet { children[element] ?? FieldSet() }

    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.formUnion(other.members)
        for (element, set) in other.children {
            result.children[element] = result.children[element].map { $0.union(set) } ?? set
        }
        return result
    }

    func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.intersection(other.members)
        for (element, set) in children {
            guard let theirs = other.children[element] else { continue }
            let common = set.intersection(theirs)
            if !common.isEmpty { result.children[element] = common }
        }
        return result
    }

    /// The paths of this set that are not in `other` (members only: a path below a removed member
    /// stays unless it is removed itself).
    func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.subtracting(other.members)
        for (element, set) in children {
            let rest = other.children[element].map { set.subtracting($0) } ?? set
            if !rest.isEmpty { result.children[element] = rest }
        }
        return result
    }

    /// Every path in the set, sorted.
    var paths: [FieldPathElements] {
        var result: [FieldPathElements] = []
        collect(prefix: [], into: &result)
        return result
    }

    private func collect(prefix: FieldPathElements, into result: inout [FieldPathElements]) {
        for element in members.union(children.keys).sorted() {
            let path = prefix + [element]
            if members.contains(element) { result.append(path) }
            children[element]?.collect(prefix: path, into: &result)
        }
    }

    // MARK: - fieldsV1

    /// The set as `fieldsV1` JSON.
    var fieldsV1: JSONValue {
        var object: [String: JSONValue] = [:]
        for element in members.union(children.keys) {
            var node = children[element]?.fieldsV1.objectMembers ?? [:]
            if members.contains(element), !node.isEmpty { node["."] = .object([:]) }
            object[element.fieldsV1Key] = .object(node)
        }
        return .object(object)
    }

    /// Reads `fieldsV1`; `nil` when it is not an object of valid keys.
    init?(fieldsV1 json: JSONValue) {
        guard case .object(let object) = json else { return nil }
        for (key, value) in object {
            if key == "." { continue }
            guard let element = PathElement(fieldsV1Key: key), case .object(let node) = value else { return nil }
            if node.isEmpty || node["."] != nil { members.insert(element) }
            let rest = node.filter { $0.key != "." }
            if !rest.isEmpty {
                guard let child = FieldSet(fieldsV1: .object(rest)) else { return nil }
                children[element] = child
            }
        }
    }
}
