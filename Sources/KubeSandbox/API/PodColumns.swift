import Foundation
import KubeCore

/// The columns a kube-apiserver (1.29 to 1.32) prints for pods: NAME READY STATUS RESTARTS AGE, and wide
/// IP NODE NOMINATED NODE READINESS GATES.
///
/// READY, STATUS and RESTARTS summarise the containers the way `kubectl get pods` users know: an init
/// container that has not finished shows as `Init:1/2` or `Init:CrashLoopBackOff`, a waiting or
/// terminated container's reason replaces the phase, a pod being deleted shows `Terminating`, and
/// restarts carry the time of the last one (`3 (2m ago)`, printed since 1.22). Sidecars (init
/// containers with `restartPolicy: Always`) count towards READY and RESTARTS as the app containers do.
enum PodColumns {
    static func columns(now: Date) -> [TablePrinter.Column] {
        typealias Column = TablePrinter.Column
        return [
            TablePrinter.nameColumn,
            Column(name: "Ready", type: "string", description: "Ready containers out of all the pod runs.") { pod in
                let summary = Summary(pod)
                return .string("\(summary.ready)/\(summary.total)")
            },
            Column(name: "Status", type: "string", description: "The pod's phase, or why its containers are not running.") {
                .string(Summary($0).reason)
            },
            Column(name: "Restarts", type: "string", description: "Container restarts, and how long ago the last one was.") { pod in
                let summary = Summary(pod)
                guard summary.restarts != 0, let last = summary.lastRestart else { return .string(String(summary.restarts)) }
                return .string("\(summary.restarts) (\(TablePrinter.duration(now.timeIntervalSince(last))) ago)")
            },
            TablePrinter.ageColumn(now: now),
            Column(name: "IP", type: "string", description: "The pod's IP address.", priority: 1) { pod in
                // The singular field wins when both are set, as in the server's conversion of v1 pods.
                let single = pod.value(atPath: "status.podIP")?.stringValue ?? ""
                let first = pod.value(atPath: "status.podIPs")?[0]?[member: "ip"]?.stringValue ?? ""
                return .string(noneIfEmpty(single.isEmpty ? first : single))
            },
            Column(name: "Node", type: "string", description: "The node the pod is bound to.", priority: 1) {
                .string(noneIfEmpty($0.value(atPath: "spec.nodeName")?.stringValue))
            },
            Column(name: "Nominated Node", type: "string", description: "The node the scheduler preempted pods on for this one.", priority: 1) {
                .string(noneIfEmpty($0.value(atPath: "status.nominatedNodeName")?.stringValue))
            },
            Column(name: "Readiness Gates", type: "string", description: "Readiness gates whose condition is True, out of all.", priority: 1) {
                .string(readinessGates(of: $0))
            },
        ]
    }

    /// `true/all` of `spec.readinessGates`, each judged by the first condition of its type.
    static func readinessGates(of pod: JSONValue) -> String {
        let gates = pod.value(atPath: "spec.readinessGates")?.arrayElements ?? []
        guard !gates.isEmpty else { return "<none>" }
        let conditions = pod.value(atPath: "status.conditions")?.arrayElements ?? []
        let passed = gates.count { gate in
            let type = gate[member: "conditionType"]?.stringValue
            return conditions.first { $0[member: "type"]?.stringValue == type }?[member: "status"] == "True"
        }
        return "\(passed)/\(gates.count)"
    }

    private static func noneIfEmpty(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "<none>" }
        return text
    }

    /// What READY, STATUS and RESTARTS are computed from.
    struct Summary {
        var ready = 0
        var total = 0
        var reason = ""
        var restarts = 0
        var lastRestart: Date?

        init(_ pod: JSONValue) {
            let status = pod[member: "status"] ?? .null
            let phase = status[member: "phase"]?.stringValue ?? ""
            let statusReason = status[member: "reason"]?.stringValue ?? ""
            let conditions = status[member: "conditions"]?.arrayElements ?? []
            reason = statusReason.isEmpty ? phase : statusReason
            if conditions.contains(where: { $0[member: "type"] == "PodScheduled" && $0[member: "reason"] == "SchedulingGated" }) {
                reason = "SchedulingGated"
            }
            let initSpecs = pod.value(atPath: "spec.initContainers")?.arrayElements ?? []
            let sidecarSpecs = initSpecs.filter { $0[member: "restartPolicy"] == "Always" }
            let sidecars = Set(sidecarSpecs.compactMap { $0[member: "name"]?.stringValue })
            total = (pod.value(atPath: "spec.containers")?.arrayElements?.count ?? 0) + sidecarSpecs.count

            let initializing = summarizeInitContainers(status, sidecars: sidecars, initCount: initSpecs.count)
            let initialized = conditions.contains { $0[member: "type"] == "Initialized" && $0[member: "status"] == "True" }
            if !initializing || initialized { summarizeContainers(status, conditions: conditions) }

            if pod.value(atPath: "metadata.deletionTimestamp") != nil {
                if statusReason == "NodeLost" {
                    reason = "Unknown"
                } else if phase != "Succeeded" && phase != "Failed" {
                    reason = "Terminating"
                }
            }
        }

        /// Walks the init containers up to the first that has not completed; returns whether the pod is
        /// still initializing. Restarts counted here stand only while it is: once the app containers
        /// run, only the sidecars' restarts are kept (``sidecarRestarts``).
        private mutating func summarizeInitContainers(_ status: JSONValue, sidecars: Set<String>, initCount: Int) -> Bool {
            for (index, container) in (status[member: "initContainerStatuses"]?.arrayElements ?? []).enumerated() {
                let isSidecar = sidecars.contains(container[member: "name"]?.stringValue ?? "")
                count(restartsOf: container)
                if isSidecar {
                    sidecarRestarts += Int(container[member: "restartCount"]?.integerValue ?? 0)
                    sidecarLastRestart = Self.later(sidecarLastRestart, Self.lastTermination(of: container))
                }
                let terminated = container.value(atPath: "state.terminated")
                let waitingReason = container.value(atPath: "state.waiting.reason")?.stringValue ?? ""
                if let terminated, terminated[member: "exitCode"]?.integerValue ?? 0 == 0 { continue }
                if isSidecar && container[member: "started"] == true {
                    if container[member: "ready"] == true { ready += 1 }
                    continue
                }
                if let terminated {
                    reason = "Init:" + Self.terminationReason(terminated)
                } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                    reason = "Init:" + waitingReason
                } else {
                    reason = "Init:\(index)/\(initCount)"
                }
                return true
            }
            return false
        }

        private var sidecarRestarts = 0
        private var sidecarLastRestart: Date?

        /// The app containers, last first so that the first container's reason is the one shown.
        private mutating func summarizeContainers(_ status: JSONValue, conditions: [JSONValue]) {
            restarts = sidecarRestarts
            lastRestart = sidecarLastRestart
            var hasRunning = false
            for container in (status[member: "containerStatuses"]?.arrayElements ?? []).reversed() {
                count(restartsOf: container)
                if let waiting = container.value(atPath: "state.waiting.reason")?.stringValue, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = container.value(atPath: "state.terminated") {
                    reason = Self.terminationReason(terminated)
                } else if container[member: "ready"] == true && container.value(atPath: "state.running") != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            // A pod whose last container completed but another still runs is not done.
            if reason == "Completed" && hasRunning {
                let podReady = conditions.contains { $0[member: "type"] == "Ready" && $0[member: "status"] == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        private mutating func count(restartsOf container: JSONValue) {
            restarts += Int(container[member: "restartCount"]?.integerValue ?? 0)
            lastRestart = Self.later(lastRestart, Self.lastTermination(of: container))
        }

        private static func lastTermination(of container: JSONValue) -> Date? {
            TablePrinter.date(container.value(atPath: "lastState.terminated.finishedAt"))
        }

        private static func later(_ first: Date?, _ second: Date?) -> Date? {
            guard let first else { return second }
            guard let second else { return first }
            return max(first, second)
        }

        /// `OOMKilled`, or `Signal:9` / `ExitCode:2` when the runtime gave no reason.
        private static func terminationReason(_ terminated: JSONValue) -> String {
            if let reason = terminated[member: "reason"]?.stringValue, !reason.isEmpty { return reason }
            let signal = terminated[member: "signal"]?.integerValue ?? 0
            return signal != 0 ? "Signal:\(signal)" : "ExitCode:\(terminated[member: "exitCode"]?.integerValue ?? 0)"
        }
    }
}
