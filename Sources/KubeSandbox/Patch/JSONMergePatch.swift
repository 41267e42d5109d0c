import KubeCore

/// RFC 7386 JSON Merge Patch (`application/merge-patch+json`), as kube-apiserver applies it with
/// `evanphx/json-patch`'s `MergePatch`.
///
/// An object patch merges into an object target member by member: `null` removes a member, an object merges
/// recursively, and anything else (arrays included) replaces. One detail follows the Go library rather than the
/// RFC's pseudocode: when a patch value is stored whole (its member is new, or the target member is not an
/// object), `null` members are removed from the objects inside it, including objects inside arrays, where the
/// RFC would keep them. Neither can make a difference for built-in kinds, whose decoding drops `null`s anyway.
enum JSONMergePatch {
    /// Applies `patch` to `target`.
    ///
    /// A patch that is not an object replaces the whole target, as RFC 7386 says (`null` included);
    /// kube-apiserver refuses a `null` or scalar patch document with 400, which ``checkDocument(_:)`` reports.
    ///
    /// - Parameters:
    ///   - patch: The merge patch document.
    ///   - target: The object to patch.
    /// - Returns: The patched value.
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        switch (target, patch) {
        case (.object(let members), .object(let changes)):
            return .object(merge(changes, into: members))
        case (_, .object), (_, .array):
            // The Go library prunes a whole-document object or array patch the same way as a new member.
            return pruned(patch)
        default:
            return patch
        }
    }

    /// Checks that `patch` is a document kube-apiserver would try to apply: an object or an array.
    ///
    /// - Parameter patch: The merge patch document.
    /// - Throws: ``PatchError`` 400 "Invalid JSON Patch" (the library's `ErrBadJSONPatch`) for `null` and
    ///   scalars.
    static func checkDocument(_ patch: JSONValue) throws(PatchError) {
        switch patch {
        case .object, .array: return
        default: throw .badRequest("Invalid JSON Patch")
        }
    }

    /// Merges the members of an object patch into an object, member by member.
    private static func merge(_ changes: [String: JSONValue], into members: [String: JSONValue]) -> [String: JSONValue] {
        var result = members
        for (name, change) in changes {
            if change == .null {
                result[name] = nil
                continue
            }
            switch (result[name], change) {
            case (.object(let current)?, .object(let nested)):
                result[name] = .object(merge(nested, into: current))
            case (.object?, _):
                // An object replaced by a non-object takes the patch value untouched, as the Go library does.
                result[name] = change
            default:
                // A new member, a `null` member or a scalar or array being replaced.
                result[name] = pruned(change)
            }
        }
        return result
    }

    /// Removes `null` members from the objects in `value`, at any depth; `null` array elements stay.
    private static func pruned(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (name, member) in members where member != .null {
                result[name] = pruned(member)
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(pruned))
        default:
            return value
        }
    }
}
