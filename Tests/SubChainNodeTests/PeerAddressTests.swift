import Consensus
import Testing
import ZeroMQ

@testable import SubChainNode

@Suite("PeerAddress and PeerList parsing")
struct PeerAddressTests {
    static let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"

    @Test func parsesHostAndPort() throws {
        let address = try PeerAddress(parsing: "node-1@node-1.hrc-subchain-demo.svc:5001")
        #expect(address.id == ReplicaID(1))
        #expect(address.host == "node-1.hrc-subchain-demo.svc")
        #expect(address.port == 5001)
        #expect(address.curveKey == nil)
        #expect(address.endpoint == "tcp://node-1.hrc-subchain-demo.svc:5001")
        #expect(address.description == "node-1@node-1.hrc-subchain-demo.svc:5001")
    }

    @Test func parsesCurveKeyContainingSeparators() throws {
        // Z85 keys may contain ':' and '@', so the key is whatever follows the port.
        let address = try PeerAddress(parsing: "node-12@10.0.0.7:65535:\(Self.key)")
        #expect(address.id == ReplicaID(12))
        #expect(address.port == 65535)
        #expect(address.curveKey?.z85 == Self.key)
        #expect(address.description == "node-12@10.0.0.7:65535:\(Self.key)")
    }

    @Test(arguments: [
        ("node-1", "peer 'node-1': expected node-N@host:port or node-N@host:port:curvekey"),
        ("node-1@host", "peer 'node-1@host': expected node-N@host:port or node-N@host:port:curvekey"),
        ("node1@h:1", "peer 'node1@h:1': node id 'node1' must be node-N, such as node-1"),
        ("node-01@h:1", "peer 'node-01@h:1': node id 'node-01' must be node-N, such as node-1"),
        ("@h:1", "peer '@h:1': node id '' must be node-N, such as node-1"),
        ("node-1@:5001", "peer 'node-1@:5001': host is empty"),
        ("node-1@a/b:5001", "peer 'node-1@a/b:5001': host 'a/b' must be a DNS name or an IPv4 address"),
        ("node-1@h:0", "peer 'node-1@h:0': port '0' must be a number from 1 to 65535"),
        ("node-1@h:65536", "peer 'node-1@h:65536': port '65536' must be a number from 1 to 65535"),
        ("node-1@h:", "peer 'node-1@h:': port '' must be a number from 1 to 65535"),
        ("node-1@h:50x1", "peer 'node-1@h:50x1': port '50x1' must be a number from 1 to 65535"),
        ("node-1@h:+501", "peer 'node-1@h:+501': port '+501' must be a number from 1 to 65535"),
        ("node-1@h:5001:short", "peer 'node-1@h:5001:short': CURVE public key must be 40 Z85 characters; got 5"),
        (
            "node-1@h:5001:rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"",
            "peer 'node-1@h:5001:rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"': CURVE public key is not valid Z85 "
                + "(not a Z85 character at offset 39 of the text; check for whitespace or quotes)"
        ),
    ])
    func rejectsMalformedAddress(text: String, message: String) {
        #expect {
            try PeerAddress(parsing: text)
        } throws: { error in
            (error as? PeerAddressError)?.description == message
        }
    }

    @Test func parsesPeerList() throws {
        let list = try PeerList(parsing: " node-1@a:5001, node-2@b:5002 ,node-3@c:5003", selfID: ReplicaID(0))
        #expect(list.addresses.map(\.id) == [ReplicaID(1), ReplicaID(2), ReplicaID(3)])
        #expect(list.description == "node-1@a:5001,node-2@b:5002,node-3@c:5003")
        #expect(try PeerList(parsing: "", selfID: ReplicaID(0)).addresses.isEmpty)
        #expect(try PeerList(parsing: list.description, selfID: ReplicaID(0)) == list)
    }

    @Test(arguments: [
        ("node-1@a:1,,node-2@b:1", PeerAddressError.emptyEntry, "PEERS entry 2 is empty; remove the extra comma"),
        ("node-1@a:1,", PeerAddressError.emptyEntry, "PEERS entry 2 is empty; remove the extra comma"),
        ("node-1@a:1,node-1@b:2", PeerAddressError.duplicate, "PEERS names node-1 more than once; list each validator once"),
        ("node-1@a:1,node-0@b:2", PeerAddressError.includesSelf, "PEERS lists this node (node-0); list only the other validators"),
        ("node-1@a:1,node-x@b:2", PeerAddressError.nodeID, "peer 'node-x@b:2': node id 'node-x' must be node-N, such as node-1"),
    ])
    func rejectsMalformedList(text: String, kind: PeerAddressError, message: String) {
        #expect {
            try PeerList(parsing: text, selfID: ReplicaID(0))
        } throws: { error in
            guard let error = error as? PeerAddressError else { return false }
            return error == kind && error.description == message
        }
    }
}
