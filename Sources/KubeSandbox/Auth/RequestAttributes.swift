/// What a request asks to do, in the terms RBAC rules are written in.
struct RequestAttributes: Sendable, Hashable {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`; for
    /// non-resource paths the HTTP method in lower case.
    var verb: String
    var apiGroup = ""
    var resource = ""
    var subresource = ""
    var name = ""
    /// Empty for cluster-scoped resources and non-resource paths.
    var namespace = ""
    /// Set for requests that are not for a resource (`/version`, `/apis`).
    var nonResourcePath: String?

    /// The attributes of a resource request.
    init(method: String, path: RequestTarget.ResourcePath, isWatch: Bool, namespaced: Bool) {
        switch (method, path.name) {
        case ("GET", nil): verb = isWatch ? "watch" : "list"
        case ("GET", _): verb = "get"
        case ("POST", _): verb = "create"
        case ("PUT", _): verb = "update"
        case ("PATCH", _): verb = "patch"
        case ("DELETE", nil): verb = "deletecollection"
        case ("DELETE", _): verb = "delete"
        default: verb = method.lowercased()
        }
        apiGroup = path.group
        resource = path.plural
        subresource = path.subresource ?? ""
        name = path.name ?? ""
        namespace = namespaced ? (path.namespace ?? "") : ""
        // A namespace's own name is its namespace for RBAC, as the request-info resolver sets it.
        if path.group.isEmpty, path.plural == "namespaces", let name = path.name { namespace = name }
    }

    init(verb: String, nonResourcePath: String) {
        self.verb = verb
        self.nonResourcePath = nonResourcePath
    }

    init(verb: String, apiGroup: String, resource: String, subresource: String = "", name: String = "", namespace: String = "") {
        self.verb = verb
        self.apiGroup = apiGroup
        self.resource = resource
        self.subresource = subresource
        self.name = name
        self.namespace = namespace
    }
}
