import Foundation
import KubeCore
import Synchronization

/// The default pod runtime: runs nothing, reports every pod it is given `Running` and ready at once,
/// and confirms every stop at once. Pod IPs are handed out from 127.10.0.0/16 as strings; nothing is
/// bound or connected to there.
///
/// It reports from within ``handle(_:from:)``, which the sandbox calls before the write that bound
/// the pod returns, so a test that creates a Deployment and then polls sees it ready on the first poll.
/// Readiness changes and crashes come from the test hooks on ``Sandbox``.
public final class SimulatedPodRuntime: PodRuntime {
    /// The node's address, reported as every pod's `hostIP`.
    public static let hostIP = "127.0.0.1"

    private let nextAddress = Mutex<UInt32>(1)

    public init() {}

    public func handle(_ events: [PodRuntimeEvent], from sandbox: Sandbox) {
        for event in events {
            switch event.kind {
            case .run:
                guard let pod = event.typed else { continue }
                let status = SimulatedPodStatus.running(pod, podIP: allocateAddress(), hostIP: Self.hostIP, now: sandbox.now())
                sandbox.reportPodStatus(status, for: event.pod)
            case .stop:
                sandbox.confirmPodTermination(event.pod)
            case .removed:
                break
            }
        }
    }

    /// The next address of 127.10.0.0/16 (wrapping round after 65,534 pods).
    private func allocateAddress() -> String {
        let index = nextAddress.withLock { next in
            defer { next = next % 65_534 + 1 }
            return next
        }
        return "127.10.\(index >> 8).\(index & 0xff)"
    }
}
