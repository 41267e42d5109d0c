import CZeroMQ

/// Waits until any of several sockets has a message to receive (`zmq_poll`).
///
/// Like the sockets it holds, a poller belongs to the one thread that owns them.
public struct ZMQPoller {
    /// The sockets polled; ``poll(timeout:)`` answers with indices into this array.
    public let sockets: [ZMQSocket]

    /// Creates a poller over `sockets`.
    public init(_ sockets: [ZMQSocket]) {
        self.sockets = sockets
    }

    /// Blocks until at least one socket is readable or `timeout` passes.
    /// - Parameter timeout: the longest wait; `nil` waits forever, `.zero` only checks.
    /// - Returns: the indices in ``sockets`` of the readable sockets, ascending; empty on timeout.
    /// - Throws: ``ZMQError/socketClosed`` if a socket was closed; ``ZMQError/contextTerminated``;
    ///   ``ZMQError/interrupted`` if a signal arrived (poll again).
    public func poll(timeout: Duration?) throws(ZMQError) -> [Int] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for socket in sockets {
            let handle = try socket.openHandle("zmq_poll")
            items.append(zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        let milliseconds = Int(ZMQSocketOption.milliseconds(timeout))
        let ready = zmq_poll(&items, Int32(items.count), milliseconds)
        guard ready >= 0 else { throw .last("zmq_poll") }
        guard ready > 0 else { return [] }
        return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
    }
}

// The sockets it holds must stay on one thread.
@available(*, unavailable)
extension ZMQPoller: Sendable {}
