import Synchronization

/// Fault injection, for tests only: what a real kube-apiserver does under load or while restarting,
/// on demand. The same controls are served over HTTP under `/sandbox/v1/` (``SandboxAPI``).
extension Sandbox {
    /// Fails the next `rule.remaining` API requests that match the rule with its status.
    ///
    /// - Throws: ``FaultPlanError`` naming what the rule gets wrong.
    public func injectFailures(_ rule: FaultPlan.Rule) throws(FaultPlanError) {
        try faults.withLock { (plan: inout FaultPlan) throws(FaultPlanError) in try plan.add(rule) }
    }

    /// Delays every API request by `latency` before it is answered (zero for none).
    public func setLatency(_ latency: Duration) throws(FaultPlanError) {
        guard latency >= .zero else { throw .negativeLatency }
        faults.withLock { $0.latency = latency }
    }

    /// Forgets every injected failure and the latency.
    public func clearFaults() {
        faults.withLock { $0.clear() }
    }

    /// The failures still to be injected and the latency.
    public var faultPlan: FaultPlan { faults.withLock { $0 } }

    /// The failure this request gets, if a rule matches it (using up one of the rule's failures).
    func injectedFailure(verb: String, path: String) -> APIError? {
        guard let rule = faults.withLock({ $0.match(verb: verb, path: path) }) else { return nil }
        return APIError.injected(rule)
    }

    /// The delay to add before answering an API request.
    var injectedLatency: Duration { faults.withLock { $0.latency } }
}

extension APIError {
    /// The `Status` of an injected failure: the reason apimachinery gives the status code, and a message
    /// that says where it came from, so that a test log never mistakes it for a real error.
    static func injected(_ rule: FaultPlan.Rule) -> APIError {
        // A rule's status is one of the plan's (``FaultPlan/add(_:)`` checks), so the reason is always found.
        var error = APIError(
            code: rule.status, reason: FaultPlan.reasons[rule.status] ?? "InternalError",
            message: "injected by the sandbox: \(rule.verb ?? "any verb") on \(rule.pathPrefix ?? "any path") fails with \(rule.status)")
        error.retryAfterSeconds = rule.retryAfterSeconds
        return error
    }
}
