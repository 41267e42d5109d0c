import KubeCore

/// Typed access to the fields of a Kubernetes object held as JSON that the sandbox reads and sets.
///
/// The object stays JSON so that every field a client sent is kept exactly, whatever the kind; this view
/// only names the standard ones.
struct ObjectView {
    var json: JSONValue

    init(_ json: JSONValue) {
        self.json = json
    }

    var apiVersion: String? {
        get { json[member: "apiVersion"]?.stringValue }
        set { json[member: "apiVersion"] = newValue.map(JSONValue.string) }
    }

    var kind: String? {
        get { json[member: "kind"]?.stringValue }
        set { json[member: "kind"] = newValue.map(JSONValue.string) }
    }

    var metadata: JSONValue {
        get { json[member: "metadata"] ?? .object([:]) }
        set { json[member: "metadata"] = newValue }
    }

    var name: String? {
        get { metadataString("name") }
        set { setMetadata("name", newValue.map(JSONValue.string)) }
    }

    var generateName: String? { metadataString("generateName") }

    var namespace: String? {
        get { metadataString("namespace") }
        set { setMetadata("namespace", newValue.map(JSONValue.string)) }
    }

    var uid: String? {
        get { metadataString("uid") }
        set { setMetadata("uid", newValue.map(JSONValue.string)) }
    }

    var resourceVersion: String? {
        get { metadataString("resourceVersion") }
        set { setMetadata("resourceVersion", newValue.map(JSONValue.string)) }
    }

    var generation: Int64? {
        get { metadata[member: "generation"]?.integerValue }
        set { setMetadata("generation", newValue.map(JSONValue.integer)) }
    }

    var creationTimestamp: String? {
        get { metadataString("creationTimestamp") }
        set { setMetadata("creationTimestamp", newValue.map(JSONValue.string)) }
    }

    var deletionTimestamp: String? {
        get { metadataString("deletionTimestamp") }
        set { setMetadata("deletionTimestamp", newValue.map(JSONValue.string)) }
    }

    var labels: [String: String] { metadata[member: "labels"]?.stringMap ?? [:] }

    var finalizers: [String] {
        get { metadata[member: "finalizers"]?.arrayElements?.compactMap(\.stringValue) ?? [] }
        set { setMetadata("finalizers", newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string))) }
    }

    var ownerReferences: [JSONValue] { metadata[member: "ownerReferences"]?.arrayElements ?? [] }

    var status: JSONValue? {
        get { json[member: "status"] }
        set { json[member: "status"] = newValue }
    }

    private func metadataString(_ key: String) -> String? { metadata[member: key]?.stringValue }

    private mutating func setMetadata(_ key: String, _ value: JSONValue?) {
        var metadata = self.metadata
        metadata[member: key] = value
        self.metadata = metadata
    }
}
