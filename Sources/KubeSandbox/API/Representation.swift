import Foundation
import KubeCore

/// The form a client asked for in `Accept`: the object itself, its metadata only
/// (`as=PartialObjectMetadata`), or a `meta.k8s.io` `Table` for printing (`as=Table`), as the API
/// server's content negotiation reads the media type's parameters.
enum Representation: Sendable, Equatable {
    case object
    case metadata
    case table

    /// The first form of the `Accept` list the sandbox serves; `object` when none asks for another.
    static func parse(_ accept: String?) -> Representation {
        guard let accept else { return .object }
        for entry in accept.split(separator: ",") {
            let parameters = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parameters.first, type == "application/json" || type == "*/*" || type == "application/*" else { continue }
            var values: [String: String] = [:]
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { values[pair[0]] = pair[1] }
            }
            switch values["as"] {
            case nil: return .object
            case "Table"? where values["g"] == "meta.k8s.io" && (values["v"] == "v1" || values["v"] == "v1beta1"): return .table
            case "PartialObjectMetadata"? where values["g"] == "meta.k8s.io" && (values["v"] == "v1" || values["v"] == "v1beta1"):
                return .metadata
            case "PartialObjectMetadataList"? where values["g"] == "meta.k8s.io": return .metadata
            default: continue
            }
        }
        return .object
    }

    /// An object's metadata as a `PartialObjectMetadata`.
    static func partialMetadata(_ object: JSONValue) -> JSONValue {
        .object(["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object[member: "metadata"] ?? .object([:])])
    }

    /// A list as a `PartialObjectMetadataList`.
    static func partialMetadataList(_ list: JSONValue) -> JSONValue {
        .object([
            "kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": list[member: "metadata"] ?? .object([:]),
            "items": .array((list[member: "items"]?.arrayElements ?? []).map(partialMetadata)),
        ])
    }
}
