import KubeCore

/// The sandbox's fault-injection controls over HTTP, under `/sandbox/v1/`, for tests that drive a
/// sandbox in another process. Only the admin user (group `system:masters`) may use them; they are not
/// Kubernetes resources, so their bodies are plain JSON documents and their errors `Status` objects.
///
/// - `GET /sandbox/v1/faults`: the plan, `{"rules": [...], "latencyMilliseconds": N}`.
/// - `POST /sandbox/v1/faults` with `{"verb": "create", "path": "/api/v1/namespaces/demo/configmaps",
///   "status": 500, "count": 2, "retryAfterSeconds": 1}` (all but `status` optional): adds a rule.
/// - `DELETE /sandbox/v1/faults`: forgets every rule and the latency.
/// - `PUT /sandbox/v1/latency` with `{"milliseconds": 200}`: delays every API request.
/// - `DELETE /sandbox/v1/watches`: ends every open watch.
/// - `DELETE /sandbox/v1/history`: forgets the change history, so the next watch from an earlier
///   resourceVersion gets 410 Gone.
extension SandboxAPI {
    func control(_ segments: [String], user: SandboxUser, request: APIRequest) throws(APIError) -> APIResponse {
        guard user.groups.contains("system:masters") else {
            throw .forbidden("forbidden: User \"\(user.name)\" cannot use the sandbox's fault-injection controls: only its admin user may")
        }
        switch (request.method, segments) {
        case ("GET", ["faults"]):
            return .json(status: 200, body: Self.document(sandbox.faultPlan))
        case ("POST", ["faults"]):
            let body = try Self.decodeBody(request)
            let rule = try Self.rule(from: body)
            do throws(FaultPlanError) {
                try sandbox.injectFailures(rule)
            } catch {
                throw .badRequest("invalid fault: \(error)")
            }
            return .json(status: 201, body: Self.document(sandbox.faultPlan))
        case ("DELETE", ["faults"]):
            sandbox.clearFaults()
            return .json(status: 200, body: Self.document(sandbox.faultPlan))
        case ("PUT", ["latency"]):
            let body = try Self.decodeBody(request)
            guard let milliseconds = body[member: "milliseconds"]?.integerValue else {
                throw .badRequest("invalid latency: \"milliseconds\" must be a whole number")
            }
            do throws(FaultPlanError) {
                try sandbox.setLatency(.milliseconds(milliseconds))
            } catch {
                throw .badRequest("invalid latency: \(error)")
            }
            return .json(status: 200, body: Self.document(sandbox.faultPlan))
        case ("DELETE", ["watches"]):
            sandbox.cutWatches()
            return .json(status: 200, body: ["openWatches": .integer(Int64(sandbox.openWatches))])
        case ("DELETE", ["history"]):
            sandbox.compactHistory()
            return .json(status: 200, body: .object([:]))
        case (_, ["faults"]), (_, ["latency"]), (_, ["watches"]), (_, ["history"]):
            throw .methodNotAllowed("the sandbox's \(segments.joined(separator: "/")) control does not take \(request.method)")
        default:
            throw Self.pageNotFound(request.path)
        }
    }

    /// A rule from its JSON form, every field checked and named when wrong.
    static func rule(from body: JSONValue) throws(APIError) -> FaultPlan.Rule {
        guard let members = body.objectMembers else { throw .badRequest("invalid fault: the body must be a JSON object") }
        let known: Set<String> = ["verb", "path", "status", "count", "retryAfterSeconds"]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("invalid fault: unknown field \"\(unknown)\"; the fields are \(known.sorted().joined(separator: ", "))")
        }
        func text(_ name: String) throws(APIError) -> String? {
            guard let value = members[name], value != .null else { return nil }
            guard let text = value.stringValue, !text.isEmpty else { throw .badRequest("invalid fault: \"\(name)\" must be a non-empty string") }
            return text
        }
        func number(_ name: String) throws(APIError) -> Int? {
            guard let value = members[name], value != .null else { return nil }
            guard let number = value.integerValue, let int = Int(exactly: number) else {
                throw .badRequest("invalid fault: \"\(name)\" must be a whole number")
            }
            return int
        }
        guard let status = try number("status") else { throw .badRequest("invalid fault: \"status\" is required") }
        return FaultPlan.Rule(
            verb: try text("verb"), pathPrefix: try text("path"), status: status, count: try number("count") ?? 1,
            retryAfterSeconds: try number("retryAfterSeconds"))
    }

    /// The plan as the control path shows it.
    static func document(_ plan: FaultPlan) -> JSONValue {
        let rules: [JSONValue] = plan.rules.map { rule in
            var members: [String: JSONValue] = ["status": .integer(Int64(rule.status)), "count": .integer(Int64(rule.remaining))]
            if let verb = rule.verb { members["verb"] = .string(verb) }
            if let path = rule.pathPrefix { members["path"] = .string(path) }
            if let seconds = rule.retryAfterSeconds { members["retryAfterSeconds"] = .integer(Int64(seconds)) }
            return .object(members)
        }
        let milliseconds = plan.latency.components.seconds * 1_000 + plan.latency.components.attoseconds / 1_000_000_000_000_000
        return ["rules": .array(rules), "latencyMilliseconds": .integer(milliseconds)]
    }
}
