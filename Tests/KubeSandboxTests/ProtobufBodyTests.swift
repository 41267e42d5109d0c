import Foundation
import KubeCore
import Testing

@testable import KubeSandbox

/// The protobuf bodies kubectl sends (`create token`, `auth can-i`, `create configmap`), read from the
/// Kubernetes envelope, and the errors truncated or unknown bodies get.
@Suite struct ProtobufBodyTests {
    /// Protobuf wire encoding of the few shapes these tests need.
    private enum Wire {
        static func varint(_ value: UInt64) -> [UInt8] {
            var value = value
            var out: [UInt8] = []
            repeat {
                var byte = UInt8(value & 0x7F)
                value >>= 7
                if value != 0 { byte |= 0x80 }
                out.append(byte)
            } while value != 0
            return out
        }
        static func bytes(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] { varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload }
        static func string(_ field: UInt64, _ text: String) -> [UInt8] { bytes(field, Array(text.utf8)) }
        static func number(_ field: UInt64, _ value: UInt64) -> [UInt8] { varint(field << 3) + varint(value) }
        static func envelope(apiVersion: String, kind: String, raw: [UInt8]) -> [UInt8] {
            [0x6B, 0x38, 0x73, 0x00] + bytes(1, string(1, apiVersion) + string(2, kind)) + bytes(2, raw)
                + string(4, "application/vnd.kubernetes.protobuf")
        }
    }

    @Test func aTokenRequestIsReadWithItsSpec() throws {
        let spec = Wire.string(1, "https://kubernetes.default.svc") + Wire.number(4, 3_600)
        // Field 9 of ObjectMeta (a timestamp) is not in the table and is skipped.
        let metadata = Wire.string(1, "default") + Wire.bytes(8, Wire.number(1, 1_700_000_000))
        let body = Wire.envelope(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", raw: Wire.bytes(1, metadata) + Wire.bytes(2, spec))
        let object = try ProtobufBody.parse(body)
        #expect(object[member: "kind"] == "TokenRequest")
        #expect(object[member: "apiVersion"] == "authentication.k8s.io/v1")
        #expect(object.value(atPath: "metadata.name") == "default")
        #expect(object.value(atPath: "spec.expirationSeconds") == 3_600)
        #expect(object.value(atPath: "spec.audiences") == ["https://kubernetes.default.svc"])
    }

    @Test func aConfigMapKeepsItsDataAndLabelsAndBinaryDataAsBase64() throws {
        let label = Wire.bytes(11, Wire.string(1, "app") + Wire.string(2, "web"))
        let data = Wire.bytes(2, Wire.string(1, "greeting") + Wire.string(2, "hello"))
        let binary = Wire.bytes(3, Wire.string(1, "blob") + Wire.bytes(2, [0, 1, 2]))
        let raw = Wire.bytes(1, Wire.string(1, "settings") + label) + data + binary
        let object = try ProtobufBody.parse(Wire.envelope(apiVersion: "v1", kind: "ConfigMap", raw: raw))
        #expect(object.value(atPath: "metadata.labels.app") == "web")
        #expect(object.value(atPath: "data.greeting") == "hello")
        #expect(object.value(atPath: "binaryData.blob") == .string(Data([0, 1, 2]).base64EncodedString()))
    }

    @Test func truncatedForeignAndUnknownBodiesAreRefusedByName() {
        let full = Wire.envelope(apiVersion: "v1", kind: "ConfigMap", raw: Wire.bytes(1, Wire.string(1, "x")))
        #expect(throws: APIError.self) { try ProtobufBody.parse(Array(full.dropLast(1))) }
        #expect(throws: APIError.self) { try ProtobufBody.parse(Array("{}".utf8)) }
        do {
            _ = try ProtobufBody.parse(Wire.envelope(apiVersion: "apps/v1", kind: "Deployment", raw: []))
            Issue.record("a Deployment protobuf body was read")
        } catch {
            #expect(error.code == 400)
            #expect(error.message.contains("not Deployment"))
        }
    }
}
