import Foundation
import KubeCore

/// The query of a list or watch: selectors, paging, and where to start.
struct ListOptions: Sendable {
    var labelSelector = LabelSelector.everything
    var fieldSelector = FieldSelector.everything
    var limit: Int?
    var continueToken: String?

    /// Reads `labelSelector`, `fieldSelector`, `limit` and `continue`.
    static func parse(_ query: [String: String], resource: ResourceType) throws(APIError) -> ListOptions {
        var options = ListOptions()
        do {
            if let text = query["labelSelector"] { options.labelSelector = try LabelSelector.parse(text) }
            if let text = query["fieldSelector"] { options.fieldSelector = try FieldSelector.parse(text) }
        } catch {
            throw .badRequest(error.description)
        }
        let supported = SupportedFields.names(for: resource)
        if let unsupported = options.fieldSelector.fieldNames.sorted().first(where: { !supported.contains($0) }) {
            throw .badRequest("field label not supported: \(unsupported)")
        }
        if let text = query["limit"] {
            guard let limit = Int(text), limit >= 0 else { throw .badRequest("invalid limit: \(text)") }
            options.limit = limit == 0 ? nil : limit
        }
        if let token = query["continue"], !token.isEmpty { options.continueToken = token }
        return options
    }

    /// Whether an object passes both selectors.
    func matches(_ object: JSONValue, resource: ResourceType) -> Bool {
        guard labelSelector.matches(ObjectView(object).labels) else { return false }
        if fieldSelector.fieldNames.isEmpty { return true }
        let fields = FieldSelector.fields(of: object, extra: SupportedFields.extra(for: resource))
        return fieldSelector.matches(fields.merging(SupportedFields.derived(for: resource, object)) { $1 })
    }
}

/// The fields each kind can be selected by, beyond `metadata.name` and `metadata.namespace`.
enum SupportedFields {
    static func extra(for resource: ResourceType) -> [String] {
        switch resource.storageKey {
        case StorageKey(group: "", resource: "pods"):
            ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"]
        case StorageKey(group: "", resource: "events"):
            [
                "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "type",
            ]
        case StorageKey(group: "", resource: "secrets"): ["type"]
        case StorageKey(group: "", resource: "namespaces"): ["status.phase"]
        default: []
        }
    }

    /// The selectable fields whose values are not simply at their path: an Event's `source` is its
    /// source component, or its reporting controller when it has none; `reportingComponent` is the
    /// reporting controller.
    static func derived(for resource: ResourceType, _ object: JSONValue) -> [String: String] {
        guard resource.storageKey == StorageKey(group: "", resource: "events") else { return [:] }
        let reporting = object[member: "reportingComponent"]?.stringValue ?? ""
        let component = object.value(atPath: "source.component")?.stringValue ?? ""
        return ["source": component.isEmpty ? reporting : component, "reportingComponent": reporting]
    }

    static func names(for resource: ResourceType) -> Set<String> {
        let derived = resource.storageKey == StorageKey(group: "", resource: "events") ? ["source", "reportingComponent"] : []
        return Set(["metadata.name", "metadata.namespace"] + extra(for: resource) + derived)
    }
}

/// Where a paged list goes on: the resourceVersion of its first page and the last object returned.
/// Encoded as unpadded URL-safe base64, as a real server encodes its tokens.
struct ContinueToken: Codable, Sendable {
    var rv: UInt64
    var namespace: String
    var name: String

    var start: ObjectName { ObjectName(namespace: namespace, name: name) }

    func encoded() -> String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) throws(APIError) -> ContinueToken {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let token = try? JSONDecoder().decode(ContinueToken.self, from: data) else {
            throw .badRequest("continue key is not valid: the token could not be decoded")
        }
        return token
    }
}

extension SandboxState {
    /// `GET` of one object.
    func get(_ resource: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard let object = store.object(resource.storageKey, objectName(resource, namespace: namespace, name: name)) else {
            throw .notFound(resource.storageKey, name)
        }
        return object
    }

    /// `GET` of a collection: the `…List` object, one page of it when `limit` is set.
    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) throws(APIError) -> JSONValue {
        let resourceVersion: UInt64
        var candidates: [(name: ObjectName, object: JSONValue)]
        var startAfter: ObjectName?
        if let text = options.continueToken {
            let token = try ContinueToken.decode(text)
            do {
                candidates = try store.objects(resource.storageKey, namespace: namespace, at: token.rv)
            } catch {
                throw .expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
                )
            }
            resourceVersion = token.rv
            startAfter = token.start
        } else {
            candidates = store.objects(resource.storageKey, namespace: namespace)
            resourceVersion = store.resourceVersion
        }
        // The same order as the store sorts by, so that no object is skipped or repeated across pages.
        if let startAfter { candidates = candidates.filter { $0.name > startAfter } }
        var items: [JSONValue] = []
        var continueFrom: ObjectName?
        var remaining = 0
        for (index, candidate) in candidates.enumerated() where options.matches(candidate.object, resource: resource) {
            if let limit = options.limit, items.count == limit {
                continueFrom = candidates[index - 1].name
                remaining = candidates[index...].count { options.matches($0.object, resource: resource) }
                break
            }
            items.append(candidate.object)
        }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(resourceVersion))]
        if let continueFrom {
            metadata["continue"] = .string(ContinueToken(rv: resourceVersion, namespace: continueFrom.namespace, name: continueFrom.name).encoded())
            // Known only without selectors, as a real server reports it.
            if options.labelSelector.isEverything, options.fieldSelector.isEverything {
                metadata["remainingItemCount"] = .integer(Int64(remaining))
            }
        }
        return .object([
            "kind": .string(resource.listKind), "apiVersion": .string(resource.apiVersion), "metadata": .object(metadata),
            "items": .array(resource.isCustom ? items : items.map(Self.withoutTypeMeta)),
        ])
    }

    /// A built-in kind's list items carry no `apiVersion` or `kind` in a real server's JSON (the list
    /// says them once); custom resources' items keep theirs.
    static func withoutTypeMeta(_ object: JSONValue) -> JSONValue {
        var object = object
        object[member: "apiVersion"] = nil
        object[member: "kind"] = nil
        return object
    }
}
