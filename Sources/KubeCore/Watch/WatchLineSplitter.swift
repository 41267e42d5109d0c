import Foundation

/// Splits a watch response body, arriving in arbitrary chunks, into complete JSON lines.
///
/// The API server writes one JSON document per line. Chunks from the network can end anywhere —
/// mid-line, mid-UTF-8 character, between `\r` and `\n` — so bytes are buffered until a newline.
///
/// - Guarantees: lines come out in order, without their `\n` or `\r\n`; empty lines are skipped;
///   the result does not depend on where chunk boundaries fall.
/// - Caveats: a line longer than ``maximumLineLength`` throws as soon as that is known, so a
///   corrupt or hostile stream cannot make the buffer grow without bound. After a throw the
///   splitter is empty; the stream should be abandoned, since the next bytes are mid-line.
public struct WatchLineSplitter: Sendable {
    /// The longest line accepted, in bytes (excluding the line terminator).
    public let maximumLineLength: Int

    private var buffer: [UInt8] = []
    /// Bytes at the start of `buffer` already known to contain no newline, so each byte is scanned once.
    private var scannedCount = 0

    /// - Parameter maximumLineLength: The longest line accepted, in bytes. The default, 16 MiB, is
    ///   well above the API server's 1.5 MiB object size limit, leaving room for managed fields.
    public init(maximumLineLength: Int = 16 * 1024 * 1024) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// Adds bytes and returns the lines they complete.
    ///
    /// - Parameter chunk: The next bytes of the stream.
    /// - Returns: Complete non-empty lines, possibly none.
    /// - Throws: ``KubeCoreError`` with code `lineTooLong` if a line exceeds ``maximumLineLength``.
    public mutating func append(_ chunk: some Sequence<UInt8>) throws(KubeCoreError) -> [Data] {
        buffer.append(contentsOf: chunk)
        var lines: [Data] = []
        var lineStart = 0
        var index = scannedCount
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                var lineEnd = index
                if lineEnd > lineStart, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                try checkLength(lineEnd - lineStart)
                if lineEnd > lineStart { lines.append(Data(buffer[lineStart..<lineEnd])) }
                lineStart = index + 1
            }
            index += 1
        }
        buffer.removeFirst(lineStart)
        scannedCount = buffer.count
        // A trailing "\r" may still turn out to be half of a "\r\n", so it does not count yet.
        let pendingLength = buffer.last == UInt8(ascii: "\r") ? buffer.count - 1 : buffer.count
        try checkLength(pendingLength)
        return lines
    }

    /// Ends the stream and returns a final line that had no terminating newline, if any.
    ///
    /// - Returns: The remaining bytes without a trailing `\r`, or `nil` when nothing is pending.
    public mutating func finish() -> Data? {
        defer {
            buffer = []
            scannedCount = 0
        }
        var remaining = buffer[...]
        if remaining.last == UInt8(ascii: "\r") { remaining = remaining.dropLast() }
        return remaining.isEmpty ? nil : Data(remaining)
    }

    private mutating func checkLength(_ length: Int) throws(KubeCoreError) {
        if length > maximumLineLength {
            buffer = []
            scannedCount = 0
            throw .lineTooLong(limit: maximumLineLength)
        }
    }
}
