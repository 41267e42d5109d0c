import Foundation
import KubeCore

/// `/openapi/v3` and the group version documents under it, with the headers kube-openapi's `handler3`
/// sends: the content hash as a quoted `ETag`; `Vary: Accept` on documents; and, when the request names
/// the current hash (`?hash=…`, as the index's URLs do), `Cache-Control: public, immutable` and an
/// `Expires` a year ahead. A request naming an older hash is redirected (301) to the current URL.
///
/// Any authenticated user may read them: `system:discovery` grants `/openapi` and `/openapi/*`.
extension SandboxAPI {
    /// `GET /openapi/v3`.
    func openAPIIndex() throws(APIError) -> APIResponse {
        let source = try sandbox.read { OpenAPISource($0) }
        let index = OpenAPIIndex(source).json
        return .json(status: 200, body: index, headers: ["ETag": "\"\(CanonicalJSON.hash(index))\""])
    }

    /// `GET /openapi/v3/api/v1` or `/openapi/v3/apis/GROUP/VERSION`.
    ///
    /// - Throws: 406 when `Accept` admits no JSON; 404 (the server's page-not-found `Status`) when the
    ///   group version is not served. kube-openapi itself answers an unknown group version with an empty
    ///   200, which no client relies on; the sandbox answers as for any path that names nothing.
    func openAPIDocument(group: String, version: String, request: APIRequest) throws(APIError) -> APIResponse {
        guard OpenAPIContentNegotiation.acceptsJSON(request.headers["accept"]) else {
            throw APIError(
                code: 406, reason: "NotAcceptable",
                message: "the sandbox writes OpenAPI documents as application/json only (got \(request.headers["accept"] ?? ""))")
        }
        let groupVersion = OpenAPISource.GroupVersion(group: group, version: version)
        let source = try sandbox.read { OpenAPISource($0) }
        guard let document = OpenAPIDocument.build(groupVersion, from: source) else { throw Self.pageNotFound(request.path) }
        let hash = CanonicalJSON.hash(document)
        var headers = ["ETag": "\"\(hash)\"", "Vary": "Accept"]
        if let requested = request.query["hash"], !requested.isEmpty {
            guard requested == hash else {
                let location = OpenAPIIndex.url(groupVersion, hash: hash)
                headers["Location"] = location
                return .json(
                    status: 301,
                    body: [
                        "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "reason": "MovedPermanently",
                        "message": .string("the document has changed; it is now at \(location)"), "code": 301,
                    ],
                    headers: headers)
            }
            headers["Cache-Control"] = "public, immutable"
            headers["Expires"] = Self.httpDate(Self.aYearFromNow())
        }
        return .json(status: 200, body: document, headers: headers)
    }

    /// The same date and time next year, as the real server sets `Expires` (Go's `AddDate(1, 0, 0)`).
    private static func aYearFromNow() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT") ?? calendar.timeZone
        let now = Date()
        return calendar.date(byAdding: .year, value: 1, to: now) ?? now.addingTimeInterval(365 * 86_400)
    }

    /// A date in the IMF-fixdate form of HTTP headers: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
