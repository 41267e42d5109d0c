/// A min-heap of scheduled simulation events, ordered by time and then by insertion, so that equal
/// times still replay in one order.
struct EventQueue<Element> {
    private struct Entry {
        let time: UInt64
        let order: UInt64
        let element: Element
    }

    private var heap: [Entry] = []
    private var inserted: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var nextTime: UInt64? { heap.first?.time }

    mutating func push(_ element: Element, at time: UInt64) {
        heap.append(Entry(time: time, order: inserted, element: element))
        inserted += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (time: UInt64, element: Element)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (top.time, top.element)
    }

    private func precedes(_ a: Entry, _ b: Entry) -> Bool { (a.time, a.order) < (b.time, b.order) }
}
