import KubeCore

extension SandboxAPI {
    /// `/scale` of a kind that has it: an `autoscaling/v1` `Scale` read from and written to the object's
    /// `spec.replicas` (`kubectl scale`, autoscalers).
    func scaleRequest(_ resource: ResourceType, namespace: String?, name: String, request: APIRequest) throws(APIError) -> APIResponse {
        switch request.method {
        case "GET":
            return .json(status: 200, body: try sandbox.read { state throws(APIError) in try state.scale(resource, namespace: namespace, name: name) })
        case "PUT":
            let body = try Self.decodeBody(request)
            let options = try WriteOptions.parse(request.query, kind: "UpdateOptions", userAgent: request.headers["user-agent"])
            let scale = try sandbox.write { state throws(APIError) in
                try state.updateScale(resource, namespace: namespace, name: name, body: body, options: options)
            }
            return .json(status: 200, body: scale)
        case "PATCH":
            let options = try WriteOptions.parse(request.query, kind: "PatchOptions", userAgent: request.headers["user-agent"])
            let patch = try PatchRequest.parse(request, resource: resource)
            let scale = try sandbox.write { state throws(APIError) in
                try state.patchScale(resource, namespace: namespace, name: name, patch: patch, options: options)
            }
            return .json(status: 200, body: scale)
        default:
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }
}
