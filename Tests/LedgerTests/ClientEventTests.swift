import Consensus
import Foundation
import Ledger
import Testing

@Suite("Client events")
struct ClientEventTests {
    let shipped = ClientEvent(entityId: "lot-7", type: "shipped", details: ["to": "dock-2", "carrier": "acme"], clientId: "c1")

    @Test func canonicalEncodingIsStable() {
        // Written out from the documented layout (and checked with an independent implementation).
        let expected =
            "01" + "000000056c6f742d37" + "000000077368697070" + "6564" + "01000000026331" + "00" + "00000002"
            + "00000007636172726965720000000461636d65" + "00000002746f00000006646f636b2d32"
        #expect(hex(shipped.canonicalEncoding) == expected)
        #expect(shipped.id.hex == "c94804d10ea6749abaf08fd3df52c5e83a1a3cd7f212943218dfae2b25854f20")
        #expect(shipped.consensusEvent.id == shipped.id)
        #expect(shipped.consensusEvent.payload == shipped.canonicalEncoding)
    }

    @Test func detailOrderAndUnicodeNormalisationDoNotChangeTheID() throws {
        var details: [String: String] = [:]
        for key in ["zeta", "alpha", "Mid", "é", "a b"].reversed() { details[key] = key.uppercased() }
        let forward = ClientEvent(entityId: "e", type: "t", details: details)
        var rebuilt: [String: String] = [:]
        for key in details.keys.sorted() { rebuilt[key] = details[key] }
        #expect(ClientEvent(entityId: "e", type: "t", details: rebuilt).id == forward.id)

        let composed = ClientEvent(entityId: "caf\u{E9}", type: "t")
        let decomposed = ClientEvent(entityId: "cafe\u{301}", type: "t")
        #expect(composed.id == decomposed.id)
        #expect(composed.id != ClientEvent(entityId: "cafe", type: "t").id)
        #expect(try ClientEvent(canonicalEncoding: decomposed.canonicalEncoding) == composed)
    }

    @Test func optionalFieldsAreDistinguished() {
        let plain = ClientEvent(entityId: "e", type: "t")
        #expect(plain.id != ClientEvent(entityId: "e", type: "t", clientId: "").id)
        #expect(ClientEvent(entityId: "e", type: "t", clientId: "x").id != ClientEvent(entityId: "e", type: "t", nonce: "x").id)
    }

    @Test func jsonRoundTrip() throws {
        let json = #"{"entityId":"lot-7","type":"shipped","details":{"to":"dock-2","carrier":"acme"},"clientId":"c1"}"#
        let decoded = try JSONDecoder().decode(ClientEvent.self, from: Data(json.utf8))
        #expect(decoded == shipped)
        #expect(decoded.nonce == nil)
        let again = try JSONDecoder().decode(ClientEvent.self, from: JSONEncoder().encode(decoded))
        #expect(again == shipped)
        #expect(again.id == shipped.id)
    }

    @Test func decodingRoundTripsAndRefusesNonCanonicalBytes() throws {
        #expect(try ClientEvent(canonicalEncoding: shipped.canonicalEncoding) == shipped)
        var trailing = shipped.canonicalEncoding
        trailing.append(0)
        #expect(throws: ClientEventError.self) { try ClientEvent(canonicalEncoding: trailing) }
        var version = shipped.canonicalEncoding
        version[0] = 2
        #expect(throws: ClientEventError.unsupportedVersion(2)) { try ClientEvent(canonicalEncoding: version) }
        // Swap the two detail entries: same content, wrong order.
        let prefix = Array(shipped.canonicalEncoding.prefix(1 + 9 + 11 + 7 + 1 + 4))
        let carrier: [UInt8] = [0, 0, 0, 7] + Array("carrier".utf8) + [0, 0, 0, 4] + Array("acme".utf8)
        let to: [UInt8] = [0, 0, 0, 2] + Array("to".utf8) + [0, 0, 0, 6] + Array("dock-2".utf8)
        #expect(try ClientEvent(canonicalEncoding: prefix + carrier + to) == shipped)
        #expect(throws: ClientEventError.self) { try ClientEvent(canonicalEncoding: prefix + to + carrier) }
        #expect(throws: ClientEventError.self) { try ClientEvent(canonicalEncoding: [1, 0, 0]) }
    }

    @Test(arguments: [
        (ClientEvent(entityId: "", type: "t"), "entityId"),
        (ClientEvent(entityId: "e", type: ""), "type"),
        (ClientEvent(entityId: String(repeating: "x", count: 257), type: "t"), "entityId"),
        (ClientEvent(entityId: "e", type: String(repeating: "t", count: 129)), "type"),
        (ClientEvent(entityId: "e", type: "t", clientId: ""), "clientId"),
        (ClientEvent(entityId: "e", type: "t", nonce: String(repeating: "n", count: 200)), "nonce"),
        (ClientEvent(entityId: "e", type: "t", details: ["": "v"]), "details key"),
        (ClientEvent(entityId: "e", type: "t", details: ["color": String(repeating: "v", count: 5_000)]), "details.color"),
        (ClientEvent(entityId: "e", type: "t", details: Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") })), "details"),
    ])
    func validationNamesTheField(event: ClientEvent, field: String) {
        #expect {
            try event.validate()
        } throws: { error in
            guard let error = error as? ClientEventError else { return false }
            return error.field?.hasPrefix(field) == true && error.description.hasPrefix(field)
        }
    }

    @Test func aValidEventPassesAndTheEncodedSizeIsBounded() throws {
        try shipped.validate()
        let large = ClientEvent(
            entityId: "e", type: "t", details: Dictionary(uniqueKeysWithValues: (0..<20).map { ("k\($0)", String(repeating: "v", count: 2_000)) }))
        #expect(throws: ClientEventError.tooLarge(field: "event", bytes: large.canonicalEncoding.count, maximum: 32 * 1_024)) {
            try large.validate()
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
