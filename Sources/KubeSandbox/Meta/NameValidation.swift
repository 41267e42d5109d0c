/// The name rules of Kubernetes' validation (apimachinery `IsDNS1123Subdomain` and `IsDNS1123Label`),
/// with its messages, so that a name the real server refuses is refused here with the same cause.
enum NameValidation {
    /// Namespaces and Services are named by DNS labels; every other kind the sandbox serves by DNS
    /// subdomains (RBAC kinds allow more, path segments; the subdomain rule is stricter and is used for
    /// them too only where a real server would also refuse: a name with `/` or `%`).
    static func problems(_ name: String, resource: ResourceType) -> [String] {
        switch resource.storageKey.resource {
        case "namespaces", "services": return label(name)
        case "roles", "rolebindings", "clusterroles", "clusterrolebindings": return pathSegment(name)
        default: return subdomain(name)
        }
    }

    static func label(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(name) {
            problems.append(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return problems
    }

    static func subdomain(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > 253 { problems.append("must be no more than 253 characters") }
        if name.isEmpty || !name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isLabel(String($0)) }) {
            problems.append(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            )
        }
        return problems
    }

    static func pathSegment(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        for forbidden in ["/", "%"] where name.contains(forbidden) { return ["may not contain '\(forbidden)'"] }
        return []
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, without a regular expression: this runs on every write.
    private static func isLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) }
        return alphanumeric(first) && alphanumeric(last) && bytes.allSatisfy { alphanumeric($0) || $0 == 0x2d }
    }
}
