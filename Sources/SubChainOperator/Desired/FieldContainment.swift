import KubeCore

/// Whether an object already holds every field of an apply body, with the same values: the check that
/// lets a reconcile that finds everything as desired write nothing.
///
/// Fields the body does not set (the API server's defaults, other managers' fields, status) are ignored.
/// Lists of objects are matched by `name` where their elements have one (containers, env, volumes, ports
/// of a Service) and otherwise element by element in any order, so that elements other managers added
/// are ignored too; lists of scalars (command, args, access modes) must be equal, since they are atomic.
public enum FieldContainment {
    /// The paths where `existing` differs from `desired`, the first few only; empty when it holds all.
    public static func differences(_ desired: JSONValue, in existing: JSONValue, limit: Int = 8) -> [String] {
        var found: [String] = []
        compare(desired, existing, path: "", into: &found, limit: limit)
        return found
    }

    /// Whether `existing` holds every field of `desired`.
    public static func holds(_ desired: JSONValue, in existing: JSONValue) -> Bool {
        differences(desired, in: existing, limit: 1).isEmpty
    }

    private static func compare(_ desired: JSONValue, _ existing: JSONValue?, path: String, into found: inout [String], limit: Int) {
        guard found.count < limit else { return }
        switch desired {
        case .object(let members):
            guard case .object(let existingMembers)? = existing else { return found.append(path.isEmpty ? "." : path) }
            for key in members.keys.sorted() {
                guard let value = members[key] else { continue }
                compare(value, existingMembers[key], path: path.isEmpty ? key : "\(path).\(key)", into: &found, limit: limit)
            }
        case .array(let elements):
            guard case .array(let existingElements)? = existing else { return found.append(path) }
            if elements.allSatisfy({ if case .object = $0 { true } else { false } }) && !elements.isEmpty {
                compareObjectList(elements, existingElements, path: path, into: &found, limit: limit)
            } else if !equal(desired, .array(existingElements)) {
                found.append(path)
            }
        default:
            guard let existing, equal(desired, existing) else { return found.append(path) }
        }
    }

    private static func compareObjectList(_ desired: [JSONValue], _ existing: [JSONValue], path: String, into found: inout [String], limit: Int) {
        for (index, element) in desired.enumerated() {
            if case .string(let name)? = element["name"] {
                let match = existing.first { $0["name"] == .string(name) }
                compare(element, match, path: "\(path)[name=\(name)]", into: &found, limit: limit)
            } else if !existing.contains(where: { holds(element, in: $0) }) {
                found.append("\(path)[\(index)]")
            }
        }
    }

    /// JSON equality, with an integer and an integral double of the same value equal (a server may print
    /// either).
    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): Double(a) == b
        case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        default: lhs == rhs
        }
    }
}
