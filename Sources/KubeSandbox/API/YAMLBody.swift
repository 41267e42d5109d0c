import KubeCore
import Yams

/// A YAML request body (`application/apply-patch+yaml`) as a JSON tree, resolved as kube-apiserver's
/// YAML-to-JSON conversion resolves it: untagged scalars become null, Booleans, integers, floats or
/// strings by the YAML 1.1 rules, and map keys are strings.
///
/// JSON is YAML, so a JSON body reads the same.
enum YAMLBody {
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
        guard let node else { throw .badRequest("error decoding YAML: the body is empty") }
        return try json(node, depth: 0)
    }

    /// Nesting deeper than this is refused, as the JSON reader refuses it.
    private static let maxDepth = 10_000

    private static func json(_ node: Node, depth: Int) throws(APIError) -> JSONValue {
        guard depth < maxDepth else { throw .badRequest("error decoding YAML: nesting is too deep") }
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else {
                    throw .badRequest("error decoding YAML: a map key must be a scalar")
                }
                members[scalar.string] = try json(value, depth: depth + 1)
            }
            return .object(members)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for element in sequence { elements.append(try json(element, depth: depth + 1)) }
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
