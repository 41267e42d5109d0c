/// Why a peer address or a `PEERS` list could not be parsed.
///
/// Errors compare equal when they are of the same kind (``port``, ``nodeID``…), whatever their
/// message, so callers can match on the static members; ``description`` names the bad part and says
/// what to write instead.
public struct PeerAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case syntax, nodeID, host, port, curveKey, emptyEntry, duplicate, includesSelf
    }

    private let kind: Kind
    /// What is wrong, naming the offending entry and part.
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: PeerAddressError, rhs: PeerAddressError) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    /// The entry is not shaped `node-N@host:port[:curvekey]`.
    public static let syntax = PeerAddressError(.syntax, "malformed peer address")
    /// The node id is not `node-N`.
    public static let nodeID = PeerAddressError(.nodeID, "malformed node id")
    /// The host is empty or not a DNS name / IPv4 address.
    public static let host = PeerAddressError(.host, "malformed host")
    /// The port is not a number from 1 to 65535.
    public static let port = PeerAddressError(.port, "malformed port")
    /// The CURVE public key is not 40 Z85 characters.
    public static let curveKey = PeerAddressError(.curveKey, "malformed CURVE key")
    /// A `PEERS` list has an empty entry.
    public static let emptyEntry = PeerAddressError(.emptyEntry, "empty PEERS entry")
    /// A `PEERS` list names one node twice.
    public static let duplicate = PeerAddressError(.duplicate, "duplicate peer")
    /// A `PEERS` list names the node itself.
    public static let includesSelf = PeerAddressError(.includesSelf, "PEERS lists this node")

    static func syntax(_ entry: String) -> PeerAddressError {
        PeerAddressError(.syntax, "peer '\(entry)': expected node-N@host:port or node-N@host:port:curvekey")
    }

    static func nodeID(_ entry: String, _ id: String) -> PeerAddressError {
        PeerAddressError(.nodeID, "peer '\(entry)': node id '\(id)' must be node-N, such as node-1")
    }

    static func host(_ entry: String, _ host: String) -> PeerAddressError {
        let detail = host.isEmpty ? "host is empty" : "host '\(host)' must be a DNS name or an IPv4 address"
        return PeerAddressError(.host, "peer '\(entry)': \(detail)")
    }

    static func port(_ entry: String, _ port: String) -> PeerAddressError {
        PeerAddressError(.port, "peer '\(entry)': port '\(port)' must be a number from 1 to 65535")
    }

    static func curveKey(_ entry: String, _ detail: String) -> PeerAddressError {
        PeerAddressError(.curveKey, "peer '\(entry)': CURVE public key \(detail)")
    }

    static func emptyEntry(_ position: Int) -> PeerAddressError {
        PeerAddressError(.emptyEntry, "PEERS entry \(position) is empty; remove the extra comma")
    }

    static func duplicate(_ id: String) -> PeerAddressError {
        PeerAddressError(.duplicate, "PEERS names \(id) more than once; list each validator once")
    }

    static func includesSelf(_ id: String) -> PeerAddressError {
        PeerAddressError(.includesSelf, "PEERS lists this node (\(id)); list only the other validators")
    }
}
