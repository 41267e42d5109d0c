import KubeCore

/// The checks every object passes before it is stored: the shape of standard metadata, as
/// apimachinery's `ValidateObjectMeta` checks it, and the rules of kinds the sandbox validates further
/// (Events).
enum ResourceValidation {
    static let coreEvents = StorageKey(group: "", resource: "events")

    /// - Parameters:
    ///   - old: The object replaced, on an update.
    ///   - requestAPIVersion: The API the client wrote through, when it is not the resource's own
    ///     (`events.k8s.io/v1` for an Event stored as core `v1`).
    static func validate(
        _ object: JSONValue, old: JSONValue? = nil, resource: ResourceType, name: String, requestAPIVersion: String? = nil
    ) throws(APIError) {
        var causes: [APIError.Cause] = []
        let metadata = object[member: "metadata"] ?? .object([:])
        for field in ["labels", "annotations"] {
            guard let value = metadata[member: field], value != .null else { continue }
            guard let members = value.objectMembers else {
                causes.append(.init(type: "FieldValueTypeInvalid", message: "Invalid value: must be an object of strings", field: "metadata.\(field)"))
                continue
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) where member.stringValue == nil {
                causes.append(.init(type: "FieldValueTypeInvalid", message: "Invalid value: must be a string", field: "metadata.\(field)[\(key)]"))
            }
        }
        if let finalizers = metadata[member: "finalizers"], finalizers != .null {
            if let elements = finalizers.arrayElements {
                for (index, element) in elements.enumerated() where element.stringValue?.isEmpty ?? true {
                    causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: must be a non-empty string", field: "metadata.finalizers[\(index)]"))
                }
            } else {
                causes.append(.init(type: "FieldValueTypeInvalid", message: "Invalid value: must be a list of strings", field: "metadata.finalizers"))
            }
        }
        if resource.storageKey == coreEvents {
            causes += EventValidation.causes(object, old: old, requestAPIVersion: requestAPIVersion ?? resource.apiVersion)
        }
        if !causes.isEmpty { throw .invalid(kind: resource.kind, group: resource.group, name: name, causes: causes) }
    }
}
