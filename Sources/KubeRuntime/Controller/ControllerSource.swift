import KubeClient
import KubeCore

/// One kind a controller watches and how its changes map to the keys of the objects to reconcile.
struct ControllerSource: Sendable {
    /// A label for logs and metrics (`configmaps`).
    var name: String
    /// Runs the source's informer, calling `enqueue` with the keys its changes map to, until cancelled.
    var run: @Sendable (_ enqueue: @escaping @Sendable ([ObjectKey]) -> Void) async -> Void
    /// Whether the source's cache holds its first complete list.
    var hasSynced: @Sendable () -> Bool
    /// Returns once it does (or when the task is cancelled).
    var waitUntilSynced: @Sendable () async -> Void

    /// A source over an informer whose changes map to keys through `mapping` (applied to the old and the
    /// new state of an update, so a reference that moved reaches both owners).
    static func mapped<Object: KubeResource>(
        _ informer: Informer<Object>, name: String, mapping: @escaping @Sendable (Object) -> [ObjectKey]
    ) -> ControllerSource {
        ControllerSource(
            name: name,
            run: { enqueue in
                let changes = informer.changes()
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await informer.run() }
                    for await batch in changes {
                        var keys: [ObjectKey] = []
                        for change in batch {
                            switch change {
                            case .added(let object), .removed(let object): keys += mapping(object)
                            case .updated(let old, let new): keys += mapping(old) + mapping(new)
                            }
                        }
                        if !keys.isEmpty { enqueue(keys) }
                    }
                    group.cancelAll()
                }
            },
            hasSynced: { informer.hasSynced },
            waitUntilSynced: { await informer.waitUntilSynced() })
    }
}
