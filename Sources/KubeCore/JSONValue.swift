import Foundation

/// An arbitrary JSON value, kept as it was received.
///
/// Used where KubeCore deliberately does not model a structure: `managedFields`, CRD OpenAPI schemas,
/// and objects of kinds that have no Swift type. Integers and fractional numbers are separate cases so
/// that 64-bit integers (generations, sizes) survive a round trip without passing through `Double`.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A JSON number without a fractional part that fits in `Int64`.
    case integer(Int64)
    /// Any other JSON number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Returns the member named `key` when this is an object, otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// Returns the element at `index` when this is an array and the index is in bounds, otherwise `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload, if this is an integer.
    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The Boolean payload, if this is a Boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Converts any `Encodable` value to its JSON tree.
    ///
    /// - Parameter value: The value to convert.
    /// - Returns: The value as it would appear in JSON.
    /// - Throws: ``KubeCoreError`` with code `encodingFailed` when the value cannot be encoded.
    public init(encoding value: some Encodable) throws(KubeCoreError) {
        do {
            let data = try JSONEncoder.kubernetes().encode(value)
            self = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .encodingFailed(String(describing: type(of: value)), error)
        }
    }

    /// Decodes this JSON tree as a typed value.
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded value.
    /// - Throws: The `DecodingError` raised by `JSONDecoder`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        let data = try JSONEncoder.kubernetes().encode(self)
        return try JSONDecoder().decode(T.self, from: data)
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "value is not valid JSON")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
