import Foundation
import KubeCore

/// The statuses a kubelet reports, built for simulated pods: running and ready, not ready, crashed
/// into `CrashLoopBackOff`. Pure functions of the pod, its address and the time.
enum SimulatedPodStatus {
    /// Every container started and ready, the pod `Running`, with the conditions a kubelet sets.
    static func running(_ pod: Pod, podIP: String, hostIP: String, now: Date) -> PodStatus {
        let time = KubeTime(now)
        let containers = pod.spec?.containers ?? []
        let statuses = containers.map { container in
            ContainerStatus(
                name: container.name, ready: true, started: true, restartCount: 0, image: container.image,
                imageID: imageID(container.image ?? ""), containerID: containerID(pod: pod, container: container.name ?? "", restarts: 0),
                state: ContainerState(running: ContainerStateRunning(startedAt: time)))
        }
        return PodStatus(
            phase: "Running", conditions: conditions(ready: true, scheduled: pod.status?.conditions, now: time, unready: []),
            hostIP: hostIP, podIP: podIP, startTime: time, containerStatuses: statuses)
    }

    /// The status with every container's readiness probe failing (or passing again, `ready: true`).
    static func readiness(_ status: PodStatus, ready: Bool, now: Date) -> PodStatus {
        var status = status
        status.containerStatuses = status.containerStatuses?.map { container in
            var container = container
            // Only a running container can be ready.
            container.ready = ready && container.state?.running != nil
            return container
        }
        return withReadyConditions(status, now: KubeTime(now))
    }

    /// The status after `container` exited with code 1 and now waits out its restart back-off, as a
    /// kubelet reports a container in `CrashLoopBackOff` (10 s doubled per restart, at most 5 min).
    static func crashed(_ status: PodStatus, pod: Pod, container name: String?, now: Date) -> PodStatus {
        var status = status
        let time = KubeTime(now)
        let podText = "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))"
        status.containerStatuses = status.containerStatuses?.map { container in
            guard name == nil || container.name == name else { return container }
            var container = container
            let restarts = (container.restartCount ?? 0) + 1
            let backOff = min(10 << min(Int(restarts) - 1, 10), 300)
            container.lastState = ContainerState(
                terminated: ContainerStateTerminated(
                    exitCode: 1, reason: "Error", startedAt: container.state?.running?.startedAt ?? time, finishedAt: time,
                    containerID: container.containerID))
            container.state = ContainerState(
                waiting: ContainerStateWaiting(
                    reason: "CrashLoopBackOff",
                    message: "back-off \(backOffText(backOff)) restarting failed container=\(container.name ?? "") pod=\(podText)"))
            container.restartCount = restarts
            container.ready = false
            container.started = false
            container.containerID = containerID(pod: pod, container: container.name ?? "", restarts: Int(restarts))
            return container
        }
        return withReadyConditions(status, now: time)
    }

    /// The back-off as Go prints a duration: `10s`, `1m20s`, `5m0s`.
    static func backOffText(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m\(seconds % 60)s"
    }

    /// The `Ready` and `ContainersReady` conditions recomputed from the containers' readiness.
    private static func withReadyConditions(_ status: PodStatus, now: KubeTime) -> PodStatus {
        var status = status
        let unready = (status.containerStatuses ?? []).filter { $0.ready != true }.compactMap(\.name)
        status.conditions = conditions(ready: unready.isEmpty, scheduled: status.conditions, now: now, unready: unready)
        return status
    }

    /// The pod conditions in the order a kubelet writes them, each keeping its transition time while
    /// its status stays.
    private static func conditions(ready: Bool, scheduled existing: [PodCondition]?, now: KubeTime, unready: [String]) -> [PodCondition] {
        func condition(_ type: String, _ value: Bool, reason: String? = nil, message: String? = nil) -> PodCondition {
            let previous = existing?.first { $0.type == type }
            let status = value ? "True" : "False"
            let since = previous?.status == status ? (previous?.lastTransitionTime ?? now) : now
            return PodCondition(type: type, status: status, lastTransitionTime: since, reason: reason, message: message)
        }
        let detail = "containers with unready status: [\(unready.joined(separator: " "))]"
        return [
            condition("PodReadyToStartContainers", true),
            condition("Initialized", true),
            condition("Ready", ready, reason: ready ? nil : "ContainersNotReady", message: ready ? nil : detail),
            condition("ContainersReady", ready, reason: ready ? nil : "ContainersNotReady", message: ready ? nil : detail),
            existing?.first { $0.type == "PodScheduled" } ?? PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: now),
        ]
    }

    /// A digest-pinned image reference, as a container runtime reports `imageID` (the digest made up
    /// from the image name, so the same image always has the same ID).
    static func imageID(_ image: String) -> String {
        let repository = image.split(separator: "@").first.map(String.init) ?? image
        let name = repository.range(of: ":[^/:]+$", options: .regularExpression).map { String(repository[..<$0.lowerBound]) } ?? repository
        return "\(name)@sha256:\(hex(image, length: 64))"
    }

    /// A `containerd://` container ID, new for each start of a container.
    static func containerID(pod: Pod, container: String, restarts: Int) -> String {
        "containerd://" + hex("\(pod.metadata.uid ?? "")/\(container)/\(restarts)", length: 64)
    }

    /// Hex digits derived from `text` (FNV-1a, chained), `length` long.
    private static func hex(_ text: String, length: Int) -> String {
        var digits = ""
        var hash = PodTemplateHash.fnv32a(Array(text.utf8))
        while digits.count < length {
            digits += String(format: "%08x", hash)
            hash = PodTemplateHash.fnv32a(Array(digits.utf8), continuing: hash)
        }
        return String(digits.prefix(length))
    }
}
