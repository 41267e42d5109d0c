import CZeroMQ

/// Multipart messages as arrays of frames.
///
/// ROUTER sockets put the peer's routing id first: a received message is `[routingID] + frames`, and a
/// message to send is `[routingID] + frames`. libzmq delivers a multipart message whole or not at all.
extension ZMQSocket {
    // MARK: Sending

    /// Sends a message, blocking while the peer's queue is full, at most for the socket's
    /// ``ZMQSocketOption/sendTimeout(_:)``.
    /// - Parameter frames: one or more frames.
    /// - Throws: ``ZMQError/wouldBlock`` when the send timeout expires; ``ZMQError/hostUnreachable`` from
    ///   a ROUTER with ``ZMQSocketOption/routerMandatory(_:)`` and an unknown routing id;
    ///   ``ZMQError/contextTerminated``; ``ZMQError/interrupted``.
    public func send(_ frames: [[UInt8]]) throws(ZMQError) {
        _ = try send(frames, flags: 0)
    }

    /// Sends a message if it can be queued now.
    /// - Returns: `false`, without sending anything, when the message cannot be queued without blocking
    ///   (the high-water mark is reached, or ``ZMQSocketOption/immediate(_:)`` and no peer is connected).
    /// - Throws: as ``send(_:)``, except ``ZMQError/wouldBlock``.
    public func trySend(_ frames: [[UInt8]]) throws(ZMQError) -> Bool {
        try send(frames, flags: ZMQ_DONTWAIT)
    }

    /// Sends a message, blocking at most `timeout` while it cannot be queued.
    /// - Returns: `false`, without sending anything, if the message could not be queued in time.
    /// - Throws: as ``trySend(_:)``.
    public func send(_ frames: [[UInt8]], timeout: Duration) throws(ZMQError) -> Bool {
        // libzmq's own send timeout retries as queues drain, for every socket type (polling for
        // POLLOUT would not: a ROUTER is writable while any one of its peers is).
        let saved = try int32Option(ZMQ_SNDTIMEO, "zmq_getsockopt(ZMQ_SNDTIMEO)")
        try setOption(.sendTimeout(timeout))
        defer { try? setOption(.sendTimeout(saved < 0 ? nil : .milliseconds(saved))) }
        do {
            try send(frames)
            return true
        } catch .wouldBlock {
            return false
        }
    }

    private func send(_ frames: [[UInt8]], flags: Int32) throws(ZMQError) -> Bool {
        guard !frames.isEmpty else {
            throw .invalidArgument("a message needs at least one frame", operation: "zmq_send")
        }
        let handle = try openHandle("zmq_send")
        for (index, frame) in frames.enumerated() {
            let more = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags | more) }
            guard sent < 0 else { continue }
            let error = ZMQError.last("zmq_send")
            // Only the first frame can meet a full queue: libzmq accepts the rest of a started message.
            if error == .wouldBlock, index == 0, flags & ZMQ_DONTWAIT != 0 { return false }
            throw error
        }
        return true
    }

    // MARK: Receiving

    /// Receives a message, blocking at most for the socket's ``ZMQSocketOption/receiveTimeout(_:)``.
    /// - Returns: the message's frames (for a ROUTER, the sender's routing id first).
    /// - Throws: ``ZMQError/wouldBlock`` when the receive timeout expires; ``ZMQError/contextTerminated``;
    ///   ``ZMQError/interrupted``.
    public func receive() throws(ZMQError) -> [[UInt8]] {
        // Without DONTWAIT libzmq never reports "nothing yet" except as EAGAIN, which throws below.
        guard let frames = try receive(flags: 0) else { throw .wouldBlock }
        return frames
    }

    /// Receives a message if one is waiting.
    /// - Returns: the message's frames, or `nil` if none is waiting.
    /// - Throws: as ``receive()``, except ``ZMQError/wouldBlock``.
    public func tryReceive() throws(ZMQError) -> [[UInt8]]? {
        try receive(flags: ZMQ_DONTWAIT)
    }

    /// Receives a message, waiting at most `timeout` for one.
    /// - Returns: the message's frames, or `nil` if none arrived in time.
    /// - Throws: as ``tryReceive()``.
    public func receive(timeout: Duration) throws(ZMQError) -> [[UInt8]]? {
        guard try ZMQPoller([self]).poll(timeout: timeout) == [0] else { return nil }
        return try tryReceive()
    }

    private func receive(flags: Int32) throws(ZMQError) -> [[UInt8]]? {
        let handle = try openHandle("zmq_msg_recv")
        // Heap-allocated for zmq_msg_t's pointer alignment; one message object reused for every frame.
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        var frames: [[UInt8]] = []
        while true {
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            guard zmq_msg_recv(message, handle, flags) >= 0 else {
                let error = ZMQError.last("zmq_msg_recv")
                // The rest of a message arrives with its first frame, so only the first can be missing.
                if error == .wouldBlock, frames.isEmpty, flags & ZMQ_DONTWAIT != 0 { return nil }
                throw error
            }
            frames.append(Array(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message))))
            guard try int32Option(ZMQ_RCVMORE, "zmq_getsockopt(ZMQ_RCVMORE)") != 0 else { return frames }
        }
    }
}
