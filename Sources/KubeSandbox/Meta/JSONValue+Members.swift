import KubeCore

extension JSONValue {
    /// A member of an object, settable: setting `nil` removes it, and setting a member of `null` makes
    /// an object. Reading from anything but an object gives `nil`.
    subscript(member key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }
        set {
            var members: [String: JSONValue]
            switch self {
            case .object(let existing): members = existing
            case .null: members = [:]
            default: return
            }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The members when this is an object.
    var objectMembers: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// The elements when this is an array.
    var arrayElements: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// A string-to-string map (labels, annotations); `nil` members and non-string values are skipped.
    var stringMap: [String: String] {
        guard case .object(let members) = self else { return [:] }
        return members.compactMapValues(\.stringValue)
    }

    /// The value at a dotted path of object members (`status.phase`).
    func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            current = current?[member: String(key)]
        }
        return current
    }
}
