import Foundation
import KubeCore

/// The REST API over a ``Sandbox``: authenticates a request, works out what it names, runs the verb and
/// answers as a kube-apiserver would (objects, lists, `Status` errors, watch streams).
public struct SandboxAPI: Sendable {
    /// The largest request body accepted, as a kube-apiserver limits it (3 MiB).
    public static let maxBodyBytes = 3 * 1024 * 1024

    public let sandbox: Sandbox
    public let users: SandboxUsers

    public init(sandbox: Sandbox, users: SandboxUsers) {
        self.sandbox = sandbox
        self.users = users
    }

    /// Answers one request.
    public func handle(_ request: APIRequest) -> APIResponse {
        do {
            return try respond(request)
        } catch {
            return .error(error)
        }
    }

    private func respond(_ request: APIRequest) throws(APIError) -> APIResponse {
        let target = RequestTarget.parse(request.path) { group, version, plural in
            sandbox.resource(group: group, version: version, plural: plural)?.namespaced
        }
        if target == .healthz { return .text(status: 200, body: "ok") }
        guard let user = users.user(forAuthorization: request.headers["authorization"]) else { throw .unauthorized }
        if request.body.count > Self.maxBodyBytes { throw .tooLarge(limit: Self.maxBodyBytes) }
        if case .sandboxControl(let segments) = target { return try control(segments, user: user, request: request) }
        if let failure = sandbox.injectedFailure(verb: verb(of: target, request: request), path: request.path) { throw failure }
        try authorize(user, target: target, request: request)
        switch target {
        case .version: return .json(status: 200, body: Discovery.version)
        case .coreVersions: return .json(status: 200, body: Discovery.coreVersions)
        case .groups: return .json(status: 200, body: try sandbox.read { Discovery.groupList($0.registry) })
        case .group(let name):
            guard let group = try sandbox.read({ Discovery.group(name, in: $0.registry) }) else { throw Self.pageNotFound(request.path) }
            return .json(status: 200, body: group)
        case .resources(let group, let version):
            guard let list = try sandbox.read({ Discovery.resourceList(group: group, version: version, in: $0.registry) }) else {
                throw Self.pageNotFound(request.path)
            }
            return .json(status: 200, body: list)
        case .resource(let path):
            if path.group == "authorization.k8s.io", path.plural == "selfsubjectaccessreviews" {
                return try selfSubjectAccessReview(user, request: request)
            }
            if path.group.isEmpty, path.plural == "serviceaccounts", path.subresource == "token", let name = path.name, let namespace = path.namespace {
                return try tokenRequest(namespace: namespace, name: name, request: request)
            }
            return try handleResource(path, request: request)
        case .healthz: return .text(status: 200, body: "ok")
        case .openAPIV3Index: return try openAPIIndex()
        case .openAPIV3Document(let group, let version): return try openAPIDocument(group: group, version: version, request: request)
        case .openAPIV2, .sandboxControl, .notFound: throw Self.pageNotFound(request.path)
        }
    }

    /// A request on a resource's objects.
    ///
    /// - Parameter requestAPIVersion: The API the client wrote through, when the request was converted
    ///   to the resource it is stored as (``handleStoredAsCoreEvents(_:request:served:)``).
    func handleResource(
        _ path: RequestTarget.ResourcePath, request: APIRequest, requestAPIVersion: String? = nil
    ) throws(APIError) -> APIResponse {
        guard let resource = sandbox.resource(group: path.group, version: path.version, plural: path.plural) else {
            throw Self.pageNotFound(request.path)
        }
        if resource.storedAs == .coreEvents { return try handleStoredAsCoreEvents(path, request: request, served: resource) }
        func writeOptions(_ kind: String) throws(APIError) -> WriteOptions {
            var options = try WriteOptions.parse(request.query, kind: kind, userAgent: request.headers["user-agent"])
            options.requestAPIVersion = requestAPIVersion
            return options
        }
        let namespace = resource.namespaced ? path.namespace : nil
        if resource.namespaced, path.namespace == nil, path.name != nil {
            throw Self.pageNotFound(request.path)
        }
        // A verb discovery does not list for the resource is refused, as the real handler refuses it.
        let verb = RequestAttributes(method: request.method, path: path, isWatch: request.isWatch, namespaced: resource.namespaced).verb
        if path.subresource == nil, !resource.verbs.contains(verb) {
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
        if path.subresource == "scale", resource.hasScale, let name = path.name {
            return try scaleRequest(resource, namespace: namespace, name: name, request: request)
        }
        let target = try updateTarget(path.subresource, resource: resource, request: request)
        let representation = path.subresource == nil ? Representation.parse(request.headers["accept"]) : .object
        switch (request.method, path.name) {
        case ("GET", nil):
            let options = try ListOptions.parse(request.query, resource: resource)
            if request.isWatch {
                let timeout = try request.query["timeoutSeconds"].map { text throws(APIError) -> Duration in
                    guard let seconds = Int(text), seconds >= 0 else { throw .badRequest("invalid timeoutSeconds: \(text)") }
                    // A day at most: the clock cannot add any duration a client may send.
                    return .seconds(min(seconds, 86_400))
                }
                let stream = try sandbox.watch(
                    resource, namespace: namespace, options: options, resourceVersion: request.query["resourceVersion"],
                    bookmarks: request.query["allowWatchBookmarks"] == "true", timeout: timeout)
                switch representation {
                case .object: return .watch(stream)
                case .metadata: return .watch(Self.mapping(stream, bookmarks: true) { Representation.partialMetadata($0) })
                case .table:
                    let printer = try printer(for: resource)
                    return .watch(Self.mapping(stream, bookmarks: false) { printer.table([$0], resourceVersion: nil) })
                }
            }
            let list = try sandbox.read { state throws(APIError) in try state.list(resource, namespace: namespace, options: options) }
            switch representation {
            case .object: return .json(status: 200, body: list)
            case .metadata: return .json(status: 200, body: Representation.partialMetadataList(list))
            case .table:
                return .json(
                    status: 200,
                    body: try printer(for: resource).table(
                        list[member: "items"]?.arrayElements ?? [], resourceVersion: list.value(atPath: "metadata.resourceVersion")?.stringValue,
                        continueToken: list.value(atPath: "metadata.continue")?.stringValue))
            }
        case ("GET", let name?):
            let object = try sandbox.read { state throws(APIError) in try state.get(resource, namespace: namespace, name: name) }
            switch representation {
            case .object: return .json(status: 200, body: object)
            case .metadata: return .json(status: 200, body: Representation.partialMetadata(object))
            case .table: return .json(status: 200, body: try printer(for: resource).table([object], resourceVersion: nil))
            }
        case ("POST", nil):
            let body = try Self.decodeBody(request)
            let options = try writeOptions("CreateOptions")
            let warnings = unknownFieldWarnings(body, resource: resource, options: options)
            let object = try sandbox.write { state throws(APIError) in try state.create(resource, namespace: namespace, body: body, options: options) }
            return .json(status: 201, body: object, headers: warnings)
        case ("PUT", let name?):
            let body = try Self.decodeBody(request)
            let options = try writeOptions("UpdateOptions")
            let object = try sandbox.write { state throws(APIError) in
                try state.update(resource, namespace: namespace, name: name, body: body, target: target, options: options)
            }
            return .json(status: 200, body: object, headers: unknownFieldWarnings(body, resource: resource, options: options))
        case ("PATCH", let name?):
            let options = try writeOptions("PatchOptions")
            let patch = try PatchRequest.parse(request, resource: resource)
            if case .apply = patch.format {
                let (object, created) = try sandbox.write { state throws(APIError) in
                    let applied = try state.apply(resource, namespace: namespace, name: name, config: patch.body, target: target, options: options)
                    return ((applied.object, applied.created), applied.changes)
                }
                return .json(status: created ? 201 : 200, body: object)
            }
            if options.force {
                throw .invalid(
                    kind: "PatchOptions", group: "meta.k8s.io", name: "",
                    causes: [.init(type: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force")])
            }
            let object = try sandbox.write { state throws(APIError) in
                try state.patch(resource, namespace: namespace, name: name, patch: patch, target: target, options: options)
            }
            return .json(status: 200, body: object)
        case ("DELETE", let name?):
            let body = request.body.isEmpty ? nil : try Self.decodeBody(request)
            let options = try DeleteOptions.parse(body: body, query: request.query)
            let outcome = try sandbox.write { state throws(APIError) in try state.delete(resource, namespace: namespace, name: name, options: options) }
            switch outcome {
            case .pending(let object): return .json(status: 200, body: object)
            case .removed(let object):
                // Pods come back as the deleted object; other kinds answer with a Success Status.
                if resource.storageKey == StorageKey(group: "", resource: "pods") { return .json(status: 200, body: object) }
                return .json(status: 200, body: Self.deletedStatus(object, resource: resource))
            }
        case ("DELETE", nil):
            let body = request.body.isEmpty ? nil : try Self.decodeBody(request)
            let deleteOptions = try DeleteOptions.parse(body: body, query: request.query)
            let listOptions = try ListOptions.parse(request.query, resource: resource)
            let result = try sandbox.write { state throws(APIError) in
                state.deleteCollection(resource, namespace: namespace, list: listOptions, options: deleteOptions)
            }
            return .json(status: 200, body: try result.get())
        default:
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// The `Warning` header a create or replace of a custom resource gets under `fieldValidation=Warn`:
    /// one `299` warning per unknown field the schema drops, as kube-apiserver words them. Patches are not
    /// checked (the sandbox would have to apply them twice).
    private func unknownFieldWarnings(_ body: JSONValue, resource: ResourceType, options: WriteOptions) -> [String: String] {
        guard options.warnFields, resource.isCustom else { return [:] }
        let removed = (try? sandbox.read { state in state.customSchemas[SchemaKey(resource)].flatMap { $0 }?.pruned(body).removed }) ?? nil
        guard let removed, !removed.isEmpty else { return [:] }
        let warnings = removed.map { path in
            let text = "unknown field \"\(path)\"".replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "299 - \"\(text)\""
        }
        return ["Warning": warnings.joined(separator: ", ")]
    }

    /// The table printer of a resource, with its CRD's printer columns.
    private func printer(for resource: ResourceType) throws(APIError) -> TablePrinter {
        let columns = try sandbox.read { state in state.printerColumns[SchemaKey(resource)] ?? nil }
        return TablePrinter(resource: resource, customColumns: columns, now: Date())
    }

    /// A watch whose objects are shown in another form; errors (and bookmarks, unless asked) pass as they are.
    static func mapping(
        _ stream: AsyncStream<WatchFrame>, bookmarks: Bool, _ transform: @escaping @Sendable (JSONValue) -> JSONValue
    ) -> AsyncStream<WatchFrame> {
        let (mapped, continuation) = AsyncStream.makeStream(of: WatchFrame.self)
        let task = Task {
            for await frame in stream {
                guard case .event(let type, let object) = frame else { continue }
                let changes = type == "ADDED" || type == "MODIFIED" || type == "DELETED" || (bookmarks && type == "BOOKMARK")
                continuation.yield(.event(type: type, object: changes ? transform(object) : object))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return mapped
    }

    /// The request's verb in RBAC's terms, which fault rules match on.
    private func verb(of target: RequestTarget, request: APIRequest) -> String {
        guard case .resource(let path) = target else { return request.method.lowercased() }
        // The scope does not change the verb; it is left out to spare a look-up.
        return RequestAttributes(method: request.method, path: path, isWatch: request.isWatch, namespaced: path.namespace != nil).verb
    }

    /// The injected delay a request to `path` waits before it is answered: none for health checks and
    /// the control path, and none at all (without parsing the path) when no latency is set.
    public func injectedLatency(forPath path: String) -> Duration {
        let latency = sandbox.injectedLatency
        guard latency > .zero else { return .zero }
        // Scope does not matter to tell a health check or a control from an API request.
        switch RequestTarget.parse(path, isNamespaced: { _, _, _ in nil }) {
        case .healthz, .sandboxControl: return .zero
        default: return latency
        }
    }

    /// Refuses what RBAC does not allow the user, with the 403 a real server gives.
    private func authorize(_ user: SandboxUser, target: RequestTarget, request: APIRequest) throws(APIError) {
        // Allowed everything without a look at any rule (and without taking the lock).
        if user.groups.contains("system:masters") { return }
        let attributes: RequestAttributes
        switch target {
        case .resource(let path):
            let namespaced = sandbox.resource(group: path.group, version: path.version, plural: path.plural)?.namespaced ?? (path.namespace != nil)
            attributes = RequestAttributes(
                method: request.method, path: path, isWatch: request.isWatch,
                namespaced: namespaced)
        default:
            attributes = RequestAttributes(verb: request.method.lowercased(), nonResourcePath: request.path)
        }
        let allowed = try sandbox.read { state in RBACAuthorizer(store: state.store).allows(user, attributes) }
        guard allowed else {
            var error = APIError.forbidden(RBACAuthorizer.forbiddenMessage(user, attributes))
            if attributes.nonResourcePath == nil {
                error.name = attributes.name.isEmpty ? nil : attributes.name
                error.group = attributes.apiGroup
                error.kind = attributes.resource
            }
            throw error
        }
    }

    /// `POST selfsubjectaccessreviews`: whether the requesting user may do what the review describes.
    private func selfSubjectAccessReview(_ user: SandboxUser, request: APIRequest) throws(APIError) -> APIResponse {
        guard request.method == "POST" else { throw .methodNotAllowed("the server does not allow this method on the requested resource") }
        var review = try Self.decodeBody(request)
        let attributes: RequestAttributes
        if let resource = review.value(atPath: "spec.resourceAttributes") {
            func field(_ name: String) -> String { resource[member: name]?.stringValue ?? "" }
            attributes = RequestAttributes(
                verb: field("verb"), apiGroup: field("group"), resource: field("resource"), subresource: field("subresource"),
                name: field("name"), namespace: field("namespace"))
        } else if let nonResource = review.value(atPath: "spec.nonResourceAttributes") {
            attributes = RequestAttributes(
                verb: nonResource[member: "verb"]?.stringValue ?? "", nonResourcePath: nonResource[member: "path"]?.stringValue ?? "")
        } else {
            throw .invalid(
                kind: "SelfSubjectAccessReview", group: "authorization.k8s.io", name: "",
                causes: [.init(type: "FieldValueRequired", message: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified", field: "spec.resourceAttributes")])
        }
        let allowed = try sandbox.read { state in RBACAuthorizer(store: state.store).allows(user, attributes) }
        review[member: "apiVersion"] = "authorization.k8s.io/v1"
        review[member: "kind"] = "SelfSubjectAccessReview"
        review[member: "metadata"] = ["creationTimestamp": .null]
        review[member: "status"] = allowed ? ["allowed": true, "reason": "allowed by RBAC"] : ["allowed": false]
        return .json(status: 201, body: review)
    }

    /// `POST serviceaccounts/NAME/token` (the TokenRequest API): a bearer token for the ServiceAccount.
    private func tokenRequest(namespace: String, name: String, request: APIRequest) throws(APIError) -> APIResponse {
        guard request.method == "POST" else { throw .methodNotAllowed("the server does not allow this method on the requested resource") }
        let body = request.body.isEmpty ? JSONValue.object([:]) : try Self.decodeBody(request)
        let serviceAccounts = StorageKey(group: "", resource: "serviceaccounts")
        try sandbox.read { (state: SandboxState) throws(APIError) in
            guard state.store.object(serviceAccounts, ObjectName(namespace: namespace, name: name)) != nil else {
                throw .notFound(serviceAccounts, name)
            }
        }
        let seconds = body.value(atPath: "spec.expirationSeconds")?.integerValue ?? 3_600
        guard seconds >= 600 else {
            throw .invalid(
                kind: "TokenRequest", group: "authentication.k8s.io", name: name,
                causes: [.init(type: "FieldValueInvalid", message: "Invalid value: \(seconds): may not specify a duration less than 10 minutes", field: "spec.expirationSeconds")])
        }
        let expires = Date().addingTimeInterval(TimeInterval(seconds))
        let token = users.issueServiceAccountToken(namespace: namespace, name: name, expires: expires)
        return .json(
            status: 201,
            body: [
                "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .null],
                "spec": ["expirationSeconds": .integer(seconds), "audiences": body.value(atPath: "spec.audiences") ?? ["https://kubernetes.default.svc"]],
                "status": ["token": .string(token), "expirationTimestamp": .string(expires.formatted(Date.ISO8601FormatStyle()))],
            ])
    }

    /// The part of the object a write targets: the object, or `/status` for kinds that have it.
    private func updateTarget(_ subresource: String?, resource: ResourceType, request: APIRequest) throws(APIError) -> SandboxState.UpdateTarget {
        switch subresource {
        case nil: return .main
        case "status" where resource.hasStatus:
            guard ["GET", "PUT", "PATCH"].contains(request.method) else {
                throw .methodNotAllowed("the server does not allow this method on the requested resource")
            }
            return .status
        default: throw Self.pageNotFound(request.path)
        }
    }

    /// The `Status` a delete answers with when the object was removed at once.
    static func deletedStatus(_ object: JSONValue, resource: ResourceType) -> JSONValue {
        let view = ObjectView(object)
        var details: [String: JSONValue] = ["name": .string(view.name ?? ""), "kind": .string(resource.plural)]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        if let uid = view.uid { details["uid"] = .string(uid) }
        return .object(["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "details": .object(details)])
    }

    /// The 404 of a path that names nothing (the server's own "page not found").
    static func pageNotFound(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    /// A JSON body as a tree.
    /// A request body as a tree: JSON, YAML, or the protobuf kubectl sends for the kinds
    /// ``ProtobufBody`` reads.
    static func decodeBody(_ request: APIRequest) throws(APIError) -> JSONValue {
        switch request.contentType {
        case nil, "application/json": return try JSONBody.parse(request.body)
        case "application/yaml": return try YAMLBody.parse(request.body)
        case ProtobufBody.contentType: return try ProtobufBody.parse(request.body)
        case let type? where type.hasSuffix("+json"): return try JSONBody.parse(request.body)
        case let type?: throw .unsupportedMediaType(type)
        }
    }
}
