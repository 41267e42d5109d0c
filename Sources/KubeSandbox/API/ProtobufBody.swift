import Foundation
import KubeCore

/// A Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`) read into the JSON tree
/// the verbs take, for the kinds kubectl sends that way: its `create token`, `auth can-i` and `create`
/// commands write TokenRequest, SelfSubjectAccessReview, Namespace, ConfigMap and Secret as protobuf.
///
/// The body is the envelope kube-apiserver reads: the magic `k8s\0`, then a `runtime.Unknown` whose
/// `typeMeta` names the kind and whose `raw` bytes are the object. The wire format is read here by hand:
/// swift-protobuf decodes types generated from `.proto` files, and generating the Kubernetes API's
/// protos for five messages would add a code generator and thousands of lines; what is read is a table
/// of those messages' field numbers (from the API's `generated.proto`). Fields not in the table are
/// skipped, as protobuf readers skip unknown fields.
enum ProtobufBody {
    static let contentType = "application/vnd.kubernetes.protobuf"
    private static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// The object in a protobuf body, with `apiVersion` and `kind` from its envelope.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw .badRequest("the protobuf body does not start with the Kubernetes envelope (k8s\\0)")
        }
        do throws(WireError) {
            let envelope = try decode(bytes.dropFirst(magic.count), as: unknown)
            let apiVersion = envelope.value(atPath: "typeMeta.apiVersion")?.stringValue ?? ""
            let kind = envelope.value(atPath: "typeMeta.kind")?.stringValue ?? ""
            guard let message = messages[kind] else {
                throw WireError("this sandbox reads protobuf bodies of \(messages.keys.sorted().joined(separator: ", ")) only, not \(kind.isEmpty ? "an unnamed kind" : kind); send JSON")
            }
            let raw = Data(base64Encoded: envelope[member: "raw"]?.stringValue ?? "").map { [UInt8]($0) } ?? []
            var object = try decode(raw[...], as: message).objectMembers ?? [:]
            object["apiVersion"] = .string(apiVersion)
            object["kind"] = .string(kind)
            return .object(object)
        } catch {
            throw .badRequest("error decoding protobuf body: \(error.message)")
        }
    }

    // MARK: - Message tables

    /// How one field is read.
    indirect enum FieldType: Sendable {
        case string, int64, bool
        /// Bytes, written as base64 as JSON carries them.
        case bytes
        case message(Message)
        case repeatedString
        case repeatedMessage(Message)
        /// `map<string, string>`, or `map<string, bytes>` when `bytesValues`.
        case map(bytesValues: Bool)
    }

    /// A message: its fields by number, with their JSON names.
    struct Message: Sendable {
        var fields: [UInt64: (name: String, type: FieldType)]
    }

    private static let unknown = Message(fields: [
        1: ("typeMeta", .message(Message(fields: [1: ("apiVersion", .string), 2: ("kind", .string)]))),
        2: ("raw", .bytes), 3: ("contentEncoding", .string), 4: ("contentType", .string),
    ])

    private static let objectMeta = Message(fields: [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 6: ("resourceVersion", .string),
        11: ("labels", .map(bytesValues: false)), 12: ("annotations", .map(bytesValues: false)), 14: ("finalizers", .repeatedString),
    ])

    private static let resourceAttributes = Message(fields: [
        1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string), 5: ("resource", .string),
        6: ("subresource", .string), 7: ("name", .string),
    ])

    private static let messages: [String: Message] = [
        "TokenRequest": Message(fields: [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message(Message(fields: [1: ("audiences", .repeatedString), 4: ("expirationSeconds", .int64)]))),
        ]),
        "SelfSubjectAccessReview": Message(fields: [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message(Message(fields: [
                1: ("resourceAttributes", .message(resourceAttributes)),
                2: ("nonResourceAttributes", .message(Message(fields: [1: ("path", .string), 2: ("verb", .string)]))),
            ]))),
        ]),
        "Namespace": Message(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("spec", .message(Message(fields: [1: ("finalizers", .repeatedString)]))),
        ]),
        "ConfigMap": Message(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(bytesValues: false)), 3: ("binaryData", .map(bytesValues: true)),
            4: ("immutable", .bool),
        ]),
        "Secret": Message(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(bytesValues: true)), 3: ("type", .string),
            4: ("stringData", .map(bytesValues: false)), 5: ("immutable", .bool),
        ]),
    ]

    // MARK: - Wire format

    struct WireError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private static func decode(_ bytes: ArraySlice<UInt8>, as message: Message) throws(WireError) -> JSONValue {
        var reader = WireReader(bytes: bytes)
        var members: [String: JSONValue] = [:]
        while !reader.isAtEnd {
            let tag = try reader.varint()
            let number = tag >> 3
            let wireType = tag & 7
            guard let (name, type) = message.fields[number] else {
                try reader.skip(wireType: wireType)
                continue
            }
            switch type {
            case .int64:
                guard wireType == 0 else { throw WireError("field \(name) has wire type \(wireType), not a varint") }
                members[name] = .integer(Int64(bitPattern: try reader.varint()))
            case .bool:
                guard wireType == 0 else { throw WireError("field \(name) has wire type \(wireType), not a varint") }
                members[name] = .bool(try reader.varint() != 0)
            default:
                guard wireType == 2 else { throw WireError("field \(name) has wire type \(wireType), not length-delimited") }
                let payload = try reader.lengthDelimited()
                try add(payload, as: type, name: name, to: &members)
            }
        }
        return .object(members)
    }

    private static func add(_ payload: ArraySlice<UInt8>, as type: FieldType, name: String, to members: inout [String: JSONValue]) throws(WireError) {
        switch type {
        case .string: members[name] = .string(try text(payload, field: name))
        case .bytes: members[name] = .string(Data(payload).base64EncodedString())
        case .message(let message): members[name] = try decode(payload, as: message)
        case .repeatedString:
            members[name] = .array((members[name]?.arrayElements ?? []) + [.string(try text(payload, field: name))])
        case .repeatedMessage(let message):
            members[name] = .array((members[name]?.arrayElements ?? []) + [try decode(payload, as: message)])
        case .map(let bytesValues):
            // A map entry is a message with the key as field 1 and the value as field 2.
            let entry = try decode(payload, as: Message(fields: [1: ("key", .string), 2: ("value", bytesValues ? .bytes : .string)]))
            var map = members[name]?.objectMembers ?? [:]
            map[entry[member: "key"]?.stringValue ?? ""] = entry[member: "value"] ?? .string("")
            members[name] = .object(map)
        case .int64, .bool: break
        }
    }

    private static func text(_ payload: ArraySlice<UInt8>, field: String) throws(WireError) -> String {
        guard let text = String(validating: payload, as: UTF8.self) else { throw WireError("field \(field) is not UTF-8") }
        return text
    }

    /// Reads varints and length-delimited fields, refusing truncated input.
    private struct WireReader {
        var bytes: ArraySlice<UInt8>

        var isAtEnd: Bool { bytes.isEmpty }

        mutating func varint() throws(WireError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = bytes.popFirst() {
                guard shift < 64 else { throw WireError("a varint is longer than 10 bytes") }
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw WireError("the body ends inside a varint")
        }

        mutating func lengthDelimited() throws(WireError) -> ArraySlice<UInt8> {
            let length = try varint()
            guard length <= UInt64(bytes.count) else { throw WireError("a field of \(length) bytes runs past the end of the body") }
            let payload = bytes.prefix(Int(length))
            bytes = bytes.dropFirst(Int(length))
            return payload
        }

        mutating func skip(wireType: UInt64) throws(WireError) {
            switch wireType {
            case 0: _ = try varint()
            case 1: try drop(8)
            case 2: _ = try lengthDelimited()
            case 5: try drop(4)
            default: throw WireError("unsupported wire type \(wireType)")
            }
        }

        private mutating func drop(_ count: Int) throws(WireError) {
            guard bytes.count >= count else { throw WireError("the body ends inside a fixed-size field") }
            bytes = bytes.dropFirst(count)
        }
    }
}
