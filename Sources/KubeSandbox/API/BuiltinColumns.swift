import Foundation
import KubeCore

/// The columns a kube-apiserver (1.32) prints for each built-in kind the sandbox serves: names, types,
/// order, which are wide (`priority: 1`), and how each cell reads the object, after kube-apiserver's
/// printers. Pods, whose status column is the most involved, are in ``PodColumns``.
///
/// Column types are the server's, which are not always the cells' (DATA is a `string` column of
/// integers); kubectl prints cells as they are. A kind with no printer of its own (roles, limit ranges,
/// CRDs) gets the default table convertor's NAME and CREATED AT.
enum BuiltinColumns {
    typealias Column = TablePrinter.Column

    /// Every column of a built-in resource, in order.
    static func columns(for key: StorageKey, now: Date) -> [Column] {
        let name = TablePrinter.nameColumn
        let age = TablePrinter.ageColumn(now: now)
        switch (key.group, key.resource) {
        case ("", "pods"): return PodColumns.columns(now: now)
        case ("apps", "deployments"): return [name] + deployment + [age] + template(selector: deploymentSelector)
        case ("apps", "replicasets"): return [name] + replicaSet + [age] + template(selector: formattedSelector)
        case ("", "services"): return [name] + service + [age, serviceSelector]
        case ("", "configmaps"): return [name, configMapData, age]
        case ("", "secrets"): return [name] + secret + [age]
        case ("", "namespaces"): return [name, namespaceStatus, age]
        case ("", "serviceaccounts"): return [name, serviceAccountSecrets, age]
        // events.k8s.io/v1 Events are printed from the core shape they are stored in.
        case ("", "events"), ("events.k8s.io", "events"): return eventColumns(now: now)
        case ("coordination.k8s.io", "leases"): return [name, leaseHolder, age]
        case ("", "resourcequotas"): return [name] + resourceQuota + [age]
        case ("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterrolebindings"):
            return [name, bindingRole, age] + bindingSubjects
        case ("networking.k8s.io", "networkpolicies"): return [name, networkPolicySelector, age]
        case ("policy", "poddisruptionbudgets"): return [name] + podDisruptionBudget + [age]
        default: return [name, TablePrinter.createdAtColumn]
        }
    }

    // MARK: - Workloads

    private static let deployment = [
        Column(name: "Ready", type: "string", description: "Ready replicas out of those desired.") { deployment in
            .string("\(integer(deployment, "status.readyReplicas"))/\(desiredReplicas(deployment))")
        },
        Column(name: "Up-to-date", type: "string", description: "Replicas running the latest pod template.") {
            .integer(integer($0, "status.updatedReplicas"))
        },
        Column(name: "Available", type: "string", description: "Replicas ready for at least minReadySeconds.") {
            .integer(integer($0, "status.availableReplicas"))
        },
    ]

    private static let replicaSet = [
        Column(name: "Desired", type: "integer", description: "Replicas asked for.") { .integer(desiredReplicas($0)) },
        Column(name: "Current", type: "integer", description: "Replicas that exist.") { .integer(integer($0, "status.replicas")) },
        Column(name: "Ready", type: "integer", description: "Replicas that are ready.") { .integer(integer($0, "status.readyReplicas")) },
    ]

    /// The wide CONTAINERS IMAGES SELECTOR of a kind with a pod template.
    private static func template(selector: @escaping @Sendable (JSONValue) -> String) -> [Column] {
        [
            Column(name: "Containers", type: "string", description: "The template's container names.", priority: 1) {
                .string(containers($0).compactMap { $0[member: "name"]?.stringValue }.joined(separator: ","))
            },
            Column(name: "Images", type: "string", description: "The template's container images.", priority: 1) {
                .string(containers($0).map { $0[member: "image"]?.stringValue ?? "" }.joined(separator: ","))
            },
            Column(name: "Selector", type: "string", description: "The label selector of the pods it manages.", priority: 1) {
                .string(selector($0))
            },
        ]
    }

    private static func containers(_ object: JSONValue) -> [JSONValue] {
        object.value(atPath: "spec.template.spec.containers")?.arrayElements ?? []
    }

    /// `spec.replicas`, which the server defaults to 1.
    private static func desiredReplicas(_ object: JSONValue) -> Int64 {
        object.value(atPath: "spec.replicas")?.integerValue ?? 1
    }

    /// A deployment prints its selector bare: empty when it selects everything.
    @Sendable private static func deploymentSelector(_ object: JSONValue) -> String {
        (try? LabelSelector(selectorObject: object.value(atPath: "spec.selector")))?.description ?? "<invalid>"
    }

    /// Other kinds print `<none>` for an empty selector (`metav1.FormatLabelSelector`).
    @Sendable private static func formattedSelector(_ object: JSONValue) -> String {
        formatted(selector: object.value(atPath: "spec.selector"))
    }

    private static func formatted(selector: JSONValue?) -> String {
        guard let parsed = try? LabelSelector(selectorObject: selector) else { return "<error>" }
        return parsed.description.isEmpty ? "<none>" : parsed.description
    }

    // MARK: - Services

    private static let service = [
        Column(name: "Type", type: "string", description: "How the service is exposed.") { .string(serviceType($0)) },
        Column(name: "Cluster-IP", type: "string", description: "The service's virtual IP in the cluster.") { service in
            let first = service.value(atPath: "spec.clusterIPs")?[0]?.stringValue ?? service.value(atPath: "spec.clusterIP")?.stringValue ?? ""
            return .string(first.isEmpty ? "<none>" : first)
        },
        Column(name: "External-IP", type: "string", description: "Addresses the service is reachable on from outside.") {
            .string(externalIP(of: $0))
        },
        Column(name: "Port(s)", type: "string", description: "The ports the service exposes.") { service in
            let ports = (service.value(atPath: "spec.ports")?.arrayElements ?? []).map { port in
                let number = integer(port, "port")
                let nodePort = integer(port, "nodePort")
                let proto = port[member: "protocol"]?.stringValue ?? "TCP"
                return nodePort > 0 ? "\(number):\(nodePort)/\(proto)" : "\(number)/\(proto)"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        },
    ]

    private static let serviceSelector = Column(
        name: "Selector", type: "string", description: "The labels of the pods the service routes to.", priority: 1
    ) { .string(formatted(labels: $0.value(atPath: "spec.selector")?.stringMap ?? [:])) }

    /// `spec.type`, which the server defaults to ClusterIP.
    private static func serviceType(_ service: JSONValue) -> String {
        service.value(atPath: "spec.type")?.stringValue ?? "ClusterIP"
    }

    private static func externalIP(of service: JSONValue) -> String {
        let external = service.value(atPath: "spec.externalIPs")?.arrayElements?.compactMap(\.stringValue) ?? []
        switch serviceType(service) {
        case "ClusterIP", "NodePort":
            return external.isEmpty ? "<none>" : external.joined(separator: ",")
        case "LoadBalancer":
            // The server prints the wide form: every ingress address, not clipped to 16 characters.
            let ingress = service.value(atPath: "status.loadBalancer.ingress")?.arrayElements ?? []
            let balancers = Set(ingress.compactMap { entry -> String? in
                if let ip = entry[member: "ip"]?.stringValue, !ip.isEmpty { return ip }
                if let host = entry[member: "hostname"]?.stringValue, !host.isEmpty { return host }
                return nil
            }).sorted(by: LabelSelector.precedesByBytes)
            if balancers.isEmpty && external.isEmpty { return "<pending>" }
            return (balancers + external).joined(separator: ",")
        case "ExternalName":
            return service.value(atPath: "spec.externalName")?.stringValue ?? ""
        default:
            return "<unknown>"
        }
    }

    /// `a=1,b=2` sorted, `<none>` when empty (`labels.FormatLabels`).
    private static func formatted(labels: [String: String]) -> String {
        let pairs = labels.map { "\($0.key)=\($0.value)" }.sorted(by: LabelSelector.precedesByBytes)
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    // MARK: - Configuration and namespaces

    private static let configMapData = Column(name: "Data", type: "string", description: "Number of keys in data and binaryData.") { map in
        .integer(Int64(members(map, "data") + members(map, "binaryData")))
    }

    private static let secret = [
        Column(name: "Type", type: "string", description: "The kind of secret.") { $0[member: "type"] ?? "Opaque" },
        Column(name: "Data", type: "string", description: "Number of keys in data.") { .integer(Int64(members($0, "data"))) },
    ]

    private static let namespaceStatus = Column(name: "Status", type: "string", description: "The namespace's phase.") {
        $0.value(atPath: "status.phase") ?? ""
    }

    private static let serviceAccountSecrets = Column(name: "Secrets", type: "string", description: "Number of secrets listed.") {
        .integer(Int64($0[member: "secrets"]?.arrayElements?.count ?? 0))
    }

    private static let leaseHolder = Column(name: "Holder", type: "string", description: "Who holds the lease.") {
        $0.value(atPath: "spec.holderIdentity") ?? ""
    }

    // MARK: - Events

    /// LAST SEEN TYPE REASON OBJECT MESSAGE, and wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME, of an event
    /// in the core v1 shape.
    private static func eventColumns(now: Date) -> [Column] {
        var name = TablePrinter.nameColumn
        name.priority = 1
        return [
            Column(name: "Last Seen", type: "string", description: "How long ago the event last happened.") {
                .string(eventTimes($0, now: now).last)
            },
            Column(name: "Type", type: "string", description: "Normal or Warning.") { $0[member: "type"] ?? "" },
            Column(name: "Reason", type: "string", description: "Why the event happened, in one word.") { $0[member: "reason"] ?? "" },
            Column(name: "Object", type: "string", description: "The object the event is about, as kind/name.") { event in
                let involved = event[member: "involvedObject"] ?? .null
                let kind = (involved[member: "kind"]?.stringValue ?? "").lowercased()
                let objectName = involved[member: "name"]?.stringValue ?? ""
                return .string(objectName.isEmpty ? kind : "\(kind)/\(objectName)")
            },
            Column(name: "Subobject", type: "string", description: "The part of the object the event is about.", priority: 1) {
                $0.value(atPath: "involvedObject.fieldPath") ?? ""
            },
            Column(name: "Source", type: "string", description: "The component, and host, that reported the event.", priority: 1) {
                .string(eventSource($0))
            },
            Column(name: "Message", type: "string", description: "What happened, for a human.") {
                .string(($0[member: "message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            },
            Column(name: "First Seen", type: "string", description: "How long ago the event first happened.", priority: 1) {
                .string(eventTimes($0, now: now).first)
            },
            Column(name: "Count", type: "string", description: "How many times the event happened.", priority: 1) { event in
                if let series = event.value(atPath: "series.count")?.integerValue { return .integer(series) }
                // An event recorded once through the new API has no count: it happened once.
                let count = integer(event, "count")
                return .integer(count == 0 ? 1 : count)
            },
            name,
        ]
    }

    /// FIRST SEEN falls back to `eventTime`, LAST SEEN to FIRST SEEN; a series' last observation wins.
    private static func eventTimes(_ event: JSONValue, now: Date) -> (first: String, last: String) {
        let firstStamp = TablePrinter.date(event[member: "firstTimestamp"]) == nil ? event[member: "eventTime"] : event[member: "firstTimestamp"]
        let first = TablePrinter.since(firstStamp, now: now)
        if let observed = event.value(atPath: "series.lastObservedTime") { return (first, TablePrinter.since(observed, now: now)) }
        let last = TablePrinter.date(event[member: "lastTimestamp"]) == nil ? first : TablePrinter.since(event[member: "lastTimestamp"], now: now)
        return (first, last)
    }

    /// `component, host`, each from the reporting fields when the source lacks it.
    private static func eventSource(_ event: JSONValue) -> String {
        func first(_ values: JSONValue?...) -> String {
            values.lazy.compactMap { $0?.stringValue }.first { !$0.isEmpty } ?? ""
        }
        let component = first(event.value(atPath: "source.component"), event[member: "reportingComponent"])
        let instance = first(event.value(atPath: "source.host"), event[member: "reportingInstance"])
        return instance.isEmpty ? component : "\(component), \(instance)"
    }

    // MARK: - Quotas, RBAC and policy

    /// REQUEST and LIMIT: `name: used/hard` for each of `status.hard`, sorted, `limits.*` under LIMIT.
    private static let resourceQuota = [false, true].map { limits in
        Column(
            name: limits ? "Limit" : "Request", type: "string",
            description: limits ? "Usage out of the hard limit of each limits.* resource." : "Usage out of the hard limit of each other resource."
        ) { quota in
            let hard = quota.value(atPath: "status.hard")?.objectMembers ?? [:]
            let used = quota.value(atPath: "status.used")?.objectMembers ?? [:]
            let entries = hard.keys.sorted(by: LabelSelector.precedesByBytes)
                .filter { $0.hasPrefix("limits.") == limits }
                .map { name in "\(name): \(quantity(used[name]) ?? "0")/\(quantity(hard[name]) ?? "0")" }
            return .string(entries.joined(separator: ", "))
        }
    }

    /// A quantity in the canonical form the server prints (`1Gi`, `500m`).
    private static func quantity(_ value: JSONValue?) -> String? {
        value.flatMap(ResourceList.quantity)?.description
    }

    private static let bindingRole = Column(name: "Role", type: "string", description: "The role bound, as Kind/name.") { binding in
        let kind = binding.value(atPath: "roleRef.kind")?.stringValue ?? ""
        return .string("\(kind)/\(binding.value(atPath: "roleRef.name")?.stringValue ?? "")")
    }

    /// The wide USERS GROUPS SERVICEACCOUNTS of a binding; service accounts as namespace/name.
    private static let bindingSubjects = [("Users", "User"), ("Groups", "Group"), ("ServiceAccounts", "ServiceAccount")].map { title, kind in
        Column(name: title, type: "string", description: "The subjects of kind \(kind).", priority: 1) { binding in
            let names = (binding[member: "subjects"]?.arrayElements ?? []).filter { $0[member: "kind"]?.stringValue == kind }.map { subject in
                let name = subject[member: "name"]?.stringValue ?? ""
                return kind == "ServiceAccount" ? "\(subject[member: "namespace"]?.stringValue ?? "")/\(name)" : name
            }
            return .string(names.joined(separator: ", "))
        }
    }

    private static let networkPolicySelector = Column(
        name: "Pod-Selector", type: "string", description: "The label selector of the pods the policy applies to."
    ) { policy in
        // An absent podSelector is an empty one (a struct, not a pointer, in the API): every pod.
        .string(formatted(selector: policy.value(atPath: "spec.podSelector") ?? .object([:])))
    }

    private static let podDisruptionBudget = [
        Column(name: "Min Available", type: "string", description: "Pods that must stay available.") {
            .string(intOrString($0.value(atPath: "spec.minAvailable")))
        },
        Column(name: "Max Unavailable", type: "string", description: "Pods that may be unavailable.") {
            .string(intOrString($0.value(atPath: "spec.maxUnavailable")))
        },
        Column(name: "Allowed Disruptions", type: "integer", description: "Pods that may be evicted now.") {
            .integer(integer($0, "status.disruptionsAllowed"))
        },
    ]

    /// An IntOrString as written (`2`, `50%`), `N/A` when unset.
    private static func intOrString(_ value: JSONValue?) -> String {
        switch value {
        case .integer(let number)?: String(number)
        case .string(let text)?: text
        default: "N/A"
        }
    }

    private static func members(_ object: JSONValue, _ key: String) -> Int {
        object[member: key]?.objectMembers?.count ?? 0
    }

    private static func integer(_ object: JSONValue, _ path: String) -> Int64 {
        object.value(atPath: path)?.integerValue ?? 0
    }
}
