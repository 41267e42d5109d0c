import KubeCore

/// `/openapi/v3`: where each served group version's document is, as kube-openapi's `handler3` lists
/// them, `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`. The hash in each
/// URL is the document's content hash, so a client that keeps hashed URLs cached forever (kubectl's disk
/// cache does) fetches a document again exactly when it changed, such as after a CRD update.
///
/// The real index also lists documents that are not group versions (`version`, `apis`, `apis/apps`,
/// `.well-known/openid-configuration`); clients look up group versions only, and the sandbox serves no
/// others.
struct OpenAPIIndex: Sendable {
    /// The index document.
    let json: JSONValue

    /// The index of every group version `source` serves.
    init(_ source: OpenAPISource) {
        var paths: [String: JSONValue] = [:]
        for groupVersion in source.groupVersions {
            guard let document = OpenAPIDocument.build(groupVersion, from: source) else { continue }
            paths[groupVersion.key] = ["serverRelativeURL": .string(Self.url(groupVersion, hash: CanonicalJSON.hash(document)))]
        }
        json = ["paths": .object(paths)]
    }

    /// The URL of a group version's document with its hash: `/openapi/v3/apis/apps/v1?hash=…`.
    static func url(_ groupVersion: OpenAPISource.GroupVersion, hash: String) -> String {
        "/openapi/v3/\(groupVersion.key)?hash=\(hash)"
    }
}
