import AsyncHTTPClient
import Foundation

/// Which proxy, if any, carries the connections to one API server, decided as client-go decides it.
///
/// A kubeconfig's `proxy-url` wins. Otherwise the environment's `HTTPS_PROXY` (for an `https`
/// server) or `HTTP_PROXY` (for `http`), upper or lower case, applies unless `NO_PROXY` names the
/// host or the host is `localhost` or a loopback address. `NO_PROXY` entries are `*`, IP addresses,
/// CIDR ranges (`10.0.0.0/8`), and domains (`example.com` and `.example.com` both match the domain
/// and its subdomains), each optionally with `:port`.
///
/// Supported proxies are `http://` (HTTP `CONNECT`, with `user:password@` sent as basic
/// authorization) and `socks5://`; a proxy URL without a scheme is taken as `http://`.
enum ProxyRoute {
    /// The proxy for a server, or `nil` to connect directly.
    ///
    /// - Parameters:
    ///   - explicit: The configuration's ``ClientConfiguration/proxyURL``.
    ///   - environment: The process environment, or `nil` to ignore it.
    ///   - scheme: The server URL's scheme.
    ///   - host: The server's host.
    ///   - port: The server's port.
    /// - Throws: ``KubeError/Code/configuration`` naming the setting when a proxy URL is malformed or
    ///   of an unsupported kind.
    static func proxy(
        explicit: String?, environment: [String: String]?, scheme: String, host: String, port: Int
    ) throws(KubeError) -> HTTPClient.Configuration.Proxy? {
        if let explicit, !explicit.isEmpty {
            return try parse(explicit, setting: "proxy-url")
        }
        guard let environment else { return nil }
        let names = scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let (name, value) = names.lazy.compactMap({ name in environment[name].map { (name, $0) } })
            .first(where: { !$0.1.isEmpty })
        else { return nil }
        if isLoopback(host) { return nil }
        let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
        if bypasses(noProxy, host: host, port: port) { return nil }
        return try parse(value, setting: "the environment variable \(name)")
    }

    static func parse(_ text: String, setting: String) throws(KubeError) -> HTTPClient.Configuration.Proxy {
        let withScheme = text.contains("://") ? text : "http://\(text)"
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .configuration("\(setting) \"\(text)\" is not a proxy URL; use the form http://host:port")
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        switch scheme {
        case "http":
            let port = components.port ?? 80
            if let user = components.user {
                return .server(
                    host: bareHost, port: port,
                    authorization: .basic(username: user.removingPercentEncoding ?? user,
                        password: components.password.map { $0.removingPercentEncoding ?? $0 } ?? ""))
            }
            return .server(host: bareHost, port: port)
        case "socks5":
            return .socksServer(host: bareHost, port: components.port ?? 1080)
        default:
            throw .configuration(
                "\(setting) \"\(text)\" uses the scheme \(scheme), which this client does not support; use an "
                    + "http:// (CONNECT) or socks5:// proxy")
        }
    }

    private static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        guard let bytes = ServerNameCheck.addressBytes(host) else { return false }
        if bytes.count == 4 { return bytes[0] == 127 }
        return bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// Whether `NO_PROXY` excludes the host.
    static func bypasses(_ noProxy: String, host: String, port: Int) -> Bool {
        let host = host.lowercased()
        let address = ServerNameCheck.addressBytes(host)
        for rawEntry in noProxy.split(separator: ",") {
            var entry = rawEntry.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if entry.contains("/") {
                if let address, CIDR(entry)?.contains(address) == true { return true }
                continue
            }
            // A trailing :port (not part of an IPv6 address) restricts the entry to that port.
            if let colon = entry.lastIndex(of: ":"), ServerNameCheck.addressBytes(entry) == nil,
                let entryPort = Int(entry[entry.index(after: colon)...])
            {
                guard entryPort == port else { continue }
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("[") && entry.hasSuffix("]") { entry = String(entry.dropFirst().dropLast()) }
            if let entryAddress = ServerNameCheck.addressBytes(entry) {
                if entryAddress == address { return true }
                continue
            }
            // As Go's httpproxy reads it: `example.com` covers the name and its subdomains, while
            // `.example.com` and `*.example.com` cover the subdomains only.
            if entry.hasPrefix("*.") { entry.removeFirst() }
            if entry.hasPrefix(".") {
                if host.hasSuffix(entry) { return true }
            } else if host == entry || host.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }

    private struct CIDR {
        var network: [UInt8]
        var prefix: Int

        init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1)
            guard parts.count == 2, let network = ServerNameCheck.addressBytes(String(parts[0])),
                let prefix = Int(parts[1]), prefix >= 0, prefix <= network.count * 8
            else { return nil }
            self.network = network
            self.prefix = prefix
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var remaining = prefix
            for (a, n) in zip(address, network) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                if a & mask != n & mask { return false }
                remaining -= bits
            }
            return true
        }
    }
}
