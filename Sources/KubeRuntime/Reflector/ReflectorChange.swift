import KubeCore

/// One difference an event made to a ``ReflectorStore``, for the controller to map to reconcile requests
/// (an owned object's change to its owner, a labelled object's to the objects selecting it).
public enum ReflectorChange<Object: KubeResource>: Sendable {
    /// A key the store did not hold.
    case added(Object)
    /// A held key whose object changed; both states, so that a mapping can follow an owner or label that
    /// was removed as well as one that was added.
    case updated(old: Object, new: Object)
    /// A key that is gone: the state just before deletion from a delete event, or the last state the store
    /// held when a relist no longer contains it.
    case removed(Object)

    /// The key that changed.
    public var key: ObjectKey { ObjectKey(object) }

    /// The object as it is now, or its last state if it was removed.
    public var object: Object {
        switch self {
        case .added(let object), .updated(_, let object), .removed(let object): object
        }
    }
}

extension ReflectorChange: Equatable where Object: Equatable {}
