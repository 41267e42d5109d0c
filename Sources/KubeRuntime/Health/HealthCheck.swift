/// One named probe of ``HealthServer``: `nil` when it passes, otherwise why it fails.
public struct HealthCheck: Sendable {
    /// The check's name in `/healthz` and `/readyz` output, and its own path (`/readyz/NAME`).
    public let name: String
    /// Runs the check; returns the failure's reason, or `nil` when it passes. It should answer within a
    /// probe's timeout (one second by default on a kubelet), so it reads state rather than making requests.
    public let check: @Sendable () async -> String?

    public init(_ name: String, check: @escaping @Sendable () async -> String?) {
        self.name = name
        self.check = check
    }

    /// Always passes: the process answers HTTP (controller-runtime's `healthz.Ping`).
    public static let ping = HealthCheck("ping") { nil }

    /// Passes once `hasSynced` says every cache has its first complete list. With a leader elector, a
    /// standby instance passes too: it runs no controllers, so it has no caches to wait for, and it must be
    /// ready to take over (a standby that failed readiness would be restarted for doing its job).
    public static func cachesSynced(
        _ name: String = "informer-sync", leader: LeaderElector? = nil, hasSynced: @escaping @Sendable () -> Bool
    ) -> HealthCheck {
        HealthCheck(name) {
            if let leader, !leader.isLeading { return nil }
            return hasSynced() ? nil : "caches have not synced yet"
        }
    }
}
