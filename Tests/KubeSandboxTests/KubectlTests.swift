import Foundation
import KubeTestSupport
import Testing

/// The real `kubectl` (the one on the PATH) against the cluster: apply, get with its printer columns and
/// output formats, watch, describe, delete --wait, discovery, explain, server-side apply, tokens and
/// access reviews. Runs against a real cluster too; every test skips when kubectl is not installed.
@Suite struct KubectlTests {
    @Test func aCustomResourceDefinitionServesItsKindColumnsAndDescriptions() async throws {
        try await Kubectl.run { kubectl, cluster in
            try await kubectl.withGadgetDefinition { group in
                let discovered = try await kubectl.run(["api-resources", "--api-group=\(group)"])
                #expect(discovered.status == 0)
                #expect(Kubectl.table(discovered.stdout).contains { $0.first == "gadgets" && $0.last == "Gadget" })

                let explained = try await kubectl.run(["explain", "gadgets.spec", "--api-version=\(group)/v1"])
                #expect(explained.status == 0)
                #expect(explained.stdout.contains("What the gadget should be."))
                #expect(explained.stdout.contains("How big the gadget is, in centimetres."))

                let created = try await kubectl.run(["apply", "-f", "-"], input: gadget("small-one", group: group, size: 3, tier: "small"))
                #expect(created.stdout.contains("gadget.\(group)/small-one created"))
                _ = try await kubectl.run(["apply", "-f", "-"], input: gadget("large-one", group: group, size: 40, tier: "large"))
                let updated = try await kubectl.run(["apply", "-f", "-"], input: gadget("small-one", group: group, size: 5, tier: "small"))
                #expect(updated.stdout.contains("gadget.\(group)/small-one configured"))

                // The columns come from the CRD's additionalPrinterColumns, in their order.
                let listed = Kubectl.table(try await kubectl.run(["get", "gadgets.\(group)"]).stdout)
                #expect(listed.first == ["NAME", "SIZE", "COLOR", "AGE"])
                #expect(listed.dropFirst().map { Array($0.prefix(3)) } == [["large-one", "40", "green"], ["small-one", "5", "green"]])
                let selected = try await kubectl.run(["get", "gadgets.\(group)", "-l", "tier=small", "-o", "name"])
                #expect(selected.stdout == "gadget.\(group)/small-one\n")

                let described = try await kubectl.run(["describe", "gadgets.\(group)/small-one"])
                #expect(described.stdout.contains("Labels:       tier=small"))
                #expect(described.stdout.contains("Size:   5"))
            }
        }
    }

    @Test func configMapsApplyAndPrintAsTableJSONYAMLAndDescription() async throws {
        try await Kubectl.run { kubectl, cluster in
            let created = try await kubectl.run(["apply", "-f", "-"], input: settingsMap(mode: "fast"))
            #expect(created.stdout == "configmap/settings created\n")
            let updated = try await kubectl.run(["apply", "-f", "-"], input: settingsMap(mode: "slow"))
            #expect(updated.stdout == "configmap/settings configured\n")
            let again = try await kubectl.run(["apply", "-f", "-"], input: settingsMap(mode: "slow"))
            #expect(again.stdout == "configmap/settings unchanged\n")

            // The selector keeps out the kube-root-ca.crt map a real cluster puts in every namespace.
            let listed = Kubectl.table(try await kubectl.run(["get", "configmaps", "-l", "app=settings"]).stdout)
            #expect(listed.first == ["NAME", "DATA", "AGE"])
            #expect(listed.dropFirst().map { Array($0.prefix(2)) } == [["settings", "2"]])
            let unmatched = try await kubectl.run(["get", "configmaps", "-l", "app=other"])
            #expect(unmatched.stdout.isEmpty && unmatched.stderr.contains("No resources found"))

            let json = try await kubectl.run(["get", "configmap", "settings", "-o", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect((object["data"] as? [String: String]) == ["mode": "slow", "size": "large"])
            #expect(((object["metadata"] as? [String: Any])?["namespace"] as? String) == cluster.namespace)

            let yaml = try await kubectl.run(["get", "configmap", "settings", "-o", "yaml"])
            #expect(yaml.stdout.hasPrefix("apiVersion: v1\ndata:\n  mode: slow\n  size: large\nkind: ConfigMap\n"))

            let described = try await kubectl.run(["describe", "configmap", "settings"])
            #expect(described.stdout.contains("Name:         settings\nNamespace:    \(cluster.namespace)\nLabels:       app=settings"))
            #expect(described.stdout.contains("mode:\n----\nslow"))
        }
    }

    @Test func aDeploymentPrintsItsRolloutColumns() async throws {
        try await Kubectl.run { kubectl, cluster in
            let created = try await kubectl.run(["apply", "-f", "-"], input: webDeployment(replicas: 2))
            #expect(created.stdout == "deployment.apps/web created\n")
            let listed = Kubectl.table(try await kubectl.run(["get", "deployments"]).stdout)
            #expect(listed.first == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
            #expect(listed.dropFirst().map(\.first) == ["web"])
            // Only the sandbox's simulated kubelet makes pods Ready without delay; a real cluster pulls images.
            guard cluster.sandboxOnly("pods take their time to become Ready") != nil else { return }
            try await eventually {
                let row = Kubectl.table((try? await kubectl.run(["get", "deployment", "web"]).stdout) ?? "").dropFirst().first
                return row.map { Array($0.prefix(4)) } == ["web", "2/2", "2", "2"]
            }
        }
    }

    @Test func getWatchPrintsAnObjectCreatedWhileItRuns() async throws {
        try await Kubectl.run { kubectl, cluster in
            let watch = try kubectl.start(["get", "configmaps", "-l", "app=settings", "--watch"])
            do {
                // Creating before the watch has listed would show the object in the list rather than as an event;
                // either way its line must appear, which is what a user of -w sees.
                _ = try await kubectl.run(["apply", "-f", "-"], input: settingsMap(mode: "fast"))
                try await eventually { Kubectl.table(watch.output).contains { $0.first == "settings" } }
                #expect(watch.isRunning, "a watch keeps running until it is stopped")
            } catch {
                _ = await watch.stop()
                throw error
            }
            let stopped = await watch.stop()
            #expect(Kubectl.table(stopped.stdout).first == ["NAME", "DATA", "AGE"])
        }
    }

    @Test func deleteWaitReturnsOnlyOnceTheFinalizerIsGone() async throws {
        try await Kubectl.run { kubectl, cluster in
            let held = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\ndata:\n  k: v\n"
            _ = try await kubectl.run(["apply", "-f", "-"], input: held)
            let deletion = try kubectl.start(["delete", "configmap", "held", "--wait", "--timeout=60s"])
            do {
                // kubectl prints "deleted" once the server set deletionTimestamp, then waits for the object to go.
                try await eventually { deletion.output.contains("configmap \"held\" deleted") }
                try await Task.sleep(for: .milliseconds(500))
                #expect(deletion.isRunning, "delete --wait returned while a finalizer still held the object")
                let released = try await kubectl.run(["patch", "configmap", "held", "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#])
                #expect(released.status == 0)
            } catch {
                _ = await deletion.stop()
                throw error
            }
            #expect(await deletion.finish().status == 0)
            let gone = try await kubectl.run(["get", "configmap", "held"])
            #expect(gone.status != 0 && gone.stderr.contains("NotFound"))
        }
    }

    @Test func serverSideApplyConflictsWithKubectlScaleUntilForced() async throws {
        try await Kubectl.run { kubectl, cluster in
            let applied = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: webDeployment(replicas: 2))
            #expect(applied.stdout == "deployment.apps/web serverside-applied\n")
            #expect(try await kubectl.run(["scale", "deployment/web", "--replicas=3"]).stdout == "deployment.apps/web scaled\n")

            // kubectl scale took .spec.replicas over; applying the old value again must name that conflict.
            let conflicting = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: webDeployment(replicas: 2))
            #expect(conflicting.status != 0)
            #expect(conflicting.stderr.contains("Apply failed with 1 conflict"))
            #expect(conflicting.stderr.contains(".spec.replicas"))
            #expect(try await replicas(kubectl) == "3")

            let forced = try await kubectl.run(["apply", "--server-side", "--force-conflicts", "-f", "-"], input: webDeployment(replicas: 2))
            #expect(forced.status == 0)
            #expect(try await replicas(kubectl) == "2")
        }
    }

    @Test func createTokenPrintsATokenTheServerAcceptsForTheServiceAccount() async throws {
        try await Kubectl.run { kubectl, cluster in
            // The service account controller makes "default" shortly after the namespace.
            try await eventually { (try? await kubectl.run(["get", "serviceaccount", "default"]).status) == 0 }
            let issued = try await kubectl.run(["create", "token", "default"])
            #expect(issued.status == 0, "\(issued.stderr)")
            let token = issued.stdout.trimmingCharacters(in: .newlines)
            #expect(!token.isEmpty && !token.contains { $0.isWhitespace })
            // The token authenticates as the service account, which has no rights to list pods.
            let asServiceAccount = try await kubectl.run(["get", "pods", "--token=\(token)"])
            #expect(asServiceAccount.status != 0)
            #expect(asServiceAccount.stderr.contains("User \"system:serviceaccount:\(cluster.namespace):default\" cannot list resource \"pods\""))
        }
    }

    @Test func authCanIAnswersYesForTheAdmin() async throws {
        try await Kubectl.run { kubectl, cluster in
            let answer = try await kubectl.run(["auth", "can-i", "create", "pods"])
            #expect(answer.status == 0, "\(answer.stderr)")
            #expect(answer.stdout == "yes\n")
        }
    }

    private func replicas(_ kubectl: Kubectl) async throws -> String {
        try await kubectl.run(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"]).stdout
    }

    private func settingsMap(mode: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: settings\ndata:\n  mode: \(mode)\n  size: large\n"
    }

    private func gadget(_ name: String, group: String, size: Int, tier: String) -> String {
        "apiVersion: \(group)/v1\nkind: Gadget\nmetadata:\n  name: \(name)\n  labels:\n    tier: \(tier)\nspec:\n  size: \(size)\n  color: green\n"
    }

    private func webDeployment(replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: \(replicas)
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: registry.k8s.io/pause:3.9

        """
    }
}

/// `kubectl` run against a test's cluster, in its namespace, with a kubeconfig and discovery cache of its
/// own in a temporary directory (the user's ~/.kube is left alone).
struct Kubectl {
    /// What a finished kubectl printed, and its exit status.
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// A kubectl still running (a watch, or a delete that waits), writing its output to files.
    struct Running {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL

        var isRunning: Bool { process.isRunning }
        /// What it printed so far.
        var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }

        /// Waits for it to exit; kills it when it outlives `timeout`, recording that as an issue.
        func finish(timeout: Duration = .seconds(60)) async -> Output {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning {
                Issue.record("kubectl \(process.arguments ?? []) ran longer than \(timeout); killed")
                return await stop()
            }
            return collected()
        }

        /// Stops it (SIGTERM, then SIGKILL if it lingers) and waits until it is gone.
        func stop() async -> Output {
            if process.isRunning { process.terminate() }
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning {
                if ContinuousClock.now >= deadline { kill(process.processIdentifier, SIGKILL) }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return collected()
        }

        private func collected() -> Output {
            Output(status: process.terminationStatus, stdout: output, stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
        }
    }

    let executable: URL
    let kubeconfig: String
    let namespace: String
    let directory: URL

    /// The kubectl on the PATH, if any.
    static var executableOnPath: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("kubectl") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `body` with a kubectl for a fresh ``TestCluster``; skips, saying why, when kubectl is not installed.
    static func run(_ body: (Kubectl, TestCluster) async throws -> Void) async throws {
        guard let executable = executableOnPath else { return print("skipped: kubectl is not on the PATH") }
        try await TestCluster.run { cluster in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let kubeconfig: String
            if let sandbox = cluster.sandbox {
                kubeconfig = directory.appendingPathComponent("kubeconfig").path
                try sandbox.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            } else {
                kubeconfig = try #require(ProcessInfo.processInfo.environment["SUBCHAIN_E2E_KUBECONFIG"])
            }
            try await body(Kubectl(executable: executable, kubeconfig: kubeconfig, namespace: cluster.namespace, directory: directory), cluster)
        }
    }

    /// Starts `kubectl ARGS` with `input` on its standard input.
    func start(_ arguments: [String], input: String? = nil) throws -> Running {
        let id = UUID().uuidString
        let stdinFile = directory.appendingPathComponent("\(id).in")
        let stdoutFile = directory.appendingPathComponent("\(id).out")
        let stderrFile = directory.appendingPathComponent("\(id).err")
        for (file, contents) in [(stdinFile, Data((input ?? "").utf8)), (stdoutFile, Data()), (stderrFile, Data())] {
            try contents.write(to: file)
        }
        // Files rather than pipes: a full pipe would block kubectl while nobody reads it, and writing to a pipe
        // kubectl has already closed would raise SIGPIPE in the test process.
        let handles = (
            stdin: try FileHandle(forReadingFrom: stdinFile), stdout: try FileHandle(forWritingTo: stdoutFile),
            stderr: try FileHandle(forWritingTo: stderrFile))
        defer { [handles.stdin, handles.stdout, handles.stderr].forEach { try? $0.close() } }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--kubeconfig", kubeconfig, "-n", namespace, "--cache-dir", directory.appendingPathComponent("cache").path] + arguments
        process.standardInput = handles.stdin
        process.standardOutput = handles.stdout
        process.standardError = handles.stderr
        try process.run()
        return Running(process: process, stdoutFile: stdoutFile, stderrFile: stderrFile)
    }

    /// Runs `kubectl ARGS` to the end (at most `timeout`).
    func run(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Output {
        try await start(arguments, input: input).finish(timeout: timeout)
    }

    /// Applies a `Gadget` CRD in a group unique to this run (CRDs are cluster-scoped, and a shared cluster
    /// runs other suites' tests), waits until it is established, runs `body` with the group, and deletes it.
    func withGadgetDefinition(_ body: (String) async throws -> Void) async throws {
        let group = "t\(UUID().uuidString.prefix(8).lowercased()).example.com"
        let applied = try await run(["apply", "-f", "-"], input: Self.gadgetDefinition(group: group))
        try #require(applied.status == 0, "\(applied.stderr)")
        do {
            let established = try await run(["wait", "--for=condition=Established", "crd/gadgets.\(group)", "--timeout=60s"])
            try #require(established.status == 0, "\(established.stderr)")
            try await body(group)
        } catch {
            _ = try? await run(["delete", "crd", "gadgets.\(group)", "--wait", "--timeout=60s"])
            throw error
        }
        let deleted = try await run(["delete", "crd", "gadgets.\(group)", "--wait", "--timeout=60s"])
        #expect(deleted.stdout == "customresourcedefinition.apiextensions.k8s.io \"gadgets.\(group)\" deleted\n")
    }

    private static func gadgetDefinition(group: String) -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.\(group)
        spec:
          group: \(group)
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
          versions:
          - name: v1
            served: true
            storage: true
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Color, type: string, jsonPath: .spec.color}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    description: What the gadget should be.
                    properties:
                      size: {type: integer, description: "How big the gadget is, in centimetres."}
                      color: {type: string, description: The colour of the gadget.}

        """
    }

    /// A printed table as rows of whitespace-separated cells (none of the tests' cells hold spaces).
    static func table(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
    }
}
