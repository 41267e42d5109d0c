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

/// The bearer tokens the sandbox accepts: its admin user's, and any added later (ServiceAccount tokens).
///
/// A request without a known token is refused with 401, as a real server with anonymous access off
/// refuses it.
public final class SandboxUsers: Sendable {
    /// The admin user's token; the kubeconfig the sandbox writes carries it.
    public let adminToken: String
    private let tokens: Mutex<[String: SandboxUser]>

    public init(adminToken: String = SandboxUsers.newToken()) {
        self.adminToken = adminToken
        tokens = Mutex([adminToken: SandboxUser(name: "kube-sandbox-admin", groups: ["system:masters", "system:authenticated"])])
    }

    /// A new random token: 32 bytes, hex.
    public static func newToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Adds a token for a user.
    public func add(token: String, user: SandboxUser) {
        tokens.withLock { $0[token] = user }
    }

    /// The user of an `Authorization` header (`Bearer TOKEN`), or `nil`.
    public func user(forAuthorization header: String?) -> SandboxUser? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        let token = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        return tokens.withLock { $0[token] }
    }
}
