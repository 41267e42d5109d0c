import Consensus
@testable import ConsensusSimulation
import Testing

@Suite("Committed-id table")
struct CommittedIDTableTests {
    @Test func agreesWithASetWhileGrowingFromTheSmallestSize() {
        var table = CommittedIDTable(minimumCapacity: 1)
        var model = Set<SHA256Hash>()
        var random = SeededRandom(seed: 7)
        for step in 0..<30_000 {
            // A third of the inserts repeat an id inserted before.
            let number = step % 3 == 0 ? Int(random.next() % UInt64(step + 1)) : step
            let id = SHA256Hash.sha256(Array("id-\(number)".utf8))
            let inserted = table.insert(id)
            let new = model.insert(id).inserted
            #expect(inserted == new)
        }
        #expect(table.count == model.count)
        #expect(table.capacity >= model.count)
        for number in 0..<30_000 {
            let id = SHA256Hash.sha256(Array("id-\(number)".utf8))
            #expect(table.contains(id) == model.contains(id))
        }
        for number in 30_000..<31_000 { #expect(!table.contains(SHA256Hash.sha256(Array("id-\(number)".utf8)))) }
    }

    /// Ids that want the same slot (here: equal second words) sit in a probe run and are all found, also
    /// after the table grows and places them again.
    @Test func collidingIDsAreAllKept() throws {
        var table = CommittedIDTable(minimumCapacity: 8)
        let colliding = try (1...12).map { index -> SHA256Hash in
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes[15] = 0x2A  // the second word
            bytes[31] = UInt8(index)
            return try #require(SHA256Hash(bytes: bytes))
        }
        let first = colliding.map { table.insert($0) }
        let again = colliding.map { table.insert($0) }
        #expect(first.allSatisfy { $0 })
        #expect(again.allSatisfy { !$0 })
        #expect(table.count == colliding.count)
        for id in colliding { #expect(table.contains(id)) }
    }

    /// The all-zero id looks like an empty slot; it is kept apart, exactly.
    @Test func theZeroIDIsAMemberLikeAnyOther() {
        var table = CommittedIDTable()
        #expect(!table.contains(.zero))
        let first = table.insert(.zero)
        let again = table.insert(.zero)
        #expect(first && !again)
        #expect(table.contains(.zero))
        #expect(table.count == 1)
        table.reserveCapacity(100_000)
        #expect(table.contains(.zero))
        #expect(table.count == 1)
    }
}
