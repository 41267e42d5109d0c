import KubeCore

/// The OpenAPI 3.0 document of one group version, as kube-apiserver serves it at `/openapi/v3/api/v1`
/// and `/openapi/v3/apis/GROUP/VERSION`: the paths and operations of every resource served in it, and
/// `components.schemas` with the kinds' schemas and the shared `meta.k8s.io` ones.
///
/// What kubectl 1.32 reads from it:
/// - `kubectl apply`/`create` (`--validate=strict`, the default) ask cli-runtime's
///   `queryParamVerifierV3` whether the kind's PATCH operation (found by its
///   `x-kubernetes-group-version-kind`) lists a `fieldValidation` parameter. If it does, kubectl leaves
///   validation to the server and sends `fieldValidation=Strict`; if not, it validates on the client
///   against `/openapi/v2`, which the sandbox does not serve, and the command fails.
/// - `kubectl explain` takes the kind from the GVK extension of an operation on the resource's path and
///   prints the component schema whose `x-kubernetes-group-version-kind` list contains it.
/// - `kubectl apply`'s patcher (`gvkSupportsPatchOpenAPIV3`) computes a strategic merge patch from
///   the document when the kind's PATCH operation accepts `application/strategic-merge-patch+json`, using
///   the merge keys and list types of the first component schema that carries the kind's GVK. When no
///   schema carries it, the patch is computed from the Go types compiled into kubectl; when the PATCH does
///   not accept strategic merge patch (custom resources), kubectl sends a JSON merge patch.
///
/// That last point decides what built-in kinds publish. An incomplete schema with their GVK would make
/// kubectl compute wrong patches (a schema without the `name` merge key of `containers` replaces the
/// whole list) or fail on fields the schema does not know, and the complete schemas of Pod, Deployment
/// and the rest are thousands of fields the sandbox has no source for. So built-in kinds publish their
/// paths and operations in full (with strategic merge patch among the PATCH content types, as the
/// server accepts it) but their schemas as a bare object without the GVK extension: kubectl then falls
/// back to its Go types, which carry exactly the merge keys the real types (and the sandbox's
/// ``PatchSchema``) have. The cost is that `kubectl explain` of a built-in kind reports the kind missing.
/// Custom resources have no strategic merge patch, so their CRD schemas are published as they are.
enum OpenAPIDocument {
    /// The document of `groupVersion`, or `nil` when it is not served.
    static func build(_ groupVersion: OpenAPISource.GroupVersion, from source: OpenAPISource) -> JSONValue? {
        let resources = source.resources(in: groupVersion)
        guard !resources.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        var schemas = MetaSchemas.all
        if resources.contains(where: \.hasScale) { schemas.merge(MetaSchemas.scaleSchemas) { _, scale in scale } }
        for resource in resources {
            let definition = source.definition(of: resource)
            let listKind = definition?.names[member: "listKind"]?.stringValue ?? resource.listKind
            let names = OpenAPISchemaNames(resource, listKind: listKind)
            paths.merge(OpenAPIPaths(resource: resource, names: names).items) { _, latest in latest }
            if resource.isCustom {
                let published = CustomResourceSchema(resource: resource, version: definition?.version, names: names, listKind: listKind)
                schemas[names.kind] = published.kind
                schemas[names.list] = published.list
            } else {
                schemas[names.kind] = builtinPlaceholder(resource.kind)
                schemas[names.list] = builtinPlaceholder(listKind)
            }
        }
        let custom = resources.allSatisfy(\.isCustom)
        return [
            "openapi": "3.0.0",
            // A CRD's document keeps the title and version of the apiextensions builder's config.
            "info": custom
                ? ["title": "Kubernetes CRD Swagger", "version": "v0.1.0"]
                : ["title": "Kubernetes", "version": Discovery.version[member: "gitVersion"] ?? "v1.32.0"],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": [
                    "BearerToken": ["type": "apiKey", "in": "header", "name": "authorization", "description": "Bearer token authentication"]
                ],
            ],
            "security": [["BearerToken": []]],
        ]
    }

    /// The schema a built-in kind publishes: an object whose fields are not described, and no GVK
    /// extension, so that references to it resolve and kubectl still computes patches from its Go types.
    private static func builtinPlaceholder(_ kind: String) -> JSONValue {
        [
            "type": "object", "x-kubernetes-preserve-unknown-fields": true,
            "description": .string("An object of kind \(kind). The sandbox does not publish the fields of built-in kinds; see the Kubernetes API reference."),
        ]
    }
}
