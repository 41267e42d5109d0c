import Consensus
import ConsensusSimulation
import Testing

/// The digest table against a `Dictionary`, through growth, overwrites and removals, with digests spread
/// over the whole table and with digests crowded into a few long probe runs.
@Suite("Digest table")
struct DigestTableTests {
    private static func digest(_ number: Int) -> SHA256Hash { SHA256Hash.sha256(Array("digest-\(number)".utf8)) }

    /// A digest whose second word, the one the slot is computed from, is one of `homes` values: all
    /// digests with the same second word want the same slot, whatever the secret.
    private static func crowded(_ number: Int, homes: Int) throws -> SHA256Hash {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[15] = UInt8(number % homes + 1)
        bytes[28] = UInt8(truncatingIfNeeded: number >> 16)
        bytes[29] = UInt8(truncatingIfNeeded: number >> 8)
        bytes[30] = UInt8(truncatingIfNeeded: number)
        bytes[31] = 1
        return try #require(SHA256Hash(bytes: bytes))
    }

    /// Random inserts, overwrites and removals, checked against the model after every step.
    private static func agreesWithADictionary(keys: [SHA256Hash], steps: Int, seed: UInt64) {
        var table = DigestTable(secret: seed &* 0x9E37_79B9_7F4A_7C15)
        var model: [SHA256Hash: UInt64] = [:]
        var random = SeededRandom(seed: seed)
        for step in 0..<steps {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            let value = random.next()
            switch random.next() % 10 {
            case 0..<4:
                let inserted = table.insert(key, value: value)
                #expect(inserted == (model[key] == nil), "step \(step)")
                if model[key] == nil { model[key] = value }
            case 4..<6:
                let replaced = table.updateValue(value, for: key)
                #expect(replaced == model.updateValue(value, forKey: key), "step \(step)")
            default:
                let removed = table.removeValue(for: key)
                #expect(removed == model.removeValue(forKey: key), "step \(step)")
            }
            #expect(table.count == model.count, "step \(step)")
            #expect(table[key] == model[key], "step \(step)")
            if step % 1_000 == 0 {
                for key in keys { #expect(table[key] == model[key], "step \(step)") }
            }
        }
        for key in keys { #expect(table[key] == model[key]) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func agreesWithADictionaryThroughInsertsUpdatesAndRemovals(seed: UInt64) {
        Self.agreesWithADictionary(keys: (0..<3_000).map(Self.digest), steps: 30_000, seed: seed)
    }

    /// Digests crowded onto eight home slots make runs longer than the table between homes, so removals
    /// shift entries back across other homes' runs and across the end of the table.
    @Test(arguments: [4, 5] as [UInt64]) func removalsKeepCrowdedRunsReachable(seed: UInt64) throws {
        let keys = try (0..<200).map { try Self.crowded($0, homes: 8) }
        Self.agreesWithADictionary(keys: keys, steps: 20_000, seed: seed)
    }

    @Test func growsFromTheSmallestSizeAndKeepsEveryDigest() {
        var table = DigestTable(secret: 42)
        for number in 0..<50_000 { table.insert(Self.digest(number), value: UInt64(number)) }
        #expect(table.count == 50_000)
        #expect(table.capacity >= 50_000)
        for number in 0..<50_000 { #expect(table[Self.digest(number)] == UInt64(number)) }
        for number in 50_000..<51_000 { #expect(!table.contains(Self.digest(number))) }
        table.removeAll(keepingCapacity: true)
        #expect(table.isEmpty && table.capacity >= 50_000)
        #expect(!table.contains(Self.digest(7)))
    }

    /// The all-zero digest marks an empty slot; it is kept apart, exactly.
    @Test func theZeroDigestIsAKeyLikeAnyOther() {
        var table = DigestTable(secret: 42)
        #expect(!table.contains(.zero))
        let first = table.insert(.zero, value: 5)
        let again = table.insert(.zero, value: 6)
        #expect(first && !again)
        #expect(table[.zero] == 5)
        #expect(table.count == 1)
        table.reserveCapacity(10_000)
        #expect(table[.zero] == 5 && table.count == 1)
        #expect(table.updateValue(7, for: .zero) == 5)
        #expect(table.removeValue(for: .zero) == 7)
        #expect(table.isEmpty && !table.contains(.zero))
    }

    /// Warming loads each digest's home slot: a lone entry sits at its home, so warming it reads its value.
    @Test func warmingReadsTheHomeSlots() {
        var table = DigestTable(secret: 42)
        #expect(table.warm([Self.digest(1), Self.digest(2)]) == 0)
        table.insert(Self.digest(1), value: 77)
        #expect(table.warm([Self.digest(1)]) == 77)
        #expect(table[Self.digest(1)] == 77 && table.count == 1)
    }

    @Test func aSecretIsStablePerHolderAndDiffersBetweenHolders() {
        let one = DigestTable.secret(from: [UInt8](repeating: 1, count: 32))
        #expect(one == DigestTable.secret(from: [UInt8](repeating: 1, count: 32)))
        #expect(one != DigestTable.secret(from: [UInt8](repeating: 2, count: 32)))
    }
}
