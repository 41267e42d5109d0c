import KubeCore
import Testing

@testable import KubeRuntime

/// The informer cache: events applied as a pure function, relists swapped in whole, the changes each
/// event made, and label and owner indexes that follow every change.
@Suite struct ReflectorStoreTests {
    typealias Store = ReflectorStore<ConfigMap>

    static func configMap(
        _ name: String, version: String, namespace: String = "demo", labels: [String: String]? = nil, owners: [String] = []
    ) -> ConfigMap {
        let references = owners.map { OwnerReference(apiVersion: "v1", kind: "Genesis", name: "owner-\($0)", uid: $0) }
        return ConfigMap(
            metadata: ObjectMeta(
                name: name, namespace: namespace, resourceVersion: version, labels: labels,
                ownerReferences: references.isEmpty ? nil : references))
    }

    static func key(_ name: String, namespace: String = "demo") -> ObjectKey { ObjectKey(namespace: namespace, name: name) }

    @Test func theStoreSyncsWithTheFirstCompleteListAndStaysSynced() {
        var store = Store()
        #expect(!store.hasSynced)
        store.apply(.applied(Self.configMap("a", version: "1")))
        #expect(!store.hasSynced)
        store.apply(.restarted([]))
        #expect(store.hasSynced)
        #expect(store.snapshot.isEmpty)
        store.apply(.applied(Self.configMap("b", version: "2")))
        store.apply(.restarted([Self.configMap("c", version: "3")]))
        #expect(store.hasSynced)
    }

    @Test func appliedAddsThenUpdatesAndReportsOnlyRealChanges() {
        var store = Store()
        let v1 = Self.configMap("a", version: "1"), v2 = Self.configMap("a", version: "2")
        #expect(store.apply(.applied(v1)) == [.added(v1)])
        #expect(store.apply(.applied(v1)) == [])
        #expect(store.apply(.applied(v2)) == [.updated(old: v1, new: v2)])
        #expect(store.get(Self.key("a")) == v2)
        #expect(store.snapshot.count == 1)
        // Without a resourceVersion nothing proves the object unchanged.
        var unversioned = v2
        unversioned.metadata.resourceVersion = nil
        #expect(store.apply(.applied(unversioned)) == [.updated(old: v2, new: unversioned)])
    }

    @Test func deletedRemovesTheKeyAndReportsTheFinalState() {
        var store = Store()
        store.apply(.applied(Self.configMap("a", version: "1")))
        let final = Self.configMap("a", version: "5")
        #expect(store.apply(.deleted(final)) == [.removed(final)])
        #expect(store.get(Self.key("a")) == nil)
        #expect(store.apply(.deleted(final)) == [])
        #expect(store.list().isEmpty)
    }

    @Test func aRelistReplacesTheWholeContentAndReportsTheDifferencesByKey() {
        var store = Store()
        let a = Self.configMap("a", version: "1"), b1 = Self.configMap("b", version: "1"), c = Self.configMap("c", version: "1")
        store.apply(.restarted([c, a, b1]))
        let b2 = Self.configMap("b", version: "2"), d = Self.configMap("d", version: "3")
        let changes = store.apply(.restarted([d, b2, a]))
        #expect(changes == [.updated(old: b1, new: b2), .removed(c), .added(d)])
        #expect(changes.map(\.key) == [Self.key("b"), Self.key("c"), Self.key("d")])
        #expect(store.list() == [a, b2, d])
    }

    @Test func aDeleteMissedWhileDisconnectedDisappearsWithTheRelist() {
        var store = Store()
        let kept = Self.configMap("kept", version: "1", labels: ["app": "node"], owners: ["u1"])
        let missed = Self.configMap("missed", version: "2", labels: ["app": "node"], owners: ["u1"])
        store.apply(.restarted([kept, missed]))
        #expect(store.apply(.restarted([kept])) == [.removed(missed)])
        #expect(store.get(Self.key("missed")) == nil)
        #expect(store.objects(labeled: "app", "node") == [kept])
        #expect(store.objects(ownedBy: "u1") == [kept])
    }

    @Test func theLabelIndexFollowsEveryChange() {
        var store = Store()
        let x = Self.configMap("a", version: "1", labels: ["app": "x", "tier": "db"])
        store.apply(.applied(x))
        store.apply(.applied(Self.configMap("b", version: "1", labels: ["app": "x"])))
        #expect(store.snapshot.keys(labeled: "app", "x") == [Self.key("a"), Self.key("b")])
        #expect(store.objects(labeled: "tier", "db") == [x])
        let y = Self.configMap("a", version: "2", labels: ["app": "y"])
        store.apply(.applied(y))
        #expect(store.snapshot.keys(labeled: "app", "x") == [Self.key("b")])
        #expect(store.objects(labeled: "app", "y") == [y])
        #expect(store.objects(labeled: "tier", "db").isEmpty)
        store.apply(.deleted(Self.configMap("b", version: "3")))
        #expect(store.objects(labeled: "app", "x").isEmpty)
        let z = Self.configMap("c", version: "4", labels: ["app": "x"])
        store.apply(.restarted([z]))
        #expect(store.objects(labeled: "app", "x") == [z])
        #expect(store.objects(labeled: "app", "y").isEmpty)
    }

    @Test func theOwnerIndexFollowsEveryChange() {
        var store = Store()
        let shared = Self.configMap("shared", version: "1", owners: ["u1", "u2"])
        let only = Self.configMap("only", version: "1", owners: ["u1"])
        store.apply(.restarted([shared, only]))
        #expect(store.snapshot.keys(ownedBy: "u1") == [Self.key("only"), Self.key("shared")])
        #expect(store.objects(ownedBy: "u2") == [shared])
        let moved = Self.configMap("only", version: "2", owners: ["u3"])
        store.apply(.applied(moved))
        #expect(store.objects(ownedBy: "u1") == [shared])
        #expect(store.objects(ownedBy: "u3") == [moved])
        store.apply(.deleted(shared))
        #expect(store.objects(ownedBy: "u1").isEmpty)
        #expect(store.objects(ownedBy: "u2").isEmpty)
        // A reference without a UID cannot be looked up, and is not indexed.
        var anonymous = Self.configMap("anonymous", version: "3")
        anonymous.metadata.ownerReferences = [OwnerReference(kind: "Genesis", name: "x")]
        store.apply(.applied(anonymous))
        #expect(store.snapshot.keys(ownedBy: "").isEmpty)
    }

    @Test func aSnapshotIsAValueThatLaterEventsDoNotChange() {
        var store = Store()
        let a = Self.configMap("a", version: "1", labels: ["app": "x"])
        store.apply(.restarted([a]))
        let before = store.snapshot
        store.apply(.applied(Self.configMap("b", version: "2", labels: ["app": "x"])))
        store.apply(.deleted(a))
        #expect(before.list() == [a])
        #expect(before.objects(labeled: "app", "x") == [a])
        #expect(store.snapshot.keys == [Self.key("b")])
    }

    @Test func objectsOfTheSameNameInOtherNamespacesAreDistinctAndListsAreSortedByKey() {
        var store = Store()
        let inB = Self.configMap("genesis", version: "1", namespace: "b")
        let inA = Self.configMap("genesis", version: "2", namespace: "a")
        let other = Self.configMap("config", version: "3", namespace: "b")
        store.apply(.applied(inB))
        store.apply(.applied(inA))
        store.apply(.applied(other))
        #expect(store.list() == [inA, other, inB])
        #expect(store.get(Self.key("genesis", namespace: "a")) == inA)
        #expect(store.apply(.deleted(inA)) == [.removed(inA)])
        #expect(store.get(Self.key("genesis", namespace: "b")) == inB)
    }
}
