import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// The sandbox's fault injection: failures on matching requests, latency, cut watches, compaction and
/// a restart that keeps the store. Nothing here exists on a real cluster, so the HTTP tests skip there.
@Suite struct FaultInjectionTests {
    @Test func aRuleFailsTheNextMatchingRequestsInOrderThenLetsThemThrough() throws {
        var plan = FaultPlan()
        try plan.add(FaultPlan.Rule(verb: "get", pathPrefix: "/api/v1/namespaces/a/", status: 500, count: 2))
        try plan.add(FaultPlan.Rule(status: 429, retryAfterSeconds: 3))
        #expect(plan.match(verb: "get", path: "/api/v1/namespaces/a/configmaps/x")?.status == 500)
        // Not the first rule's verb: the catch-all second rule answers, and is used up.
        #expect(plan.match(verb: "list", path: "/api/v1/namespaces/a/configmaps")?.status == 429)
        #expect(plan.match(verb: "list", path: "/api/v1/namespaces/a/configmaps") == nil)
        #expect(plan.match(verb: "get", path: "/api/v1/namespaces/b/configmaps/x") == nil)
        #expect(plan.match(verb: "get", path: "/api/v1/namespaces/a/configmaps/x")?.status == 500)
        #expect(plan.match(verb: "get", path: "/api/v1/namespaces/a/configmaps/x") == nil)
        #expect(plan.rules.isEmpty)
    }

    @Test func aRuleThatCannotBeInjectedIsRefusedNamingWhy() {
        var plan = FaultPlan()
        #expect(throws: FaultPlanError.unsupportedStatus(200)) { try plan.add(FaultPlan.Rule(status: 200)) }
        #expect(throws: FaultPlanError.countNotPositive(0)) { try plan.add(FaultPlan.Rule(status: 500, count: 0)) }
        #expect(throws: FaultPlanError.negativeRetryAfter(-1)) { try plan.add(FaultPlan.Rule(status: 429, retryAfterSeconds: -1)) }
        #expect(FaultPlanError.unsupportedStatus(200).description.contains("status 200 cannot be injected"))
        #expect(plan.rules.isEmpty)
    }

    @Test func anInjected429CarriesRetryAfterAndTheStatusAServerSends() throws {
        let users = SandboxUsers()
        let api = SandboxAPI(sandbox: Sandbox(), users: users)
        try api.sandbox.injectFailures(FaultPlan.Rule(verb: "list", status: 429, retryAfterSeconds: 2))
        let request = APIRequest(
            method: "GET", path: "/api/v1/namespaces/default/configmaps", headers: ["authorization": "Bearer \(users.adminToken)"])
        guard case .json(let status, let body, let headers) = api.handle(request) else {
            Issue.record("expected a JSON answer")
            return
        }
        #expect(status == 429)
        #expect(headers["Retry-After"] == "2")
        #expect(body[member: "reason"]?.stringValue == "TooManyRequests")
        #expect(body.value(atPath: "details.retryAfterSeconds")?.integerValue == 2)
        #expect(body[member: "message"]?.stringValue?.hasPrefix("injected by the sandbox") == true)
        // Used up: the same request now lists.
        guard case .json(let again, _, _) = api.handle(request) else {
            Issue.record("expected a JSON answer")
            return
        }
        #expect(again == 200)
    }

    @Test func theControlPathIsTheAdminsAndChecksWhatItIsGiven() throws {
        let users = SandboxUsers()
        let api = SandboxAPI(sandbox: Sandbox(), users: users)
        func send(_ method: String, _ path: String, _ body: String = "", token: String? = nil) -> (Int, JSONValue) {
            let request = APIRequest(
                method: method, path: path,
                headers: ["authorization": "Bearer \(token ?? users.adminToken)", "content-type": "application/json"], body: Array(body.utf8))
            guard case .json(let status, let document, _) = api.handle(request) else { return (0, .null) }
            return (status, document)
        }
        let (added, plan) = send("POST", "/sandbox/v1/faults", #"{"verb":"create","path":"/api/v1/namespaces/demo/","status":409,"count":2}"#)
        #expect(added == 201)
        #expect(plan[member: "rules"]?.arrayElements?.first?[member: "count"]?.integerValue == 2)
        #expect(send("PUT", "/sandbox/v1/latency", #"{"milliseconds":25}"#).1[member: "latencyMilliseconds"]?.integerValue == 25)
        #expect(api.sandbox.faultPlan.latency == .milliseconds(25))

        let (badStatus, badBody) = send("POST", "/sandbox/v1/faults", #"{"status":"500"}"#)
        #expect(badStatus == 400)
        #expect(badBody[member: "message"]?.stringValue?.contains("\"status\" must be a whole number") == true)
        let (unknown, unknownBody) = send("POST", "/sandbox/v1/faults", #"{"status":500,"verbs":"get"}"#)
        #expect(unknown == 400)
        #expect(unknownBody[member: "message"]?.stringValue?.contains("unknown field \"verbs\"") == true)
        #expect(send("POST", "/sandbox/v1/faults", #"{"status":201}"#).0 == 400)
        #expect(send("PUT", "/sandbox/v1/latency", #"{"milliseconds":-5}"#).0 == 400)
        #expect(send("PATCH", "/sandbox/v1/faults").0 == 405)
        #expect(send("GET", "/sandbox/v1/nothing").0 == 404)

        let serviceAccount = users.issueServiceAccountToken(namespace: "default", name: "default", expires: Date().addingTimeInterval(600))
        #expect(send("GET", "/sandbox/v1/faults", token: serviceAccount).0 == 403)

        let (cleared, empty) = send("DELETE", "/sandbox/v1/faults")
        #expect(cleared == 200)
        #expect(empty[member: "rules"]?.arrayElements?.isEmpty == true && empty[member: "latencyMilliseconds"]?.integerValue == 0)
    }

    @Test func clientsSeeInjectedFailuresOverHTTPAndRecoverWhenTheyAreUsedUp() async throws {
        try await TestCluster.run { cluster in
            guard let server = cluster.sandboxOnly("fault injection is the sandbox's own") else { return }
            _ = try await cluster.client.create(configMap("a", namespace: cluster.namespace))
            try server.sandbox.injectFailures(
                FaultPlan.Rule(verb: "get", pathPrefix: "/api/v1/namespaces/\(cluster.namespace)/configmaps", status: 500, count: 2))
            try server.sandbox.injectFailures(FaultPlan.Rule(verb: "create", status: 409))
            for _ in 0..<2 {
                let failed = await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "a", namespace: cluster.namespace) }
                #expect(failed == .serverError)
            }
            #expect(try await cluster.client.get(ConfigMap.self, name: "a", namespace: cluster.namespace).data == ["k": "v"])
            let conflict = await errorCode { _ = try await cluster.client.create(configMap("b", namespace: cluster.namespace)) }
            #expect(conflict == .conflict)
            // The refused create stored nothing.
            let missing = await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "b", namespace: cluster.namespace) }
            #expect(missing == .notFound)

            // A client that retries rides over a 429 it is told to wait out.
            try server.sandbox.injectFailures(FaultPlan.Rule(verb: "get", status: 429, retryAfterSeconds: 0))
            var configuration = cluster.configuration
            configuration.retryPolicy = RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50))
            let retrying = try KubeClient(configuration: configuration)
            let read = try await retrying.get(ConfigMap.self, name: "a", namespace: cluster.namespace)
            try await retrying.shutdown()
            #expect(read.metadata.name == "a")
            #expect(server.sandbox.faultPlan.rules.isEmpty)
        }
    }

    @Test func aRestartKeepsTheStoreAndTheKubeconfigWhileWatchesEnd() async throws {
        try await TestCluster.run { cluster in
            guard let server = cluster.sandboxOnly("restarting the API server on demand is a sandbox fault hook") else { return }
            let created = try await cluster.client.create(configMap("kept", namespace: cluster.namespace))
            let stream = try await cluster.client.watch(
                ConfigMap.self, namespace: cluster.namespace, options: WatchOptions(resourceVersion: created.metadata.resourceVersion))
            let restarted = try await server.restart()
            do {
                // The watch ends with the server, as a client sees a real restart.
                var events = 0
                do {
                    for try await _ in stream { events += 1 }
                } catch {}
                #expect(events == 0)
                #expect(restarted.port == server.port && restarted.certificateAuthorityPEM == server.certificateAuthorityPEM)
                let read = try await cluster.client.get(ConfigMap.self, name: "kept", namespace: cluster.namespace)
                #expect(read.metadata.resourceVersion == created.metadata.resourceVersion && read.metadata.uid == created.metadata.uid)
                _ = try await cluster.client.create(configMap("after", namespace: cluster.namespace))
            } catch {
                await restarted.stop()
                throw error
            }
            // Stopped after the test's namespace is gone, by the cluster's tear-down: this server is the one serving it.
            _ = try await cluster.client.delete(Namespace.self, name: cluster.namespace)
            await restarted.stop()
        }
    }

    @Test func theControlPathCompactsHistorySoAnOldWatchGets410() async throws {
        try await TestCluster.run { cluster in
            guard cluster.sandboxOnly("the control path is the sandbox's own") != nil else { return }
            let old = try await cluster.client.create(configMap("old", namespace: cluster.namespace))
            _ = try await cluster.client.create(configMap("new", namespace: cluster.namespace))
            let request = KubeRequest(method: .delete, path: "/sandbox/v1/history", headers: ["Accept": "application/json"])
            _ = try await cluster.client.send(request)
            let gone = await errorCode {
                let stream = try await cluster.client.watch(
                    ConfigMap.self, namespace: cluster.namespace, options: WatchOptions(resourceVersion: old.metadata.resourceVersion))
                for try await _ in stream {}
            }
            #expect(gone == .gone)
        }
    }
}
