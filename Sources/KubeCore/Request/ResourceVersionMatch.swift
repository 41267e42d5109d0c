/// How a list interprets `resourceVersion` (`resourceVersionMatch` query parameter).
public enum ResourceVersionMatch: String, Hashable, Sendable {
    /// Return data at least as new as the given version (a cache read is fine).
    case notOlderThan = "NotOlderThan"
    /// Return data at exactly the given version; fails with 410 once it is compacted.
    case exact = "Exact"
}
