@testable import Consensus
import ConsensusSimulation
import Testing

/// The pending queue against a plain model (an array in arrival order), through long random mixes of
/// appends, repeats, removals and takes that cross every compaction path.
@Suite("Pending events")
struct PendingEventsTests {
    private static func event(_ number: Int) -> Event {
        Event(payload: Array("pending-\(number)".utf8) + [UInt8](repeating: 0x2E, count: number % 7))
    }

    @Test func takesInArrivalOrderWithoutRepeats() {
        var pending = PendingEvents(tableSecret: 0x5EED)
        let added = [1, 2, 1, 3].map { pending.append(Self.event($0)) }
        #expect(added == [true, true, false, true])
        pending.remove(Self.event(2).id)
        #expect(pending.count == 2)
        #expect(!pending.contains(Self.event(2).id))
        let taken = pending.take(maxCount: 10, maxBytes: 1 << 20)
        #expect(taken.map(\.id) == [Self.event(1).id, Self.event(3).id])
        #expect(pending.isEmpty && pending.bytes == 0)
        // A taken event may come back (its proposal was abandoned) and queues at the end.
        let readded = [4, 1].map { pending.append(Self.event($0)) }
        #expect(readded == [true, true])
        #expect(pending.all.map(\.id) == [Self.event(4).id, Self.event(1).id])
    }

    @Test func aTakeStopsAtTheByteLimitButAlwaysTakesOne() {
        var pending = PendingEvents(tableSecret: 0x5EED)
        for number in 0..<4 { pending.append(Self.event(number)) }
        let first = pending.take(maxCount: 10, maxBytes: 1)
        #expect(first.map(\.id) == [Self.event(0).id])
        let twoMore = pending.take(maxCount: 10, maxBytes: Self.event(1).payload.count + Self.event(2).payload.count)
        #expect(twoMore.map(\.id) == [Self.event(1).id, Self.event(2).id])
        #expect(pending.count == 1)
    }

    @Test(arguments: [1, 2, 3]) func matchesAModelThroughRandomOperations(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var pending = PendingEvents(tableSecret: 0x5EED)
        var model: [Event] = []
        var next = 0
        for step in 0..<20_000 {
            // Phases that grow the queue to hundreds, hollow it out with out-of-order removals, and drain
            // it, so that every compaction path runs: cutting the taken front, rebuilding a queue of
            // mostly holes, and starting over once empty.
            let (appends, removals): (UInt64, UInt64) = [(8, 2), (1, 9), (2, 0)][(step / 1_500) % 3]
            let roll = random.next() % 10
            if roll < appends {
                // Mostly new events, some repeats of pending or earlier ones.
                let number = random.next() % 4 == 0 ? Int(random.next() % UInt64(next + 1)) : next
                if number == next { next += 1 }
                let event = Self.event(number)
                let isNew = !model.contains(event)
                let added = pending.append(event)
                #expect(added == isNew)
                if isNew { model.append(event) }
            } else if roll < appends + removals {
                guard !model.isEmpty else { continue }
                let event = model.remove(at: Int(random.next() % UInt64(model.count)))
                pending.remove(event.id)
            } else {
                let maxCount = Int(random.next() % 40) + 1
                let taken = pending.take(maxCount: maxCount, maxBytes: 1 << 20)
                let expected = Array(model.prefix(maxCount))
                model.removeFirst(expected.count)
                #expect(taken == expected, "step \(step)")
            }
            #expect(pending.count == model.count)
            #expect(pending.bytes == model.reduce(0) { $0 + $1.payload.count })
            if step % 500 == 0 {
                #expect(pending.all == model)
                for event in model.prefix(20) { #expect(pending.contains(event.id)) }
            }
        }
    }
}
