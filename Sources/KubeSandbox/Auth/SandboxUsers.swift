import Crypto
import Foundation
import Synchronization

/// Who a bearer token authenticates as.
public struct SandboxUser: Sendable, Hashable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }
}

/// The bearer tokens the sandbox accepts: its admin user's, and the ServiceAccount tokens it issues.
///
/// A request without a known token is refused with 401, as a real server with anonymous access off
/// refuses it.
public final class SandboxUsers: Sendable {
    /// The admin user's token; the kubeconfig the sandbox writes carries it.
    public let adminToken: String
    private let tokens: Mutex<[String: (user: SandboxUser, expires: Date?)]>

    public init(adminToken: String = SandboxUsers.newToken()) {
        self.adminToken = adminToken
        tokens = Mutex([adminToken: (SandboxUser(name: "kube-sandbox-admin", groups: ["system:masters", "system:authenticated"]), nil)])
    }

    /// Issues a token for a ServiceAccount, as the TokenRequest API does: it authenticates as
    /// `system:serviceaccount:NAMESPACE:NAME` with the service-account groups until it expires.
    public func issueServiceAccountToken(namespace: String, name: String, expires: Date) -> String {
        let token = Self.newToken()
        let user = SandboxUser(
            name: "system:serviceaccount:\(namespace):\(name)",
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"])
        tokens.withLock { $0[token] = (user, expires) }
        return token
    }

    /// A new random token: 32 bytes, hex.
    public static func newToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Adds a token for a user.
    public func add(token: String, user: SandboxUser) {
        tokens.withLock { $0[token] = (user, nil) }
    }

    /// The user of an `Authorization` header (`Bearer TOKEN`), or `nil`.
    public func user(forAuthorization header: String?) -> SandboxUser? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        let token = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        return tokens.withLock { tokens -> SandboxUser? in
            guard let entry = tokens[token] else { return nil }
            if let expires = entry.expires, expires <= Date() {
                tokens[token] = nil
                return nil
            }
            return entry.user
        }
    }
}
