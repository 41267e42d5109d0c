import Foundation
import KubeCore

/// The `pod-template-hash` the deployment controller gives each ReplicaSet it makes: a 32-bit FNV-1a
/// hash of the pod template, with the Deployment's `status.collisionCount` mixed in after it (four
/// bytes, little-endian), written in decimal and mapped onto the alphabet Kubernetes uses for names
/// that must not spell words.
///
/// The real controller hashes its Go structs as printed by a deep printer, which no other program can
/// reproduce; this hashes the template's canonical JSON (keys sorted) instead. The properties clients
/// depend on hold: the same template gives the same hash, a changed template (almost always) a new one,
/// a collision count changes it, and the text is 1 to 10 characters of that alphabet.
enum PodTemplateHash {
    /// The label (and selector key) that keeps a Deployment's ReplicaSets apart.
    static let label = "pod-template-hash"

    /// The characters `rand.SafeEncodeString` uses: no vowels, and no digits or letters that read alike.
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// The hash of a template, given the Deployment's collision count.
    static func compute(_ template: JSONValue, collisionCount: Int64?) -> String {
        var hash = fnv32a(canonicalBytes(normalized(template)))
        if let collisionCount {
            let value = UInt32(truncatingIfNeeded: collisionCount)
            hash = fnv32a([UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)], continuing: hash)
        }
        return safeEncode(String(hash))
    }

    /// FNV-1a, 32 bits, over `bytes`, continuing from `basis` (the offset basis for a new hash).
    static func fnv32a(_ bytes: [UInt8], continuing basis: UInt32 = 2_166_136_261) -> UInt32 {
        var hash = basis
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// Each character replaced by the alphabet's character at its code modulo the alphabet's size.
    static func safeEncode(_ text: String) -> String {
        String(decoding: text.utf8.map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    /// The template as JSON with sorted keys: the same content always gives the same bytes.
    static func canonicalBytes(_ value: JSONValue) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? []
    }

    /// Whether two templates are the same but for their `pod-template-hash` label, as the controller
    /// decides which ReplicaSet already runs a Deployment's template.
    static func equalIgnoringHash(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        withoutHash(a) == withoutHash(b)
    }

    /// The template without members that are `null`, `{}` or `[]`: clients write an unset field either
    /// way (kubectl sends `creationTimestamp: null` and `resources: {}`), and the real controller, which
    /// compares decoded Go structs, sees no difference between them.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                let member = normalized(member)
                switch member {
                case .null: continue
                case .object(let inner) where inner.isEmpty: continue
                case .array(let inner) where inner.isEmpty: continue
                default: kept[key] = member
                }
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.map(normalized))
        default:
            return value
        }
    }

    private static func withoutHash(_ template: JSONValue?) -> JSONValue {
        var template = normalized(template ?? .object([:]))
        var metadata = template[member: "metadata"] ?? .object([:])
        var labels = metadata[member: "labels"] ?? .object([:])
        labels[member: label] = nil
        metadata[member: "labels"] = labels.objectMembers?.isEmpty == false ? labels : nil
        template[member: "metadata"] = metadata.objectMembers?.isEmpty == false ? metadata : nil
        return template
    }
}
