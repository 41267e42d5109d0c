import Foundation
import KubeCore
import Testing

@testable import KubeSandbox

/// The `kubectl get` columns of every built-in kind, checked against what kube-apiserver's printers
/// print for the same objects: names, order, which are wide, and the cells.
@Suite struct TablePrinterTests {
    private static let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A timestamp `seconds` before ``now``.
    private static func ago(_ seconds: TimeInterval) -> JSONValue {
        .string(now.addingTimeInterval(-seconds).formatted(.iso8601))
    }

    private func printer(_ group: String, _ plural: String) throws -> TablePrinter {
        let resource = try #require(BuiltinResources.all.first { $0.group == group && $0.plural == plural })
        return TablePrinter(resource: resource, customColumns: nil, now: Self.now)
    }

    /// The columns' names, and apart the names of those only `-o wide` shows.
    private func names(_ printer: TablePrinter) -> (all: [String], wide: [String]) {
        (printer.columns.map(\.name), printer.columns.filter { $0.priority == 1 }.map(\.name))
    }

    /// The cells of one object, by column name, read from the table as a client reads it.
    private func cells(_ printer: TablePrinter, _ object: JSONValue) -> [String: JSONValue] {
        let row = printer.table([object], resourceVersion: "1")[member: "rows"]?[0]?[member: "cells"]?.arrayElements ?? []
        return Dictionary(uniqueKeysWithValues: zip(printer.columns.map(\.name), row))
    }

    private func object(_ name: String, _ members: [String: JSONValue] = [:]) -> JSONValue {
        var object = JSONValue.object(members)
        object[member: "metadata"] = ["name": .string(name), "creationTimestamp": Self.ago(300)]
        return object
    }

    // MARK: - Pods

    @Test func podsPrintReadyStatusRestartsAgeAndWideNodeColumns() throws {
        let pods = try printer("", "pods")
        #expect(names(pods).all == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(names(pods).wide == ["IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(pods.columns.first { $0.name == "Restarts" }?.type == "string")

        let pod = object(
            "web",
            [
                "spec": [
                    "nodeName": "node-1", "containers": [["name": "app"], ["name": "proxy"]],
                    "readinessGates": [["conditionType": "example.com/lb"], ["conditionType": "example.com/dns"]],
                ],
                "status": [
                    "phase": "Running", "podIP": "10.0.0.7",
                    "conditions": [["type": "example.com/lb", "status": "True"], ["type": "example.com/dns", "status": "False"]],
                    "containerStatuses": [
                        [
                            "name": "app", "ready": true, "restartCount": 2, "state": ["running": [:]],
                            "lastState": ["terminated": ["exitCode": 1, "finishedAt": Self.ago(90)]],
                        ],
                        ["name": "proxy", "ready": false, "restartCount": 1, "state": ["waiting": ["reason": "CrashLoopBackOff"]]],
                    ],
                ],
            ])
        let row = cells(pods, pod)
        #expect(row["Name"] == "web" && row["Ready"] == "1/2" && row["Status"] == "CrashLoopBackOff" && row["Age"] == "5m")
        #expect(row["Restarts"] == "3 (90s ago)")
        #expect(row["IP"] == "10.0.0.7" && row["Node"] == "node-1" && row["Nominated Node"] == "<none>")
        #expect(row["Readiness Gates"] == "1/2")
    }

    @Test func aPendingPodPrintsItsPhaseNoRestartsAndNoneForTheWideColumns() throws {
        let row = cells(try printer("", "pods"), object("new", ["spec": ["containers": [["name": "app"]]], "status": ["phase": "Pending"]]))
        #expect(row["Ready"] == "0/1" && row["Status"] == "Pending" && row["Restarts"] == "0")
        #expect(row["IP"] == "<none>" && row["Node"] == "<none>" && row["Readiness Gates"] == "<none>")
    }

    @Test func initContainersShowProgressOrTheirFailure() throws {
        let pods = try printer("", "pods")
        func status(_ initStatuses: [JSONValue]) -> String? {
            let pod = object(
                "p",
                [
                    "spec": ["initContainers": [["name": "one"], ["name": "two"]], "containers": [["name": "app"]]],
                    "status": ["phase": "Pending", "initContainerStatuses": .array(initStatuses)],
                ])
            return cells(pods, pod)["Status"]?.stringValue
        }
        let done: JSONValue = ["name": "one", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]]
        #expect(status([done, ["name": "two", "state": ["running": [:]]]]) == "Init:1/2")
        #expect(status([done, ["name": "two", "state": ["waiting": ["reason": "CrashLoopBackOff"]]]]) == "Init:CrashLoopBackOff")
        #expect(status([["name": "one", "state": ["terminated": ["exitCode": 3]]]]) == "Init:ExitCode:3")
        #expect(status([["name": "one", "state": ["terminated": ["exitCode": 137, "signal": 9]]]]) == "Init:Signal:9")
    }

    @Test func aStartedSidecarCountsAsAReadyContainer() throws {
        let pod = object(
            "p",
            [
                "spec": ["initContainers": [["name": "mesh", "restartPolicy": "Always"]], "containers": [["name": "app"]]],
                "status": [
                    "phase": "Running", "conditions": [["type": "Initialized", "status": "True"]],
                    "initContainerStatuses": [["name": "mesh", "started": true, "ready": true, "restartCount": 1, "state": ["running": [:]]]],
                    "containerStatuses": [["name": "app", "ready": true, "state": ["running": [:]]]],
                ],
            ])
        let row = cells(try printer("", "pods"), pod)
        #expect(row["Ready"] == "2/2" && row["Status"] == "Running" && row["Restarts"] == "1")
    }

    @Test func aDeletedPodIsTerminatingUnlessItFinished() throws {
        let pods = try printer("", "pods")
        var pod = object("p", ["spec": ["containers": [["name": "app"]]], "status": ["phase": "Running"]])
        pod[member: "metadata"]?[member: "deletionTimestamp"] = Self.ago(1)
        #expect(cells(pods, pod)["Status"] == "Terminating")
        pod[member: "status"] = ["phase": "Succeeded"]
        #expect(cells(pods, pod)["Status"] == "Succeeded")
        pod[member: "status"] = ["phase": "Running", "reason": "NodeLost"]
        #expect(cells(pods, pod)["Status"] == "Unknown")
    }

    @Test func aCompletedContainerBesideARunningOneIsNotReadyWithoutTheReadyCondition() throws {
        let pod = object(
            "p",
            [
                "spec": ["containers": [["name": "a"], ["name": "b"]]],
                "status": [
                    "phase": "Running",
                    "containerStatuses": [
                        ["name": "a", "ready": true, "state": ["running": [:]]],
                        ["name": "b", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
                    ],
                ],
            ])
        #expect(cells(try printer("", "pods"), pod)["Status"] == "NotReady")
    }

    // MARK: - Workloads

    @Test func deploymentsPrintRolloutCountsAndWideTemplateColumns() throws {
        let deployments = try printer("apps", "deployments")
        #expect(names(deployments).all == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        #expect(names(deployments).wide == ["Containers", "Images", "Selector"])
        let deployment = object(
            "web",
            [
                "spec": [
                    "replicas": 3,
                    "selector": ["matchLabels": ["app": "web"], "matchExpressions": [["key": "tier", "operator": "In", "values": ["b", "a"]]]],
                    "template": ["spec": ["containers": [["name": "app", "image": "nginx:1"], ["name": "proxy", "image": "envoy:2"]]]],
                ],
                "status": ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 1],
            ])
        let row = cells(deployments, deployment)
        #expect(row["Ready"] == "2/3" && row["Up-to-date"] == .integer(3) && row["Available"] == .integer(1))
        #expect(row["Containers"] == "app,proxy" && row["Images"] == "nginx:1,envoy:2")
        #expect(row["Selector"] == "app=web,tier in (a,b)")
        // A deployment prints an empty selector bare; a replica set prints <none>.
        #expect(cells(deployments, object("d", ["spec": ["selector": [:]]]))["Selector"] == "")
    }

    @Test func replicaSetsPrintDesiredCurrentReadyAsIntegers() throws {
        let replicaSets = try printer("apps", "replicasets")
        #expect(names(replicaSets).all == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"])
        #expect(names(replicaSets).wide == ["Containers", "Images", "Selector"])
        #expect(replicaSets.columns.filter { $0.type == "integer" }.map(\.name) == ["Desired", "Current", "Ready"])
        let row = cells(replicaSets, object("web-1", ["spec": ["selector": [:]], "status": ["replicas": 2, "readyReplicas": 1]]))
        #expect(row["Desired"] == .integer(1) && row["Current"] == .integer(2) && row["Ready"] == .integer(1))
        #expect(row["Selector"] == "<none>" && row["Containers"] == "")
    }

    // MARK: - Services

    @Test func servicesPrintTypeAddressesPortsAndWideSelector() throws {
        let services = try printer("", "services")
        #expect(names(services).all == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
        #expect(names(services).wide == ["Selector"])
        let plain = object(
            "api",
            [
                "spec": [
                    "clusterIPs": ["10.96.0.10"], "selector": ["tier": "api", "app": "shop"],
                    "ports": [["port": 80, "protocol": "TCP"], ["port": 53, "protocol": "UDP", "nodePort": 30053]],
                ]
            ])
        let row = cells(services, plain)
        #expect(row["Type"] == "ClusterIP" && row["Cluster-IP"] == "10.96.0.10" && row["External-IP"] == "<none>")
        #expect(row["Port(s)"] == "80/TCP,53:30053/UDP" && row["Selector"] == "app=shop,tier=api")

        let balancer = object("lb", ["spec": ["type": "LoadBalancer", "clusterIP": "None"]])
        let pending = cells(services, balancer)
        #expect(pending["External-IP"] == "<pending>" && pending["Cluster-IP"] == "None" && pending["Port(s)"] == "<none>")
        #expect(pending["Selector"] == "<none>")
        var served = balancer
        served[member: "status"] = ["loadBalancer": ["ingress": [["hostname": "lb.example.com"], ["ip": "203.0.113.9"]]]]
        #expect(cells(services, served)["External-IP"] == "203.0.113.9,lb.example.com")
        #expect(cells(services, object("ext", ["spec": ["type": "ExternalName", "externalName": "db.example.com"]]))["External-IP"] == "db.example.com")
    }

    // MARK: - Configuration, accounts, namespaces, leases

    @Test func configMapsSecretsAccountsNamespacesAndLeasesPrintTheirCounts() throws {
        let configMaps = try printer("", "configmaps")
        #expect(names(configMaps).all == ["Name", "Data", "Age"])
        #expect(cells(configMaps, object("c", ["data": ["a": "1"], "binaryData": ["b": "AA=="]]))["Data"] == .integer(2))

        let secrets = try printer("", "secrets")
        #expect(names(secrets).all == ["Name", "Type", "Data", "Age"])
        let secret = cells(secrets, object("s", ["type": "kubernetes.io/tls", "data": ["tls.crt": "", "tls.key": ""]]))
        #expect(secret["Type"] == "kubernetes.io/tls" && secret["Data"] == .integer(2))

        let accounts = try printer("", "serviceaccounts")
        #expect(names(accounts).all == ["Name", "Secrets", "Age"])
        #expect(cells(accounts, object("default", ["secrets": [["name": "token"]]]))["Secrets"] == .integer(1))

        let namespaces = try printer("", "namespaces")
        #expect(names(namespaces).all == ["Name", "Status", "Age"])
        #expect(cells(namespaces, object("team", ["status": ["phase": "Terminating"]]))["Status"] == "Terminating")

        let leases = try printer("coordination.k8s.io", "leases")
        #expect(names(leases).all == ["Name", "Holder", "Age"])
        #expect(cells(leases, object("leader", ["spec": ["holderIdentity": "op-1"]]))["Holder"] == "op-1")
        #expect(cells(leases, object("free"))["Holder"] == "")
    }

    // MARK: - Events

    @Test func eventsPrintWhenWhatAndWhereWithNameLastAndWide() throws {
        let expected = ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"]
        let core = try printer("", "events")
        #expect(names(core).all == expected)
        #expect(names(core).wide == ["Subobject", "Source", "First Seen", "Count", "Name"])
        let event = object(
            "web.1",
            [
                "type": "Warning", "reason": "BackOff", "message": " Back-off restarting \n", "count": 4,
                "involvedObject": ["kind": "Pod", "name": "web", "fieldPath": "spec.containers{app}"],
                "source": ["component": "kubelet", "host": "node-1"],
                "firstTimestamp": Self.ago(600), "lastTimestamp": Self.ago(30),
            ])
        let row = cells(core, event)
        #expect(row["Last Seen"] == "30s" && row["First Seen"] == "10m" && row["Count"] == .integer(4))
        #expect(row["Object"] == "pod/web" && row["Subobject"] == "spec.containers{app}" && row["Source"] == "kubelet, node-1")
        #expect(row["Message"] == "Back-off restarting" && row["Name"] == "web.1" && row["Type"] == "Warning")

        let modern = try printer("events.k8s.io", "events")
        #expect(names(modern).all == expected)
        let recorded = object(
            "op.1",
            [
                "type": "Normal", "reason": "Scaled", "note": "scaled to 2", "regarding": ["kind": "Deployment", "name": "web"],
                "reportingController": "sandbox-operator", "eventTime": "2023-11-14T22:12:19.500000Z",
            ])
        // Stored, and so printed, in the core shape.
        let modernRow = cells(modern, EventConversion.toCore(recorded))
        #expect(modernRow["Object"] == "deployment/web" && modernRow["Message"] == "scaled to 2" && modernRow["Source"] == "sandbox-operator")
        // A single event of the new API has no count and no last timestamp: once, when it happened.
        #expect(modernRow["Count"] == .integer(1) && modernRow["First Seen"] == "60s" && modernRow["Last Seen"] == "60s")
    }

    // MARK: - Quotas, RBAC, policy

    @Test func resourceQuotasSplitRequestsFromLimits() throws {
        let quotas = try printer("", "resourcequotas")
        #expect(names(quotas).all == ["Name", "Request", "Limit", "Age"])
        let quota = object(
            "q",
            [
                "status": [
                    "hard": ["pods": "10", "requests.cpu": "1000m", "limits.memory": "2048Mi"],
                    "used": ["pods": "3", "limits.memory": "512Mi"],
                ]
            ])
        let row = cells(quotas, quota)
        #expect(row["Request"] == "pods: 3/10, requests.cpu: 0/1")
        #expect(row["Limit"] == "limits.memory: 512Mi/2Gi")
    }

    @Test func bindingsPrintTheirRoleAndWideSubjects() throws {
        for plural in ["rolebindings", "clusterrolebindings"] {
            let bindings = try printer("rbac.authorization.k8s.io", plural)
            #expect(names(bindings).all == ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"])
            #expect(names(bindings).wide == ["Users", "Groups", "ServiceAccounts"])
            let binding = object(
                "b",
                [
                    "roleRef": ["kind": "ClusterRole", "name": "view"],
                    "subjects": [
                        ["kind": "User", "name": "alice"], ["kind": "Group", "name": "devs"], ["kind": "User", "name": "bob"],
                        ["kind": "ServiceAccount", "name": "op", "namespace": "system"],
                    ],
                ])
            let row = cells(bindings, binding)
            #expect(row["Role"] == "ClusterRole/view" && row["Users"] == "alice, bob")
            #expect(row["Groups"] == "devs" && row["ServiceAccounts"] == "system/op")
        }
    }

    @Test func networkPoliciesAndDisruptionBudgetsPrintTheirSelectorAndBudget() throws {
        let policies = try printer("networking.k8s.io", "networkpolicies")
        #expect(names(policies).all == ["Name", "Pod-Selector", "Age"])
        #expect(cells(policies, object("all", ["spec": [:]]))["Pod-Selector"] == "<none>")
        #expect(cells(policies, object("db", ["spec": ["podSelector": ["matchLabels": ["app": "db"]]]]))["Pod-Selector"] == "app=db")

        let budgets = try printer("policy", "poddisruptionbudgets")
        #expect(names(budgets).all == ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"])
        let row = cells(budgets, object("pdb", ["spec": ["minAvailable": 2], "status": ["disruptionsAllowed": 1]]))
        #expect(row["Min Available"] == "2" && row["Max Unavailable"] == "N/A" && row["Allowed Disruptions"] == .integer(1))
        #expect(cells(budgets, object("pct", ["spec": ["maxUnavailable": "50%"]]))["Max Unavailable"] == "50%")
    }

    @Test func kindsWithoutAPrinterShowNameAndCreatedAt() throws {
        let created = Self.ago(300)
        for (group, plural) in [
            ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles"), ("", "limitranges"),
            ("apiextensions.k8s.io", "customresourcedefinitions"),
        ] {
            let table = try printer(group, plural)
            #expect(names(table).all == ["Name", "Created At"], "\(plural)")
            #expect(table.columns.last?.type == "date")
            #expect(cells(table, object("x"))["Created At"] == created, "\(plural)")
        }
    }

    @Test func everyBuiltinKindNamesItsObjectsAndOnlyWideColumnsHavePriority() throws {
        for resource in BuiltinResources.all {
            let columns = TablePrinter(resource: resource, customColumns: nil, now: Self.now).columns
            #expect(columns.contains { $0.name == "Name" && $0.format == "name" }, "\(resource.plural)")
            #expect(columns.allSatisfy { $0.priority == 0 || $0.priority == 1 }, "\(resource.plural)")
            #expect(columns.allSatisfy { !$0.description.isEmpty }, "\(resource.plural)")
        }
    }

    // MARK: - Custom resources and the machinery

    @Test func aCustomResourceKeepsItsPrinterColumnsThenAge() throws {
        let widgets = ResourceType(
            group: "example.com", version: "v1", kind: "Widget", plural: "widgets", singular: "widget", namespaced: true, isCustom: true)
        let printer = TablePrinter(
            resource: widgets,
            customColumns: [
                ["name": "Size", "type": "string", "jsonPath": ".spec.size"],
                ["name": "Ready Since", "type": "date", "jsonPath": ".status.since", "priority": 1],
            ],
            now: Self.now)
        #expect(names(printer).all == ["Name", "Size", "Ready Since", "Age"])
        #expect(names(printer).wide == ["Ready Since"])
        let row = cells(printer, object("w", ["spec": ["size": "small"], "status": ["since": Self.ago(7_200)]]))
        #expect(row["Size"] == "small" && row["Ready Since"] == "120m" && row["Age"] == "5m")
        #expect(names(TablePrinter(resource: widgets, customColumns: nil, now: Self.now)).all == ["Name", "Age"])
    }

    @Test func durationsReadAsKubectlPrintsThem() {
        #expect(TablePrinter.duration(-0.5) == "0s" && TablePrinter.duration(-5) == "<invalid>")
        #expect(TablePrinter.duration(5 * 3_600 + 600) == "5h10m" && TablePrinter.duration(4 * 3_600) == "4h")
        #expect(TablePrinter.duration(400 * 86_400) == "400d" && TablePrinter.duration((3 * 365 + 20) * 86_400) == "3y20d")
        #expect(TablePrinter.duration(9 * 365 * 86_400) == "9y")
        #expect(TablePrinter.since(nil, now: Self.now) == "<unknown>")
        #expect(TablePrinter.since("2023-11-14T22:12:19.500000Z", now: Self.now) == "60s")
    }
}
