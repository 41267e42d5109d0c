import Foundation
import KubeCore

/// Everything the API server holds, and the verbs over it as pure functions of the state: each verb
/// checks and applies one request and returns the changes it made, for the caller to publish to
/// watches. No locks, sockets or clocks of its own: the time and new uids come from ``environment``.
struct SandboxState: Sendable {
    /// Where the verbs get what is not a function of the state.
    struct Environment: Sendable {
        var now: @Sendable () -> Date = { Date() }
        var newUID: @Sendable () -> String = { UUID().uuidString.lowercased() }
        /// Five characters for `generateName`, from the alphabet Kubernetes uses.
        var randomSuffix: @Sendable () -> String = {
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
        }
    }

    var store: ObjectStore
    var registry = ResourceRegistry()
    /// The schemas of the custom resource versions served, by group, version and plural.
    var customSchemas: [SchemaKey: StructuralSchema?] = [:]
    /// The `additionalPrinterColumns` of the custom resource versions served.
    var printerColumns: [SchemaKey: [JSONValue]?] = [:]
    var environment = Environment()

    init(historyLimit: Int = 100_000) {
        store = ObjectStore(historyLimit: historyLimit)
    }

    /// A timestamp as Kubernetes writes them: RFC 3339, UTC, whole seconds.
    func timestamp() -> String {
        environment.now().formatted(Date.ISO8601FormatStyle())
    }

    /// Where an object of `resource` named `name` is stored, given the request's namespace.
    func objectName(_ resource: ResourceType, namespace: String?, name: String) -> ObjectName {
        ObjectName(namespace: resource.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// The resource that stores namespaces.
    static let namespaces = StorageKey(group: "", resource: "namespaces")

    /// Refuses new objects in a namespace that does not exist or is terminating, as the
    /// NamespaceLifecycle admission plugin does.
    func admitIntoNamespace(_ namespace: String, resource: ResourceType, name: String) throws(APIError) {
        guard let object = store.object(Self.namespaces, ObjectName(namespace: "", name: namespace)) else {
            throw .notFound(Self.namespaces, namespace)
        }
        if ObjectView(object).deletionTimestamp != nil {
            throw .forbidden(
                "\(resource.plural) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                resource: resource.storageKey, name: name)
        }
    }
}
