import Foundation

/// The `Accept` header of a document request, read as kube-openapi's `handler3` reads it (with
/// goautoneg's media ranges and `q` weights; no header is `*/*`).
///
/// The real server can answer JSON or the gnostic protobuf form
/// (`application/com.github.proto-openapi.spec.v3@v1.0+protobuf` and the `.v1.0+protobuf` spelling) and
/// gives the client's preferred one. The sandbox writes JSON only, so it answers JSON whenever the header
/// accepts it at all, even below protobuf, and 406 Not Acceptable when it does not, as the real server
/// does for a header naming none of its forms.
enum OpenAPIContentNegotiation {
    /// Whether `accept` admits `application/json` with a weight above zero.
    static func acceptsJSON(_ accept: String?) -> Bool {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        for clause in accept.split(separator: ",") {
            let parts = clause.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first else { continue }
            let typeAndSubtype = range.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let type = typeAndSubtype.first ?? ""
            let subtype: String
            switch typeAndSubtype.count {
            case 2: subtype = typeAndSubtype[1]
            case 1 where type == "*": subtype = "*"
            default: continue
            }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0] == "q", let value = Double(pair[1]) { weight = value }
            }
            if weight > 0, type == "application" || type == "*", subtype == "json" || subtype == "*" { return true }
        }
        return false
    }
}
