/// The answer to one `/healthz` or `/readyz` request, in the format kube-apiserver and controller-runtime
/// use, which `kubectl get --raw /readyz?verbose` users and probes expect: `ok` when everything passes;
/// otherwise (or with `verbose`) one line per check, `[+]name ok` or `[-]name failed: reason withheld`,
/// then `readyz check failed` (the reason itself only with `verbose`, since probes are unauthenticated).
struct HealthReport: Sendable, Equatable {
    var status: Int
    var body: String

    /// The report over `results` (name and failure reason, in check order) for endpoint `endpoint`
    /// (`healthz` or `readyz`).
    init(endpoint: String, results: [(name: String, failure: String?)], verbose: Bool) {
        let failed = results.contains { $0.failure != nil }
        status = failed ? 500 : 200
        guard failed || verbose else {
            body = "ok"
            return
        }
        var lines = results.map { result in
            guard let failure = result.failure else { return "[+]\(result.name) ok" }
            return "[-]\(result.name) failed: \(verbose ? failure : "reason withheld")"
        }
        lines.append("\(endpoint) check \(failed ? "failed" : "passed")")
        body = lines.joined(separator: "\n") + "\n"
    }

    /// The report of one check (`/readyz/NAME`): `ok`, or `internal server error: REASON` as
    /// controller-runtime answers a single failing check.
    init(single failure: String?) {
        status = failure == nil ? 200 : 500
        body = failure.map { "internal server error: \($0)" } ?? "ok"
    }
}
