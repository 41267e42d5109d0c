import KubeCore

/// One parameter of an operation: a path segment (`{name}`, `{namespace}`) or a query parameter from
/// the options type of the verb (`ListOptions`, `CreateOptions`, `PatchOptions`, …), which kube-apiserver
/// turns into parameters one field at a time. The descriptions are the sandbox's own summaries.
struct OpenAPIParameter: Sendable {
    var name: String
    /// `path` or `query`.
    var location: String
    /// The JSON type of the value: `string`, `integer` or `boolean`.
    var type: String
    var description: String

    /// The parameter object of OpenAPI 3.0; path parameters are required, as the spec demands.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "in": .string(location), "description": .string(description),
            "schema": ["type": .string(type)],
        ]
        if location == "path" { members["required"] = true }
        return .object(members)
    }

    private static func query(_ name: String, _ type: String, _ description: String) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: "query", type: type, description: description)
    }

    // MARK: - Path parameters

    /// `{namespace}` in the path of a namespaced resource.
    static let namespace = OpenAPIParameter(
        name: "namespace", location: "path", type: "string", description: "The namespace the objects are in.")

    /// `{name}` in the path of one object.
    static func name(of kind: String) -> OpenAPIParameter {
        OpenAPIParameter(name: "name", location: "path", type: "string", description: "The name of the \(kind).")
    }

    /// `pretty`, which every operation takes and which the real server lists on the path.
    static let pretty = query("pretty", "string", "Indent the JSON of the answer when `true`.")

    // MARK: - Options of the verbs

    private static let dryRun = query(
        "dryRun", "string", "`All` checks the request in every stage and answers as if it were written, without storing anything.")
    private static let fieldManager = query(
        "fieldManager", "string", "The name of the actor making the change, recorded in managedFields; required for apply patches.")
    /// The parameter kubectl looks for on a kind's PATCH operation to decide that the server validates
    /// fields itself (`kubectl apply --validate=strict` then sends `fieldValidation=Strict`).
    static let fieldValidation = query(
        "fieldValidation", "string",
        "What to do with fields the schema does not know and with duplicated fields: `Ignore` drops them, `Warn` drops them with a warning, `Strict` refuses the request.")
    private static let force = query(
        "force", "boolean", "Let an apply patch take over fields other managers own; only for apply patches.")
    private static let gracePeriodSeconds = query(
        "gracePeriodSeconds", "integer", "Seconds to wait before the object is deleted; 0 deletes at once, unset uses the kind's default.")
    private static let orphanDependents = query(
        "orphanDependents", "boolean", "Deprecated in favour of propagationPolicy: whether dependents are orphaned.")
    private static let propagationPolicy = query(
        "propagationPolicy", "string", "How dependents are collected: `Orphan`, `Background` or `Foreground`.")
    private static let allowWatchBookmarks = query(
        "allowWatchBookmarks", "boolean", "Let a watch send BOOKMARK events that carry only a resourceVersion.")
    private static let continueToken = query(
        "continue", "string", "The token from the previous page of a paged list, to get the next page.")
    private static let fieldSelector = query("fieldSelector", "string", "Only objects whose fields match, such as `metadata.name=x`.")
    private static let labelSelector = query("labelSelector", "string", "Only objects whose labels match the selector.")
    private static let limit = query("limit", "integer", "The largest number of objects in one page; the answer has a continue token when more remain.")
    private static let resourceVersion = query(
        "resourceVersion", "string", "The resourceVersion the list or watch starts from; resourceVersionMatch says how it is matched.")
    private static let resourceVersionMatch = query(
        "resourceVersionMatch", "string", "How resourceVersion is matched: `NotOlderThan` or `Exact`.")
    private static let sendInitialEvents = query(
        "sendInitialEvents", "boolean", "Start a watch with ADDED events for the objects that exist, then a bookmark.")
    private static let timeoutSeconds = query("timeoutSeconds", "integer", "End a list or watch after this many seconds.")
    private static let watch = query("watch", "boolean", "Stream changes to the objects instead of listing them.")

    /// `ListOptions`, for list (and watch, with `watch=true`).
    static let list = [
        allowWatchBookmarks, continueToken, fieldSelector, labelSelector, limit, resourceVersion, resourceVersionMatch,
        sendInitialEvents, timeoutSeconds, watch,
    ]
    /// `CreateOptions`.
    static let create = [dryRun, fieldManager, fieldValidation]
    /// `UpdateOptions`.
    static let update = [dryRun, fieldManager, fieldValidation]
    /// `PatchOptions`.
    static let patch = [dryRun, force, fieldManager, fieldValidation]
    /// `DeleteOptions` as query parameters.
    static let delete = [dryRun, gracePeriodSeconds, orphanDependents, propagationPolicy]
    /// A delete of a collection takes the options of both a delete and a list.
    static let deleteCollection = [
        continueToken, dryRun, fieldSelector, gracePeriodSeconds, labelSelector, limit, orphanDependents, propagationPolicy,
        resourceVersion, resourceVersionMatch, sendInitialEvents, timeoutSeconds,
    ]
}
