import Foundation
import KubeCore

/// Encodes with KubeCore's encoder (sorted keys, unescaped slashes) so expected JSON can be
/// written as literal strings.
func jsonString(_ value: some Encodable) throws -> String {
    String(decoding: try JSONEncoder.kubernetes().encode(value), as: UTF8.self)
}

func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(json.utf8))
}

/// Parses JSON text into a tree, so documents can be compared regardless of key order.
func jsonTree(_ json: String) throws -> JSONValue {
    try decode(JSONValue.self, from: json)
}

func jsonTree(_ data: Data) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: data)
}
