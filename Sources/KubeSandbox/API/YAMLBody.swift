import KubeCore
import Yams

/// A YAML request body (`application/apply-patch+yaml`) as a JSON tree, resolved as kube-apiserver's
/// YAML-to-JSON conversion resolves it: untagged scalars become null, Booleans, integers, floats or
/// strings by the YAML 1.1 rules, and map keys are strings.
///
/// JSON is YAML, so a JSON body reads the same.
enum YAMLBody {
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        // The YAML reader recurses once per level: refuse deep nesting before it can overflow the stack.
        if nestingDepth(bytes) > maxDepth { throw .badRequest("error decoding YAML: nesting deeper than \(maxDepth)") }
        let text = String(decoding: bytes, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
        guard let node else { throw .badRequest("error decoding YAML: the body is empty") }
        // Aliases share nodes, so a small body can stand for a huge tree ("billion laughs"); like the
        // apiserver's YAML reader, refuse one that expands far beyond its own size.
        var budget = 10 * bytes.count + 10_000
        return try json(node, depth: 0, budget: &budget)
    }

    /// Nesting deeper than this is refused, as the JSON reader refuses it.
    private static let maxDepth = JSONBody.maxDepth

    /// An upper bound of the body's nesting: open flow brackets outside quotes, plus the block levels of
    /// the line (each deeper indentation than the lines it sits in opens one, and so does each `- ` that
    /// starts it).
    static func nestingDepth(_ bytes: [UInt8]) -> Int {
        var deepest = 0
        var flow = 0
        var quote: UInt8?
        var indents: [Int] = []
        var index = 0
        while index < bytes.count {
            // The start of a line: its indentation, then its sequence markers.
            if quote == nil, flow == 0 {
                var indent = 0
                while index + indent < bytes.count, bytes[index + indent] == UInt8(ascii: " ") { indent += 1 }
                var dashes = 0
                var cursor = index + indent
                while cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: " ") {
                    dashes += 1
                    cursor += 2
                    while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
                }
                let blank = cursor >= bytes.count || bytes[cursor] == UInt8(ascii: "\n") || bytes[cursor] == UInt8(ascii: "#")
                if !blank {
                    while let last = indents.last, last >= indent { indents.removeLast() }
                    indents.append(indent)
                    deepest = max(deepest, indents.count + dashes)
                }
                index = cursor
            }
            // The rest of the line.
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == UInt8(ascii: "\\"), open == UInt8(ascii: "\""), index < bytes.count {
                        index += 1
                    } else if byte == open {
                        quote = nil
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\n"): break
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flow += 1
                    deepest = max(deepest, flow + indents.count)
                    continue
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flow = max(0, flow - 1)
                    continue
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    quote = byte
                    continue
                default: continue
                }
                break
            }
        }
        return deepest
    }

    private static func json(_ node: Node, depth: Int, budget: inout Int) throws(APIError) -> JSONValue {
        guard depth < maxDepth else { throw .badRequest("error decoding YAML: nesting deeper than \(maxDepth)") }
        budget -= 1
        guard budget >= 0 else { throw .badRequest("error decoding YAML: excessive aliasing") }
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else {
                    throw .badRequest("error decoding YAML: a map key must be a scalar")
                }
                members[scalar.string] = try json(value, depth: depth + 1, budget: &budget)
            }
            return .object(members)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element, depth: depth + 1, budget: &budget)) }
            return .array(elements)
        case .scalar(let scalar):
            let tag = node.tag
            if tag == Tag(.null) { return .null }
            if tag == Tag(.bool) { return node.bool.map(JSONValue.bool) ?? .string(scalar.string) }
            if tag == Tag(.int), let value = node.int { return .integer(Int64(value)) }
            if tag == Tag(.int) || tag == Tag(.float) {
                guard let value = node.float, value.isFinite else {
                    throw .badRequest("error decoding YAML: \(scalar.string) is not a finite number")
                }
                return .double(value)
            }
            return .string(scalar.string)
        }
    }
}
