import KubeCore
import Testing

@testable import KubeSandbox

/// YAML bodies read as the apiserver's YAML-to-JSON conversion reads them, and the bodies that must be
/// refused with a 400 instead of exhausting the server: deep nesting and alias expansion.
@Suite struct YAMLBodyTests {
    @Test func scalarsResolveAsYAMLOneOneAndQuotedOnesStayStrings() throws {
        let value = try YAMLBody.parse(Array("a: 1\nb: true\nc: \"1\"\nd: ~\ne: 1.5\nf: [x, {g: h}]\n".utf8))
        #expect(value == ["a": 1, "b": true, "c": "1", "d": .null, "e": 1.5, "f": ["x", ["g": "h"]]])
    }

    @Test func deepFlowOrBlockNestingIsRefused() {
        let flow = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: APIError.self) { try YAMLBody.parse(Array(flow.utf8)) }
        let block = (0..<400).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(throws: APIError.self) { try YAMLBody.parse(Array(block.utf8)) }
        let dashes = String(repeating: "- ", count: 400) + "x"
        #expect(throws: APIError.self) { try YAMLBody.parse(Array(dashes.utf8)) }
        // Ordinary indentation is well within the limit.
        #expect((try? YAMLBody.parse(Array("spec:\n  template:\n    spec:\n      containers:\n      - name: app\n".utf8))) != nil)
    }

    @Test func aBodyWhoseAliasesExpandFarBeyondItsSizeIsRefused() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<12 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        let body = lines.joined(separator: "\n")
        do {
            _ = try YAMLBody.parse(Array(body.utf8))
            Issue.record("an expanding body was read")
        } catch {
            #expect(error.code == 400)
            #expect(error.message.contains("excessive aliasing"))
        }
    }
}
