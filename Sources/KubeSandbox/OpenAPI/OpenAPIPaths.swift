import KubeCore

/// The path items of one resource, laid out as kube-apiserver's installer (and, for custom resources,
/// apiextensions-apiserver's OpenAPI builder) lays them out: the collection and the object, in their
/// namespace for namespaced kinds plus a list across namespaces, and `/status` when it is served. Each
/// verb discovery lists becomes an operation with its `operationId`, `x-kubernetes-action`,
/// `x-kubernetes-group-version-kind` and the query parameters of its options type; the path parameters
/// and `pretty` sit on the path item, the rest on the operation, where kubectl looks for them.
///
/// `/scale` reads and writes an `autoscaling/v1` `Scale`, whose GVK its operations carry for built-in
/// kinds; apiextensions' builder gives a custom resource's `/scale` operations the resource's own GVK.
/// The deprecated `/watch/` paths are left out, as the sandbox does not serve them: a watch is a list
/// with `watch=true`. Answers are described as `application/json` only, the one form the sandbox writes.
struct OpenAPIPaths: Sendable {
    var resource: ResourceType
    var names: OpenAPISchemaNames

    /// What an operation does, as the operation id and `x-kubernetes-action` name it.
    private enum Action {
        case list, listAllNamespaces, create, deleteCollection, read, replace, patch, delete

        /// The value of `x-kubernetes-action`.
        var kubernetesAction: String {
            switch self {
            case .list, .listAllNamespaces: "list"
            case .create: "post"
            case .deleteCollection: "deletecollection"
            case .read: "get"
            case .replace: "put"
            case .patch: "patch"
            case .delete: "delete"
            }
        }

        /// The verb an operation id starts with.
        var operationVerb: String {
            switch self {
            case .list, .listAllNamespaces: "list"
            case .create: "create"
            case .deleteCollection, .delete: "delete"
            case .read: "read"
            case .replace: "replace"
            case .patch: "patch"
            }
        }

        /// The query parameters of the verb's options type.
        var parameters: [OpenAPIParameter] {
            switch self {
            case .list, .listAllNamespaces: OpenAPIParameter.list
            case .create: OpenAPIParameter.create
            case .deleteCollection: OpenAPIParameter.deleteCollection
            case .read: []
            case .replace: OpenAPIParameter.update
            case .patch: OpenAPIParameter.patch
            case .delete: OpenAPIParameter.delete
            }
        }
    }

    /// The path items, by path (`/apis/apps/v1/namespaces/{namespace}/deployments/{name}`).
    var items: [String: JSONValue] {
        let verbs = Set(resource.verbs)
        let root = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        let collection = resource.namespaced ? "\(root)/namespaces/{namespace}/\(resource.plural)" : "\(root)/\(resource.plural)"
        let scope: [OpenAPIParameter] = resource.namespaced ? [.namespace] : []
        let object = [OpenAPIParameter.name(of: resource.kind)] + scope
        var items: [String: JSONValue] = [:]
        func add(_ path: String, _ parameters: [OpenAPIParameter], _ operations: [(method: String, operation: JSONValue)]) {
            guard !operations.isEmpty else { return }
            var item = Dictionary(uniqueKeysWithValues: operations.map { ($0.method, $0.operation) })
            item["parameters"] = .array((parameters + [.pretty]).map(\.json))
            items[path] = .object(item)
        }

        if resource.namespaced, verbs.contains("list") {
            add("\(root)/\(resource.plural)", [], [("get", operation(.listAllNamespaces))])
        }
        var onCollection: [(method: String, operation: JSONValue)] = []
        if verbs.contains("list") { onCollection.append(("get", operation(.list))) }
        if verbs.contains("create") { onCollection.append(("post", operation(.create))) }
        if verbs.contains("deletecollection") { onCollection.append(("delete", operation(.deleteCollection))) }
        add(collection, scope, onCollection)

        var onObject: [(method: String, operation: JSONValue)] = []
        if verbs.contains("get") { onObject.append(("get", operation(.read))) }
        if verbs.contains("update") { onObject.append(("put", operation(.replace))) }
        if verbs.contains("patch") { onObject.append(("patch", operation(.patch))) }
        if verbs.contains("delete") { onObject.append(("delete", operation(.delete))) }
        add("\(collection)/{name}", object, onObject)

        for subresource in [resource.hasStatus ? "status" : nil, resource.hasScale ? "scale" : nil].compactMap({ $0 }) {
            add(
                "\(collection)/{name}/\(subresource)", object,
                [
                    ("get", operation(.read, subresource: subresource)), ("put", operation(.replace, subresource: subresource)),
                    ("patch", operation(.patch, subresource: subresource)),
                ])
        }
        return items
    }

    /// What the operations on a path read and write: the schema of their bodies and the GVK they carry.
    private struct Subject {
        var schema: String
        var group: String
        var kind: String
        var version: String

        /// The operation's `x-kubernetes-group-version-kind`: one map with exactly these three keys, which
        /// kubectl explain compares as a whole with the entries of the schemas' lists.
        var groupVersionKind: JSONValue { ["group": .string(group), "kind": .string(kind), "version": .string(version)] }
    }

    /// The resource itself for the object and `/status`; a `Scale` for `/scale`.
    private func subject(_ subresource: String?) -> Subject {
        if subresource == "scale" {
            return resource.isCustom
                ? Subject(schema: MetaSchemas.scale, group: resource.group, kind: resource.kind, version: resource.version)
                : Subject(schema: MetaSchemas.scale, group: "autoscaling", kind: "Scale", version: "v1")
        }
        return Subject(schema: names.kind, group: resource.group, kind: resource.kind, version: resource.version)
    }

    /// The content types a PATCH accepts: strategic merge patch only for built-in kinds, as
    /// `PatchRequest` refuses it for custom resources with the real server's 415. kubectl apply computes a
    /// strategic merge patch exactly when this list has it.
    var patchContentTypes: [String] {
        let common = StrategicMergePatch.customResourcePatchTypes
        return resource.isCustom ? common : common + ["application/strategic-merge-patch+json"]
    }

    private func operation(_ action: Action, subresource: String? = nil) -> JSONValue {
        let subject = subject(subresource)
        var operation: [String: JSONValue] = [
            "operationId": .string(operationID(action, subresource: subresource)),
            "description": .string(description(action, subresource: subresource)),
            "tags": [.string(Self.tag(group: resource.group, version: resource.version))],
            "x-kubernetes-action": .string(action.kubernetesAction),
            "x-kubernetes-group-version-kind": subject.groupVersionKind,
            "responses": responses(action, subject: subject),
        ]
        if !action.parameters.isEmpty { operation["parameters"] = .array(action.parameters.map(\.json)) }
        if let body = requestBody(action, subject: subject) { operation["requestBody"] = body }
        return .object(operation)
    }

    private func requestBody(_ action: Action, subject: Subject) -> JSONValue? {
        switch action {
        case .create, .replace:
            return ["content": ["application/json": ["schema": OpenAPISchemaNames.reference(subject.schema)]], "required": true]
        case .patch:
            let content = Dictionary(uniqueKeysWithValues: patchContentTypes.map { ($0, JSONValue.object(["schema": OpenAPISchemaNames.reference(MetaSchemas.patch)])) })
            return ["content": .object(content), "required": true]
        case .delete, .deleteCollection:
            return ["content": ["application/json": ["schema": OpenAPISchemaNames.reference(MetaSchemas.deleteOptions)]]]
        case .list, .listAllNamespaces, .read:
            return nil
        }
    }

    private func responses(_ action: Action, subject: Subject) -> JSONValue {
        func answer(_ schema: String, _ description: String, watch: Bool = false) -> JSONValue {
            var content: [String: JSONValue] = ["application/json": ["schema": OpenAPISchemaNames.reference(schema)]]
            if watch { content["application/json;stream=watch"] = ["schema": OpenAPISchemaNames.reference(schema)] }
            return ["description": .string(description), "content": .object(content)]
        }
        var responses: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        switch action {
        case .list, .listAllNamespaces:
            responses["200"] = answer(names.list, "OK", watch: true)
        case .create:
            responses["200"] = answer(subject.schema, "OK")
            responses["201"] = answer(subject.schema, "Created")
            responses["202"] = answer(subject.schema, "Accepted")
        case .read:
            responses["200"] = answer(subject.schema, "OK")
        case .replace, .patch:
            responses["200"] = answer(subject.schema, "OK")
            responses["201"] = answer(subject.schema, "Created")
        case .delete:
            responses["200"] = answer(MetaSchemas.status, "OK")
            responses["202"] = answer(MetaSchemas.status, "Accepted")
        case .deleteCollection:
            responses["200"] = answer(MetaSchemas.status, "OK")
        }
        return .object(responses)
    }

    /// `listCoreV1NamespacedPod`, `deleteAppsV1CollectionNamespacedDeployment`,
    /// `patchHierachainIoV1alpha1SubChainStatus`, `listCoreV1PodForAllNamespaces`: the verb, the group
    /// and version, then the scope and the kind, as kube-apiserver's operation namer puts them.
    private func operationID(_ action: Action, subresource: String?) -> String {
        var id = action.operationVerb + Self.identifier(Self.groupName(resource.group), capitalized: true)
            + Self.identifier(resource.version, capitalized: true)
        if action == .deleteCollection { id += "Collection" }
        if resource.namespaced, action != .listAllNamespaces { id += "Namespaced" }
        id += resource.kind
        if let subresource { id += Self.identifier(subresource, capitalized: true) }
        if action == .listAllNamespaces { id += "ForAllNamespaces" }
        return id
    }

    private func description(_ action: Action, subresource: String?) -> String {
        let kind = resource.kind
        let article = "aeiouAEIOU".contains(kind.first ?? "x") ? "an" : "a"
        let of = subresource.map { " \($0) of" } ?? ""
        switch action {
        case .list, .listAllNamespaces: return "list or watch objects of kind \(kind)"
        case .create: return "create \(article) \(kind)"
        case .deleteCollection: return "delete collection of \(kind)"
        case .read: return "read\(of) the specified \(kind)"
        case .replace: return "replace\(of) the specified \(kind)"
        case .patch: return "partially update\(of) the specified \(kind)"
        case .delete: return "delete \(article) \(kind)"
        }
    }

    /// The tag of a group version's operations: `core_v1`, `apps_v1`, `rbacAuthorization_v1`.
    static func tag(group: String, version: String) -> String {
        identifier(groupName(group), capitalized: false) + "_" + identifier(version, capitalized: false)
    }

    /// The group as operation ids name it: `core` for the core group, without the `.k8s.io` suffix.
    private static func groupName(_ group: String) -> String {
        if group.isEmpty { return "core" }
        return group.hasSuffix(".k8s.io") ? String(group.dropLast(".k8s.io".count)) : group
    }

    /// Letters and digits only, each word after a separator capitalized: `rbac.authorization` becomes
    /// `RbacAuthorization` (or `rbacAuthorization`), `hierachain.io` becomes `HierachainIo`.
    private static func identifier(_ text: String, capitalized: Bool) -> String {
        var result = ""
        var capitalizeNext = capitalized
        for character in text {
            guard character.isLetter || character.isNumber else {
                capitalizeNext = true
                continue
            }
            result += capitalizeNext ? character.uppercased() : String(character)
            capitalizeNext = false
        }
        return result
    }
}
