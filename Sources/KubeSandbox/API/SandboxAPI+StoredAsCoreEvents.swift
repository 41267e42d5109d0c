import KubeCore

extension SandboxAPI {
    /// A request on `events.k8s.io/v1` Events, served from the core `v1` Events they are stored as: the
    /// body, patch and field selector are converted to the core shape, the request runs against the core
    /// resource (under the newer API's validation rules), and the objects, lists, watch events and errors
    /// that come back are converted to the newer shape. RBAC has already been checked against the path the
    /// client used.
    ///
    /// Tables are printed from the core shape, as the server prints both through one internal type, so
    /// `kubectl get events.events.k8s.io` and `kubectl get events` show the same columns. Managed fields
    /// are recorded by the core request, so an entry written through the newer API names `v1` and the core
    /// field names.
    func handleStoredAsCoreEvents(
        _ path: RequestTarget.ResourcePath, request: APIRequest, served: ResourceType
    ) throws(APIError) -> APIResponse {
        var corePath = path
        corePath.group = ""
        corePath.version = EventConversion.coreAPIVersion
        var coreRequest = request
        if let selector = request.query["fieldSelector"] {
            coreRequest.query["fieldSelector"] = try EventConversion.fieldSelectorToCore(selector)
        }
        if !request.body.isEmpty, ["POST", "PUT", "PATCH"].contains(request.method) {
            try Self.convertBodyToCore(&coreRequest, served: served)
        }
        let response: APIResponse
        do {
            response = try handleResource(corePath, request: coreRequest, requestAPIVersion: served.apiVersion)
        } catch {
            throw Self.servedError(error, served: served)
        }
        switch response {
        case .json(let status, let body, let headers): return .json(status: status, body: Self.servedBody(body, served: served), headers: headers)
        case .watch(let stream): return .watch(Self.mapping(stream, bookmarks: true) { Self.servedBody($0, served: served) })
        case .text: return response
        }
    }

    /// The request body in the core shape, as JSON (an applied configuration stays an apply patch: YAML
    /// reads JSON). A `DELETE` body (DeleteOptions) is the same in both APIs and is left alone.
    private static func convertBodyToCore(_ request: inout APIRequest, served: ResourceType) throws(APIError) {
        let converted: JSONValue
        switch (request.method, request.contentType) {
        case ("PATCH", "application/json-patch+json"):
            converted = EventConversion.jsonPatchToCore(try JSONBody.parse(request.body))
        case ("PATCH", "application/strategic-merge-patch+json"):
            converted = EventConversion.strategicPatchToCore(try JSONBody.parse(request.body))
        case ("PATCH", "application/merge-patch+json"):
            converted = EventConversion.toCore(try JSONBody.parse(request.body))
        case ("PATCH", "application/apply-patch+yaml"):
            converted = EventConversion.toCore(try YAMLBody.parse(request.body))
        case ("PATCH", let other):
            throw .unsupportedMediaType(other ?? "none")
        default:
            let body = try decodeBody(request)
            if let apiVersion = body[member: "apiVersion"]?.stringValue, apiVersion != served.apiVersion {
                // The core check would name the core version as the one expected.
                throw .badRequest(
                    "the API version in the data (\(apiVersion)) does not match the expected API version (\(served.apiVersion))")
            }
            converted = EventConversion.toCore(body)
            request.headers["content-type"] = "application/json"
        }
        request.body = JSONBody.serialize(converted)
    }

    /// A response body as the newer API shows it: Events and EventLists converted, a deletion's Status
    /// naming the newer group; tables and partial metadata are the same in both.
    private static func servedBody(_ body: JSONValue, served: ResourceType) -> JSONValue {
        switch body[member: "kind"]?.stringValue {
        case served.kind? where body[member: "apiVersion"]?.stringValue == EventConversion.coreAPIVersion:
            return EventConversion.toEvents(body)
        case served.listKind?:
            var list = body
            list[member: "apiVersion"] = .string(served.apiVersion)
            list[member: "items"] = body[member: "items"]?.arrayElements.map { .array($0.map(EventConversion.toEvents)) }
            return list
        case "Status"?:
            guard body.value(atPath: "details.group")?.stringValue == "" else { return body }
            var status = body
            status[member: "details"]?[member: "group"] = .string(served.group)
            return status
        default:
            return body
        }
    }

    /// A failure of the core request, naming the resource the client asked for
    /// (`events.events.k8s.io "x" not found`, `Event.events.k8s.io "x" is invalid: …`).
    private static func servedError(_ error: APIError, served: ResourceType) -> APIError {
        guard error.group == "" else { return error }
        switch error.kind {
        case served.plural?:
            var renamed = error
            renamed.group = served.group
            let core = "\(served.plural) \""
            if let range = error.message.range(of: core) {
                renamed.message.replaceSubrange(range, with: "\(served.qualifiedResource) \"")
            }
            return renamed
        case served.kind? where error.reason == "Invalid":
            var renamed = APIError.invalid(kind: served.kind, group: served.group, name: error.name ?? "", causes: error.causes)
            renamed.retryAfterSeconds = error.retryAfterSeconds
            return renamed
        default:
            return error
        }
    }
}
