/// What a request path names: a discovery document, or a resource, collection or subresource.
enum RequestTarget: Equatable, Sendable {
    case version
    case healthz
    /// `/api`: the core group's versions.
    case coreVersions
    /// `/apis`: every group.
    case groups
    /// `/apis/GROUP`.
    case group(String)
    /// `/api/v1` or `/apis/GROUP/VERSION`: the resources of a group version.
    case resources(group: String, version: String)
    case resource(ResourcePath)
    case openAPIV2
    /// `/openapi/v3`: the index of the OpenAPI v3 documents.
    case openAPIV3Index
    /// `/openapi/v3/api/v1` or `/openapi/v3/apis/GROUP/VERSION`: one group version's OpenAPI v3 document.
    case openAPIV3Document(group: String, version: String)
    /// `/sandbox/v1/…`: the sandbox's own fault-injection controls, which no real server has.
    case sandboxControl([String])
    case notFound

    /// A path under a group version.
    struct ResourcePath: Equatable, Sendable {
        var group: String
        var version: String
        var namespace: String?
        var plural: String
        var name: String?
        var subresource: String?
    }

    /// Parses a path. `isNamespaced` says whether a plural of a group version is namespaced (`nil` when
    /// unknown): `/api/v1/namespaces/NAME/status` is a namespace's status, while
    /// `/api/v1/namespaces/NAME/pods` is a collection in that namespace.
    static func parse(_ path: String, isNamespaced: (String, String, String) -> Bool?) -> RequestTarget {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch segments.first {
        case "version"? where segments.count == 1: return .version
        case "healthz"?, "livez"?, "readyz"?: return segments.count == 1 ? .healthz : .notFound
        case "openapi"? where segments == ["openapi", "v2"]: return .openAPIV2
        case "openapi"? where segments.count >= 2 && segments[1] == "v3": return openAPIV3(Array(segments.dropFirst(2)))
        case "sandbox"? where segments.count >= 2 && segments[1] == "v1": return .sandboxControl(Array(segments.dropFirst(2)))
        case "api"?:
            if segments.count == 1 { return .coreVersions }
            return resourcePath(group: "", version: segments[1], rest: Array(segments.dropFirst(2)), isNamespaced: isNamespaced)
        case "apis"?:
            switch segments.count {
            case 1: return .groups
            case 2: return .group(segments[1])
            default:
                return resourcePath(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)), isNamespaced: isNamespaced)
            }
        default: return .notFound
        }
    }

    /// A path under `/openapi/v3/`: the index, or a group version's document.
    private static func openAPIV3(_ rest: [String]) -> RequestTarget {
        switch rest.count {
        case 0: return .openAPIV3Index
        case 2 where rest[0] == "api": return .openAPIV3Document(group: "", version: rest[1])
        case 3 where rest[0] == "apis": return .openAPIV3Document(group: rest[1], version: rest[2])
        default: return .notFound
        }
    }

    private static func resourcePath(
        group: String, version: String, rest: [String], isNamespaced: (String, String, String) -> Bool?
    ) -> RequestTarget {
        guard !rest.isEmpty else { return .resources(group: group, version: version) }
        var path = ResourcePath(group: group, version: version, plural: rest[0])
        var remainder = rest.dropFirst()
        // namespaces/NAME/PLURAL/… is a namespaced resource unless PLURAL is a namespace subresource.
        if rest[0] == "namespaces", rest.count >= 3, isNamespaced(group, version, rest[2]) == true {
            path.namespace = rest[1]
            path.plural = rest[2]
            remainder = rest.dropFirst(3)
        }
        if let name = remainder.first {
            path.name = name
            remainder = remainder.dropFirst()
        }
        if let subresource = remainder.first {
            path.subresource = subresource
            remainder = remainder.dropFirst()
        }
        guard remainder.isEmpty else { return .notFound }
        return .resource(path)
    }
}
