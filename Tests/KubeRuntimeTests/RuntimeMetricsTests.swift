import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import KubeTestSupport
import Testing

@testable import KubeRuntime

/// The metrics carry controller-runtime's and client-go's names and labels, so existing dashboards
/// read them; queue figures come from the queue's own counts at each scrape.
@Suite struct RuntimeMetricsTests {
    /// The exposition's lines (gauges print as floating-point numbers, `2.0`).
    private func text(_ metrics: RuntimeMetrics) -> [String] {
        String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func reconcilesRequestsAndRestartsUseTheGoNamesAndLabels() {
        let metrics = RuntimeMetrics()
        metrics.controllerStarted("subchain", maxConcurrentReconciles: 2)
        metrics.reconciled("subchain", result: .success, duration: .milliseconds(12))
        metrics.reconciled("subchain", result: .success, duration: .milliseconds(3))
        metrics.reconciled("subchain", result: .error, duration: .seconds(2))
        metrics.requestFinished(RequestResult(method: "GET", host: "127.0.0.1:6443", statusCode: 200, duration: .milliseconds(4)))
        metrics.requestFinished(RequestResult(method: "PATCH", host: "127.0.0.1:6443", statusCode: nil, duration: .seconds(1)))
        metrics.watchRestarted("configmaps", reason: .expired)
        metrics.watchRestarted("configmaps", reason: .expired)
        let lines = text(metrics)
        for expected in [
            #"controller_runtime_reconcile_total{controller="subchain",result="success"} 2"#,
            #"controller_runtime_reconcile_total{controller="subchain",result="error"} 1"#,
            // Series exist at zero from the start, as controller-runtime creates them.
            #"controller_runtime_reconcile_total{controller="subchain",result="requeue_after"} 0"#,
            #"controller_runtime_reconcile_errors_total{controller="subchain"} 1"#,
            #"controller_runtime_reconcile_time_seconds_count{controller="subchain"} 3"#,
            #"controller_runtime_reconcile_time_seconds_bucket{controller="subchain",le="0.005"} 1"#,
            #"controller_runtime_max_concurrent_reconciles{controller="subchain"} 2.0"#,
            #"rest_client_requests_total{code="200",method="GET",host="127.0.0.1:6443"} 1"#,
            #"rest_client_requests_total{code="<error>",method="PATCH",host="127.0.0.1:6443"} 1"#,
            #"rest_client_request_duration_seconds_count{verb="GET",host="127.0.0.1:6443"} 1"#,
            #"kube_runtime_watch_restarts_total{resource="configmaps",reason="expired"} 2"#,
            "# TYPE controller_runtime_reconcile_time_seconds histogram",
            "# HELP controller_runtime_reconcile_errors_total Reconciles per controller that failed.",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
    }

    @Test func aRegisteredQueueIsReadAtEachScrape() async {
        let metrics = RuntimeMetrics()
        let queue = WorkQueue<String>(maxConcurrentReconciles: 1, name: "subchain", metrics: metrics)
        queue.add("a")
        queue.add("b")
        queue.add("a")
        var lines = text(metrics)
        #expect(lines.contains(#"workqueue_depth{name="subchain",controller="subchain"} 2.0"#))
        #expect(lines.contains(#"workqueue_adds_total{name="subchain",controller="subchain"} 2"#))
        #expect(lines.contains("# HELP workqueue_depth Keys waiting in the work queue."))

        // Process both keys, then look again: the depth falls, the adds stay, the durations are counted.
        let runner = Task { await queue.run { _ in .success } }
        while queue.metrics.depth > 0 || queue.metrics.processing > 0 { await Task.yield() }
        queue.add("c", after: .milliseconds(1))
        queue.shutDown()
        await runner.value
        lines = text(metrics)
        #expect(lines.contains(#"workqueue_depth{name="subchain",controller="subchain"} 0.0"#))
        #expect(lines.contains(#"workqueue_adds_total{name="subchain",controller="subchain"} 2"#))
        #expect(lines.contains(#"workqueue_retries_total{name="subchain",controller="subchain"} 1"#))
        #expect(lines.contains(#"workqueue_queue_duration_seconds_count{name="subchain",controller="subchain"} 2"#))
        #expect(lines.contains(#"workqueue_work_duration_seconds_count{name="subchain",controller="subchain"} 2"#))
    }

    @Test func aControllerReportsItsReconcilesQueueRequestsAndWatchRestarts() async throws {
        let server = try await SandboxServer.start(sandbox: Sandbox())
        let metrics = RuntimeMetrics()
        var configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(server.kubeconfig()))
        configuration.retryPolicy = .none
        configuration.requestObserver = metrics
        let client = try KubeClient(configuration: configuration)
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "watched", namespace: "default"), data: ["v": "1"]))
        let scope = WatcherConfiguration(namespace: "default", backoff: ExponentialBackoff(initial: .milliseconds(20)))
        let controller = Controller(client, for: ConfigMap.self, configuration: scope, name: "configmap", metrics: metrics)
        let runner = Task { await controller.run { _, _ in .done } }
        try await eventually { text(metrics).contains(#"controller_runtime_reconcile_total{controller="configmap",result="success"} 1"#) }

        // A watch the server ends, and a resume refused with 410, are counted by reason.
        try server.sandbox.injectFailures(FaultPlan.Rule(verb: "watch", status: 410, count: 1))
        server.sandbox.cutWatches()
        try await eventually { text(metrics).contains(#"kube_runtime_watch_restarts_total{resource="configmaps",reason="expired"} 1"#) }

        let lines = text(metrics)
        let host = "127.0.0.1:\(server.port)"
        #expect(lines.contains { $0.hasPrefix(#"rest_client_requests_total{code="200",method="GET",host="\#(host)"}"#) })
        #expect(lines.contains { $0.hasPrefix(#"rest_client_requests_total{code="410",method="GET",host="\#(host)"} 1"#) })
        #expect(lines.contains(#"workqueue_adds_total{name="configmap",controller="configmap"} 1"#))
        #expect(lines.contains(#"controller_runtime_active_workers{controller="configmap"} 0.0"#))
        runner.cancel()
        _ = await runner.value
        await server.stop()
        try await client.shutdown()
    }

    @Test func leaderStatusIsReadFromTheElector() async throws {
        let metrics = RuntimeMetrics()
        let client = try KubeClient(configuration: ClientConfiguration(server: "https://127.0.0.1:1"))
        let elector = LeaderElector(
            client: client, configuration: try LeaderElectionConfiguration(identity: "a", leaseNamespace: "system", leaseName: "operator"))
        metrics.register(elector, name: "operator")
        #expect(text(metrics).contains(#"leader_election_master_status{name="operator"} 0.0"#))
        try await client.shutdown()
    }
}
