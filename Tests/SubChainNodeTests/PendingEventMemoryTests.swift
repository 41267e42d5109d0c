import Consensus
import Ledger
@testable import SubChainNode
import Testing

@Suite("Pending-event memory")
struct PendingEventMemoryTests {
    private static func events(_ range: Range<Int>) -> [(id: SHA256Hash, event: ClientEvent)] {
        range.map { number in
            let event = ClientEvent(entityId: "lot-\(number)", type: "made")
            return (event.id, event)
        }
    }

    @Test func forgetsCommittedEventsAndKeepsTheRest() {
        let memory = PendingEventMemory(capacity: 10)
        let accepted = Self.events(0..<4)
        memory.remember(accepted)
        memory.forget([accepted[1].id, accepted[3].id])
        #expect(memory.event(withID: accepted[0].id) == accepted[0].event)
        #expect(memory.event(withID: accepted[1].id) == nil)
        #expect(memory.event(withID: accepted[2].id) == accepted[2].event)
        #expect(memory.event(withID: accepted[3].id) == nil)
    }

    @Test func staysBoundedWhenEventsAreForgottenAndOthersArrive() {
        let memory = PendingEventMemory(capacity: 5)
        var remembered: [(id: SHA256Hash, event: ClientEvent)] = []
        for round in 0..<20 {
            let batch = Self.events(round * 3..<round * 3 + 3)
            memory.remember(batch)
            memory.forget([batch[0].id])
            remembered += batch.dropFirst()
        }
        // Only the last five accepted (55…59) are within the capacity; of those, the forgotten 57 is gone.
        let newest = Self.events(57..<60)
        #expect(memory.event(withID: newest[1].id) == newest[1].event)
        #expect(memory.event(withID: newest[2].id) == newest[2].event)
        #expect(memory.event(withID: newest[0].id) == nil)
        #expect(remembered.dropLast(5).allSatisfy { memory.event(withID: $0.id) == nil })
    }
}
