/// Whom the client acts as, through the API server's impersonation headers (kubectl's `--as`,
/// `--as-uid`, `--as-group`, `--as-user-extra`).
///
/// The authenticated user needs the `impersonate` verb on users, groups, uids or
/// `userextras/<key>` in RBAC; the server answers 403 otherwise.
public struct Impersonation: Sendable, Hashable {
    /// The user to act as (`Impersonate-User`).
    public var userName: String
    /// The UID to act as (`Impersonate-Uid`).
    public var uid: String?
    /// The groups to act as (one `Impersonate-Group` each).
    public var groups: [String]
    /// Extra user information (`Impersonate-Extra-<key>`, one header per value).
    public var extra: [String: [String]]

    /// Creates an impersonation.
    public init(userName: String, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
        self.userName = userName
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// The request headers, in a stable order.
    var headers: [(String, String)] {
        var headers = [("Impersonate-User", userName)]
        if let uid, !uid.isEmpty { headers.append(("Impersonate-Uid", uid)) }
        headers += groups.map { ("Impersonate-Group", $0) }
        for key in extra.keys.sorted() {
            // Header names are case-insensitive and limited to token characters, so the key is percent-encoded,
            // as the API server expects (it decodes the name after the prefix).
            let name = "Impersonate-Extra-" + Self.percentEncoded(key)
            headers += (extra[key] ?? []).map { (name, $0) }
        }
        return headers
    }

    private static func percentEncoded(_ key: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!#$&'*+^`|".utf8)
        return key.utf8.map { byte in
            unreserved.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }
}
