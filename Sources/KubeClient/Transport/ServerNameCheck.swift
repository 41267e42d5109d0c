import Foundation
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that a server certificate names the host the client meant to reach, by the rules client-go
/// (Go's `crypto/x509`) applies, so that a kubeconfig kubectl refuses is refused here too.
///
/// NIOSSL's own check is not used: it also accepts a certificate when any of its IP addresses equals the
/// connected address, whatever name was expected, and it falls back to the common name. With
/// `tls-server-name` set, or a URL host that differs from the address connected to, that would accept a
/// certificate issued for another server.
///
/// The rules:
/// - An expected IP address matches only an IP address in the subject alternative names.
/// - An expected DNS name matches only DNS names there, case-insensitively, ignoring one trailing dot;
///   `*` matches exactly one whole left-most label (`*.example.com` matches `a.example.com`, not
///   `example.com` or `a.b.example.com`).
/// - The subject's common name is never used.
struct ServerNameCheck: Sendable, Hashable {
    /// The name to verify: `tls-server-name` when set, else the server URL's host (without brackets).
    let expected: String

    /// The IP address bytes (4 or 16) when ``expected`` is an IP address.
    private var expectedAddress: [UInt8]? { Self.addressBytes(expected) }

    /// Verifies the leaf certificate the server presented.
    ///
    /// - Parameter certificate: The peer's leaf certificate, already verified against the trust roots.
    /// - Throws: ``ServerNameMismatch`` naming what the certificate is valid for.
    func verify(_ certificate: Certificate) throws(ServerNameMismatch) {
        let names: [GeneralName]
        do {
            names = (try certificate.extensions.subjectAlternativeNames).map(Array.init) ?? []
        } catch {
            throw ServerNameMismatch(expected: expected, reason: "its subject alternative names cannot be parsed (\(error))")
        }
        if let address = expectedAddress {
            let addresses = names.compactMap { name -> [UInt8]? in
                guard case .ipAddress(let octets) = name else { return nil }
                return Array(octets.bytes)
            }
            guard !addresses.isEmpty else {
                throw ServerNameMismatch(expected: expected, reason: "it contains no IP address")
            }
            guard addresses.contains(where: { Self.sameAddress($0, address) }) else {
                throw ServerNameMismatch(
                    expected: expected, reason: "it is valid for \(addresses.map(Self.describe).joined(separator: ", "))")
            }
            return
        }
        let dnsNames = names.compactMap { name -> String? in
            guard case .dnsName(let dnsName) = name else { return nil }
            return dnsName
        }
        guard !dnsNames.isEmpty else {
            throw ServerNameMismatch(expected: expected, reason: "it contains no DNS name")
        }
        guard dnsNames.contains(where: { Self.matches(pattern: $0, host: expected) }) else {
            throw ServerNameMismatch(expected: expected, reason: "it is valid for \(dnsNames.joined(separator: ", "))")
        }
    }

    /// Whether a certificate's DNS name matches a host name.
    static func matches(pattern: String, host: String) -> Bool {
        let hostLabels = normalized(host).split(separator: ".", omittingEmptySubsequences: false)
        let patternLabels = pattern.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard !hostLabels.isEmpty, hostLabels.count == patternLabels.count,
            !hostLabels.contains(where: \.isEmpty)
        else { return false }
        for (index, (patternLabel, hostLabel)) in zip(patternLabels, hostLabels).enumerated() {
            if index == 0, patternLabel == "*" { continue }
            if patternLabel != hostLabel { return false }
        }
        return true
    }

    /// The host as Go compares it: lower case, one trailing dot dropped (a certificate's own name keeps its dot).
    private static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// The bytes of an IPv4 or IPv6 address in text form, or `nil` for anything else.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// Equal addresses, counting an IPv4 address and its IPv4-mapped IPv6 form as one, as Go does.
    private static func sameAddress(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        canonical(a) == canonical(b)
    }

    private static func canonical(_ bytes: [UInt8]) -> [UInt8] {
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        if bytes.count == 16, Array(bytes.prefix(12)) == mappedPrefix { return Array(bytes.suffix(4)) }
        return bytes
    }

    private static func describe(_ bytes: [UInt8]) -> String {
        let bytes = canonical(bytes)
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A server certificate that does not name the expected host; never retried.
struct ServerNameMismatch: Error, Sendable, CustomStringConvertible {
    var expected: String
    var reason: String

    var description: String {
        "the server certificate is not valid for \(expected): \(reason)"
    }
}
