import KubeCore

/// One thing worth telling a user about an object: `kubectl describe` lists it under Events.
public struct EventRecord: Sendable, Hashable {
    /// `Normal` for progress, `Warning` for what needs attention.
    public enum Kind: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    /// The object the event is about.
    public var regarding: ObjectReference
    public var kind: Kind
    /// A short UpperCamelCase cause (`Provisioned`, `QuotaExceeded`).
    public var reason: String
    /// What the controller did or failed to do (`Reconcile`, `CreateDeployment`).
    public var action: String
    /// A human-readable sentence, at most 1 kB.
    public var note: String

    public init(regarding: ObjectReference, kind: Kind = .normal, reason: String, action: String, note: String) {
        self.regarding = regarding
        self.kind = kind
        self.reason = reason
        self.action = action
        // At most 1 kB, as the API validates, cut at a character boundary.
        var kept = ""
        for character in note {
            guard kept.utf8.count + character.utf8.count <= 1_024 else { break }
            kept.append(character)
        }
        self.note = kept
    }

    /// An event about `object`.
    public init(about object: some KubeResource, kind: Kind = .normal, reason: String, action: String, note: String) {
        let reference = ObjectReference(
            apiVersion: type(of: object).apiVersion, kind: type(of: object).kind, namespace: object.metadata.namespace,
            name: object.metadata.name, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion)
        self.init(regarding: reference, kind: kind, reason: reason, action: action, note: note)
    }
}
