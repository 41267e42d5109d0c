import Foundation

/// A credential obtained from a plugin, with its expiry.
struct ExecResult: Sendable, Hashable {
    var token: String?
    var identity: ClientIdentity?
    var expiry: Date?

    func isExpired(at now: Date) -> Bool {
        guard let expiry else { return false }
        return now >= expiry
    }
}
