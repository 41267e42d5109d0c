import Consensus
import ZeroMQ

/// Where a validator listens for peer traffic: `node-N@host:port`, with the 40-character Z85 CURVE
/// public key of its transport key pair appended (`:key`) when the sub-chain encrypts peer traffic.
///
/// The key goes last because the Z85 alphabet contains `:` and `@`; the host cannot contain `:`
/// (IPv6 literals are not supported: the operator hands out Service DNS names).
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The validator this address reaches.
    public var id: ReplicaID
    /// A DNS name or IPv4 address.
    public var host: String
    /// The peer's `NODE_PORT`, 1 to 65535.
    public var port: UInt16
    /// The public key of the peer's CURVE server, if peer traffic is encrypted.
    public var curveKey: ZMQCurveKey?

    /// Creates an address from its parts.
    public init(id: ReplicaID, host: String, port: UInt16, curveKey: ZMQCurveKey? = nil) {
        self.id = id
        self.host = host
        self.port = port
        self.curveKey = curveKey
    }

    /// Parses `node-N@host:port` or `node-N@host:port:z85key`.
    /// - Throws: ``PeerAddressError`` naming the part that is wrong.
    public init(parsing text: String) throws(PeerAddressError) {
        guard let at = text.firstIndex(of: "@") else { throw .syntax(text) }
        let name = String(text[..<at])
        guard let id = ReplicaID(nodeName: name) else { throw .nodeID(text, name) }

        let location = text[text.index(after: at)...]
        guard let hostEnd = location.firstIndex(of: ":") else { throw .syntax(text) }
        let host = String(location[..<hostEnd])
        guard Self.isValidHost(host) else { throw .host(text, host) }

        let afterHost = location[location.index(after: hostEnd)...]
        let portText = afterHost.prefix { $0 != ":" }
        guard let port = UInt16(portText), port > 0, String(port) == portText else {
            throw .port(text, String(portText))
        }

        var curveKey: ZMQCurveKey?
        if portText.endIndex < afterHost.endIndex {
            let keyText = String(afterHost[afterHost.index(after: portText.endIndex)...])
            guard keyText.utf8.count == ZMQCurveKey.z85Count else {
                throw .curveKey(text, "must be \(ZMQCurveKey.z85Count) Z85 characters; got \(keyText.utf8.count)")
            }
            do {
                curveKey = try ZMQCurveKey(z85: keyText)
            } catch {
                throw .curveKey(text, "is not valid Z85 (\(error.message))")
            }
        }
        self.init(id: id, host: host, port: port, curveKey: curveKey)
    }

    /// The ZeroMQ endpoint a DEALER connects to, `tcp://host:port`.
    public var endpoint: String { "tcp://\(host):\(port)" }

    /// The address in the form ``init(parsing:)`` reads.
    public var description: String {
        let base = "\(id)@\(host):\(port)"
        return curveKey.map { "\(base):\($0.z85)" } ?? base
    }

    /// DNS labels (letters, digits, `-`, `.`, `_`) cover Service names and dotted IPv4 addresses; anything
    /// else, such as `/` or a space, is a typo that libzmq would only report at connect time.
    private static func isValidHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.unicodeScalars.allSatisfy { scalar in
            ("0"..."9").contains(scalar)
                || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || scalar == "-" || scalar == "." || scalar == "_"
        }
    }
}
