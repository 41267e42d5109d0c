import KubeCore

extension SandboxState {
    /// The garbage collector's work after a write, done at once (a real cluster's collector does it
    /// within seconds):
    /// - an object whose owners are all gone is deleted (background propagation); a reference to an
    ///   owner that is gone is removed from a dependent that still has other owners;
    /// - an owner being deleted in the foreground has its dependents deleted, and loses its
    ///   `foregroundDeletion` finalizer once no dependent with `blockOwnerDeletion` is left;
    /// - an owner being deleted with orphan propagation has its references removed from its dependents,
    ///   then loses its `orphan` finalizer.
    ///
    /// - Returns: The changes it made, which may start more collection (followed until none is left).
    mutating func collectGarbage(after changes: [StoreChange]) -> [StoreChange] {
        var made: [StoreChange] = []
        var pending = changes
        // Each round handles the changes of the round before; a chain of owners ends, so this does too.
        var rounds = 0
        while !pending.isEmpty, rounds < 1_000 {
            rounds += 1
            var next: [StoreChange] = []
            for change in pending {
                let object = ObjectView(change.object)
                if let uid = object.uid {
                    if change.type == .deleted {
                        next += releaseDependents(ofRemoved: uid)
                    } else if object.deletionTimestamp != nil {
                        if object.finalizers.contains(Self.orphanFinalizer) {
                            next += orphanDependents(of: uid, owner: change)
                        } else if object.finalizers.contains(Self.foregroundFinalizer) {
                            next += deleteDependentsInForeground(of: uid, owner: change)
                        }
                    }
                }
                // A dependent that went, or changed its references, may let an owner waiting in the
                // foreground go.
                let references = ObjectView(change.previous ?? change.object).ownerReferences + object.ownerReferences
                for ownerUID in Set(references.compactMap { $0[member: "uid"]?.stringValue }).sorted() {
                    next += finishForegroundDeletion(ofUID: ownerUID)
                }
            }
            made += next
            pending = next
        }
        return made
    }

    /// Deletes dependents left without any owner, and removes the reference from those with others.
    private mutating func releaseDependents(ofRemoved uid: String) -> [StoreChange] {
        var changes: [StoreChange] = []
        for (key, name, object) in store.dependents(ofUID: uid) {
            guard let resource = registry.resource(key) else { continue }
            let view = ObjectView(object)
            let liveOwners = view.ownerReferences.filter {
                guard let owner = $0[member: "uid"]?.stringValue else { return false }
                return owner != uid && store.location(ofUID: owner) != nil
            }
            if liveOwners.isEmpty {
                if view.deletionTimestamp == nil, let made = try? delete(resource, namespace: name.namespace, name: name.name).changes {
                    changes += made
                }
            } else {
                changes += removeReference(to: uid, from: object, key: key, name: name)
            }
        }
        return changes
    }

    private mutating func deleteDependentsInForeground(of uid: String, owner: StoreChange) -> [StoreChange] {
        var changes: [StoreChange] = []
        for (key, name, object) in store.dependents(ofUID: uid) where ObjectView(object).deletionTimestamp == nil {
            guard let resource = registry.resource(key) else { continue }
            // A dependent with another owner that is not itself going keeps living; it only loses this
            // reference, as the collector treats its "solid" owners.
            let solidOwners = ObjectView(object).ownerReferences.filter { reference in
                guard let owner = reference[member: "uid"]?.stringValue, owner != uid, let place = store.location(ofUID: owner),
                    let stored = store.object(place.key, place.name)
                else { return false }
                return ObjectView(stored).deletionTimestamp == nil
            }
            if !solidOwners.isEmpty {
                changes += removeReference(to: uid, from: object, key: key, name: name)
                continue
            }
            // In the foreground too when it has dependents of its own, as the collector does; otherwise in
            // the background.
            let blocking = !store.dependents(ofUID: ObjectView(object).uid ?? "").isEmpty
            let options = DeleteOptions(propagation: blocking ? .foreground : nil)
            if let made = try? delete(resource, namespace: name.namespace, name: name.name, options: options).changes { changes += made }
        }
        return changes + finishForegroundDeletion(ofUID: uid)
    }

    /// Removes the `foregroundDeletion` finalizer once no dependent blocks the owner.
    private mutating func finishForegroundDeletion(ofUID uid: String) -> [StoreChange] {
        guard let (key, name) = store.location(ofUID: uid), let stored = store.object(key, name) else { return [] }
        var owner = ObjectView(stored)
        guard owner.deletionTimestamp != nil, owner.finalizers.contains(Self.foregroundFinalizer) else { return [] }
        let blocked = store.dependents(ofUID: uid).contains { dependent in
            ObjectView(dependent.object).ownerReferences.contains {
                $0[member: "uid"]?.stringValue == uid && $0[member: "blockOwnerDeletion"]?.boolValue == true
            }
        }
        guard !blocked else { return [] }
        owner.finalizers.removeAll { $0 == Self.foregroundFinalizer }
        return removeFinalizerChanges(owner, key: key, name: name)
    }

    private mutating func orphanDependents(of uid: String, owner: StoreChange) -> [StoreChange] {
        var changes: [StoreChange] = []
        for (key, name, object) in store.dependents(ofUID: uid) {
            changes += removeReference(to: uid, from: object, key: key, name: name)
        }
        // The owner as it is now, not as the change saw it: a later change of this round may have moved it on.
        guard let current = store.object(owner.key, owner.name) else { return changes }
        var view = ObjectView(current)
        guard view.finalizers.contains(Self.orphanFinalizer) else { return changes }
        view.finalizers.removeAll { $0 == Self.orphanFinalizer }
        return changes + removeFinalizerChanges(view, key: owner.key, name: owner.name)
    }

    /// Stores an owner without one of its finalizers, and removes it when none is left.
    mutating func removeFinalizerChanges(_ object: ObjectView, key: StorageKey, name: ObjectName) -> [StoreChange] {
        let update = store.put(key, name, object.json)
        guard object.finalizers.isEmpty, let removal = store.remove(key, name) else { return [update] }
        return [update, removal] + finishNamespaceIfEmpty(name.namespace).changes
    }

    private mutating func removeReference(to uid: String, from object: JSONValue, key: StorageKey, name: ObjectName) -> [StoreChange] {
        var view = ObjectView(object)
        let kept = view.ownerReferences.filter { $0[member: "uid"]?.stringValue != uid }
        var metadata = view.metadata
        metadata[member: "ownerReferences"] = kept.isEmpty ? nil : .array(kept)
        view.metadata = metadata
        return [store.put(key, name, view.json)]
    }
}
