import KubeCore

extension Sandbox {
    /// The object a write answers with: the verb's own, or, when the controllers changed that object in
    /// the same write, the controllers' last version of it (see ``write(_:)``).
    static func asLeftByControllers<Result>(_ result: Result, made: [StoreChange], changes: [StoreChange]) -> Result {
        guard let object = result as? JSONValue, let uid = ObjectView(object).uid, changes.count > made.count else { return result }
        // The same object, not another view of it (a Scale carries its Deployment's uid).
        let kind = ObjectView(object).kind
        guard let later = changes[made.count...].last(where: { ObjectView($0.object).uid == uid && ObjectView($0.object).kind == kind }),
            later.type != .deleted,
            let refreshed = later.object as? Result
        else { return result }
        return refreshed
    }
}
