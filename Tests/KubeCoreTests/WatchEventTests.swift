import Foundation
import KubeCore
import Testing

@Suite struct WatchEventTests {
    private func event(_ line: String) throws(KubeCoreError) -> WatchEvent<Pod> {
        try WatchEvent<Pod>.decode(Data(line.utf8))
    }

    private let podJSON = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"node-0","namespace":"ns","resourceVersion":"11"},"status":{"phase":"Running"}}"#

    @Test func objectEvents() throws {
        let added = try event(#"{"type":"ADDED","object":\#(podJSON)}"#)
        guard case .added(let pod) = added else {
            Issue.record("expected ADDED, got \(added)")
            return
        }
        #expect(pod.metadata.name == "node-0")
        #expect(pod.status?.phase == "Running")
        #expect(added.object == pod)
        #expect(!added.requiresRelist)

        #expect(try event(#"{"type":"MODIFIED","object":\#(podJSON)}"#) == .modified(pod))
        #expect(try event(#"{"type":"DELETED","object":\#(podJSON)}"#) == .deleted(pod))
    }

    @Test func bookmark() throws {
        let bookmark = try event(
            #"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12746","creationTimestamp":null}}}"#)
        guard case .bookmark(let mark) = bookmark else {
            Issue.record("expected BOOKMARK, got \(bookmark)")
            return
        }
        #expect(mark.metadata.resourceVersion == "12746")
        #expect(!mark.isInitialEventsEnd)
        #expect(bookmark.object == nil)

        let end = try event(
            #"{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12750","annotations":{"k8s.io/initial-events-end":"true"}}}}"#)
        guard case .bookmark(let endMark) = end else {
            Issue.record("expected BOOKMARK")
            return
        }
        #expect(endMark.isInitialEventsEnd)
    }

    @Test func expiredErrorRequiresRelist() throws {
        let expired = try event(
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (184502)","reason":"Expired","code":410}}"#)
        guard case .error(let status) = expired else {
            Issue.record("expected ERROR, got \(expired)")
            return
        }
        #expect(status.code == 410)
        #expect(status.isGone)
        #expect(expired.requiresRelist)

        let gone = try event(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Gone","code":410}}"#)
        #expect(gone.requiresRelist)

        let internalError = try event(
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcdserver: request timed out","reason":"InternalError","code":500}}"#)
        #expect(!internalError.requiresRelist)
    }

    @Test func malformedEventsNameTheProblem() {
        let cases: [(String, String)] = [
            (#"{"type":"RESYNC","object":{}}"#, "unknown watch event type \"RESYNC\""),
            (#"{"object":{}}"#, "missing key \"type\""),
            (#"{"type":"ADDED"}"#, "missing key \"object\""),
            (#"{"type":"ADDED","object":{"metadata":{"name":7}}}"#, "object.metadata.name"),
            ("not json", "not json"),
        ]
        for (line, fragment) in cases {
            do {
                _ = try event(line)
                Issue.record("\(line) should not decode")
            } catch {
                #expect(error.code == .invalidWatchEvent)
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test func decodesUntypedObjectsAsJSONValue() throws {
        let line = Data(#"{"type":"ADDED","object":{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","spec":{"nodes":4}}}"#.utf8)
        let untyped = try WatchEvent<JSONValue>.decode(line)
        #expect(untyped.object?["spec"]?["nodes"] == 4)
    }
}

@Suite struct WatchLineSplitterTests {
    static let payload = Array(
        ("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n"
            + "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"b\",\"note\":\"ünïcødé ✓\"}}}\r\n"
            + "\n"
            + "\r\n"
            + "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n"
            + "{\"type\":\"ERROR\",\"object\":{\"code\":410}}\r\n").utf8)

    static let expectedLines = [
        #"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"#,
        #"{"type":"MODIFIED","object":{"metadata":{"name":"b","note":"ünïcødé ✓"}}}"#,
        #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#,
        #"{"type":"ERROR","object":{"code":410}}"#,
    ]

    private func split(_ chunks: [ArraySlice<UInt8>]) throws -> [String] {
        var splitter = WatchLineSplitter()
        var lines: [Data] = []
        for chunk in chunks { lines += try splitter.append(chunk) }
        #expect(splitter.finish() == nil)
        return lines.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func wholePayload() throws {
        #expect(try split([Self.payload[...]]) == Self.expectedLines)
    }

    @Test func everySingleSplitPoint() throws {
        for offset in 0...Self.payload.count {
            let lines = try split([Self.payload[..<offset], Self.payload[offset...]])
            #expect(lines == Self.expectedLines, "split at byte \(offset)")
        }
    }

    @Test func everyPairOfSplitPoints() throws {
        let count = Self.payload.count
        for first in stride(from: 0, through: count, by: 3) {
            for second in first...count {
                let chunks = [Self.payload[..<first], Self.payload[first..<second], Self.payload[second...]]
                #expect(try split(chunks) == Self.expectedLines, "split at \(first), \(second)")
            }
        }
    }

    @Test func oneByteAtATime() throws {
        let chunks = Self.payload.indices.map { Self.payload[$0...$0] }
        #expect(try split(chunks) == Self.expectedLines)
    }

    @Test func eventsDecodeFromSplitLines() throws {
        var splitter = WatchLineSplitter()
        let lines = try splitter.append(Self.payload)
        let last = try WatchEvent<JSONValue>.decode(lines[3])
        #expect(last.requiresRelist)
    }

    @Test func finishReturnsAnUnterminatedLastLine() throws {
        var splitter = WatchLineSplitter()
        #expect(try splitter.append(Array("{\"a\":1}\n{\"b\":".utf8)).count == 1)
        #expect(try splitter.append(Array("2}\r".utf8)).isEmpty)
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "{\"b\":2}")
        #expect(splitter.finish() == nil)
    }

    @Test func lineLengthLimit() throws {
        var splitter = WatchLineSplitter(maximumLineLength: 10)
        // Exactly at the limit, even with the "\r" of a "\r\n" pending across chunks.
        #expect(try splitter.append(Array("0123456789\r".utf8)).isEmpty)
        #expect(try splitter.append(Array("\n".utf8)).count == 1)

        // A complete line over the limit.
        do {
            _ = try splitter.append(Array("0123456789A\n".utf8))
            Issue.record("should reject an 11-byte line")
        } catch {
            #expect(error.code == .lineTooLong)
            #expect(error.message.contains("10 bytes"))
        }

        // A partial line is rejected as soon as it is too long, before its newline arrives.
        var streaming = WatchLineSplitter(maximumLineLength: 10)
        #expect(try streaming.append(Array("01234".utf8)).isEmpty)
        #expect(throws: KubeCoreError.self) { try streaming.append(Array("567890".utf8)) }
        #expect(streaming.finish() == nil)
    }
}
