/// The timing and identity of one leader election candidate, with client-go's defaults
/// (`LeaseDuration` 15 s, `RenewDeadline` 10 s, `RetryPeriod` 2 s, `JitterFactor` 1.2) and the checks
/// client-go's `NewLeaderElector` makes, which are what keep two leaders apart.
public struct LeaderElectionConfiguration: Sendable, Hashable {
    /// Who this candidate is, written as the Lease's `holderIdentity`: unique per process (a pod name
    /// plus a random suffix), because a candidate that finds its own identity in the Lease renews it at once.
    public let identity: String
    /// The namespace of the Lease.
    public let leaseNamespace: String
    /// The name of the Lease.
    public let leaseName: String
    /// How long others wait, on their own clocks, after last seeing the Lease change before they take it over.
    public let leaseDuration: Duration
    /// How long after its last successful renewal was sent the leader stops leading, whatever happened since.
    public let renewDeadline: Duration
    /// How often a candidate tries to acquire, and how often the leader renews or retries a failed renewal.
    public let retryPeriod: Duration
    /// How much a candidate stretches each ``retryPeriod`` at random: with 1.2, a wait of `p` is drawn from
    /// `p..<2.2p`, so candidates that started together drift apart.
    public let jitterFactor: Double

    /// A configuration, checked.
    ///
    /// - Throws: ``LeaderElectionConfigurationError`` when a name is empty, a duration is not positive, the
    ///   lease does not outlast the renew deadline or the deadline leaves no room for a jittered retry.
    public init(
        identity: String, leaseNamespace: String, leaseName: String, leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2), jitterFactor: Double = 1.2
    ) throws(LeaderElectionConfigurationError) {
        guard !identity.isEmpty else { throw .emptyIdentity }
        guard !leaseNamespace.isEmpty, !leaseName.isEmpty else { throw .emptyLeaseName }
        guard retryPeriod > .zero else { throw .retryPeriodNotPositive }
        guard jitterFactor >= 0, jitterFactor.isFinite else { throw .invalidJitterFactor(jitterFactor) }
        // The Lease stores whole seconds; others judge expiry by what is stored, so the check uses that.
        let storedSeconds = leaseDuration.components.seconds
        guard storedSeconds >= 1, storedSeconds <= Int64(Int32.max) else { throw .leaseDurationOutOfRange }
        guard renewDeadline < .seconds(storedSeconds) else { throw .renewDeadlineNotShorterThanLeaseDuration }
        guard renewDeadline > retryPeriod * jitterFactor else { throw .renewDeadlineNotLongerThanJitteredRetryPeriod }
        self.identity = identity
        self.leaseNamespace = leaseNamespace
        self.leaseName = leaseName
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.jitterFactor = jitterFactor
    }

    /// ``leaseDuration`` as the whole seconds written to `spec.leaseDurationSeconds`.
    public var leaseDurationSeconds: Int32 { Int32(leaseDuration.components.seconds) }
}

/// A leader election configuration that could let two leaders overlap or never renew, named.
public enum LeaderElectionConfigurationError: Error, Equatable, CustomStringConvertible {
    case emptyIdentity
    case emptyLeaseName
    case retryPeriodNotPositive
    case invalidJitterFactor(Double)
    case leaseDurationOutOfRange
    case renewDeadlineNotShorterThanLeaseDuration
    case renewDeadlineNotLongerThanJitteredRetryPeriod

    public var description: String {
        switch self {
        case .emptyIdentity: "the identity must not be empty"
        case .emptyLeaseName: "the lease namespace and name must not be empty"
        case .retryPeriodNotPositive: "the retry period must be positive"
        case .invalidJitterFactor(let factor): "the jitter factor must be a finite number of at least 0, got \(factor)"
        case .leaseDurationOutOfRange: "the lease duration must be between 1 s and Int32.max seconds"
        case .renewDeadlineNotShorterThanLeaseDuration:
            "the renew deadline must be shorter than the lease duration (in whole seconds), or two leaders could overlap"
        case .renewDeadlineNotLongerThanJitteredRetryPeriod:
            "the renew deadline must be longer than the retry period times the jitter factor"
        }
    }
}
