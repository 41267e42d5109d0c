import Consensus
import Testing

@Suite("Event-id filter")
struct EventIDFilterTests {
    private static func ids(_ range: Range<Int>) -> [SHA256Hash] {
        range.map { SHA256Hash.sha256(Array("event-\($0)".utf8)) }
    }

    @Test func neverForgetsAnInsertedIDEvenPastCapacity() {
        var filter = EventIDFilter(capacity: 1_000)
        let inserted = Self.ids(0..<5_000)
        for id in inserted { filter.insert(id) }
        #expect(filter.count == 5_000)
        #expect(inserted.allSatisfy { filter.mayContain($0) })
    }

    @Test func rulesOutNearlyEveryNewIDAtCapacity() {
        var filter = EventIDFilter(capacity: 20_000)
        for id in Self.ids(0..<20_000) { filter.insert(id) }
        let falsePositives = Self.ids(100_000..<120_000).filter { filter.mayContain($0) }.count
        // 10 bits and 7 probes per id in 512-bit blocks: about 1% in theory; 3% leaves room for the
        // blocks' uneven fill without letting a broken placement (which gives tens of percent) pass.
        #expect(falsePositives < 600, "\(falsePositives) of 20,000 new ids not ruled out")
    }

    @Test func anEmptyFilterRulesOutEverything() {
        let filter = EventIDFilter(capacity: 0)
        #expect(filter.capacity == 1)
        #expect(!Self.ids(0..<100).contains { filter.mayContain($0) })
    }
}
