import KubeCore

extension SandboxState {
    /// How a write records field ownership in `metadata.managedFields`.
    enum FieldTracking: Sendable {
        /// Not at all: the sandbox's own controllers, and writes that keep what the body says.
        case none
        /// As an `Update` operation of this manager, through a subresource (`scale`) when given.
        case update(manager: String, subresource: String? = nil)
        /// As an apply already worked out these managers.
        case applied(ManagedFields)
    }

    /// The field manager for writes to `target` of `resource`.
    func fieldManager(for resource: ResourceType, target: UpdateTarget) -> FieldManager {
        let custom = resource.isCustom ? customSchemas[SchemaKey(resource)] ?? nil : nil
        return FieldManager(
            schema: ApplySchema.of(resource, customSchema: custom),
            scope: target == .status ? .status : .object(statusIsSeparate: resource.hasStatus), now: timestamp())
    }

    /// `next` with the managed fields the write leaves: an update's manager takes what it added and
    /// changed since `old` (`nil` on create); `[{}]` in the request removes them all; other `managedFields`
    /// the request sets replace the stored ones before the write is counted, as kube-apiserver lets a
    /// client reset them.
    ///
    /// - Parameter requested: `metadata.managedFields` as the request sent them.
    func recordingFields(
        _ tracking: FieldTracking, in next: ObjectView, old: ObjectView?, requested: JSONValue?, resource: ResourceType,
        target: UpdateTarget, name: String
    ) throws(APIError) -> ObjectView {
        var result = next
        var metadata = result.metadata
        switch tracking {
        case .none:
            return next
        case .applied(let managers):
            metadata[member: "managedFields"] = managers.json
        case .update(let manager, let subresource):
            // Writes through a subresource never set managed fields; the object's own may.
            let throughSubresource = target == .status || subresource != nil
            if !throughSubresource, ManagedFields.isReset(requested) {
                metadata[member: "managedFields"] = nil
                break
            }
            let stored = old?.metadata[member: "managedFields"]
            let live = (try? ManagedFields.parse(stored, kind: resource.kind, group: resource.group, name: name)) ?? ManagedFields()
            var managers = live
            if !throughSubresource, let requested, requested.arrayElements?.isEmpty == false, requested != stored {
                // As kube-apiserver: managed fields a client sends that cannot be read are ignored (the live
                // ones stand), so a client that does not know them cannot lose them.
                managers = (try? ManagedFields.parse(requested, kind: resource.kind, group: resource.group, name: name)) ?? live
            }
            let owner = ManagedFieldsEntry(
                manager: manager, operation: .update, apiVersion: resource.apiVersion, time: nil,
                subresource: target == .status ? "status" : subresource, fields: FieldSet())
            metadata[member: "managedFields"] = fieldManager(for: resource, target: target)
                .update(managers, old: old?.json, new: next.json, owner: owner).json
        }
        result.metadata = metadata
        return result
    }
}
