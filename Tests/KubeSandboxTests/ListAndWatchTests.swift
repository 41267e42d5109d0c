import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// Lists with selectors and pages, and watches from a list's resourceVersion, as the API Concepts
/// document describes "efficient detection of changes". Runs against a real cluster too, except where
/// marked.
@Suite struct ListAndWatchTests {
    @Test func labelSelectorsEqualityAndSetBased() async throws {
        try await TestCluster.run { cluster in
            for (name, tier) in [("a", "front"), ("b", "back"), ("c", "cache")] {
                _ = try await cluster.client.create(configMap(name, namespace: cluster.namespace, labels: ["tier": tier]))
            }
            _ = try await cluster.client.create(configMap("d", namespace: cluster.namespace))
            func names(_ selector: String) async throws -> [String] {
                try await cluster.client.list(ConfigMap.self, namespace: cluster.namespace, options: ListOptions(labelSelector: selector))
                    .items.compactMap(\.metadata.name).filter { $0.count == 1 }.sorted()
            }
            #expect(try await names("tier=front") == ["a"])
            #expect(try await names("tier!=front") == ["b", "c", "d"])
            #expect(try await names("tier in (back,cache)") == ["b", "c"])
            #expect(try await names("tier notin (back,cache)") == ["a", "d"])
            #expect(try await names("tier") == ["a", "b", "c"])
            #expect(try await names("!tier") == ["d"])
            let bad = await errorCode { _ = try await cluster.client.list(ConfigMap.self, namespace: cluster.namespace, options: ListOptions(labelSelector: "tier in (")) }
            #expect(bad == .badRequest)
        }
    }

    @Test func pagesFollowContinueTokensToEveryObject() async throws {
        try await TestCluster.run { cluster in
            for index in 0..<7 { _ = try await cluster.client.create(configMap("m\(index)", namespace: cluster.namespace)) }
            let first = try await cluster.client.listPage(ConfigMap.self, namespace: cluster.namespace, options: ListOptions(limit: 3))
            #expect(first.items.count == 3)
            #expect(first.metadata.continue?.isEmpty == false)
            // A change after the first page does not show in the later ones: they are of the first page's version.
            _ = try await cluster.client.create(configMap("m9", namespace: cluster.namespace))
            let all = try await cluster.client.list(ConfigMap.self, namespace: cluster.namespace, options: ListOptions(limit: 3))
            let mine = all.items.compactMap(\.metadata.name).filter { $0.hasPrefix("m") }
            #expect(mine == ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m9"])
        }
    }

    @Test func aWatchFromAListSeesEveryLaterChangeInOrder() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(configMap("before", namespace: cluster.namespace))
            let list = try await cluster.client.listPage(ConfigMap.self, namespace: cluster.namespace)
            let stream = try await cluster.client.watch(
                ConfigMap.self, namespace: cluster.namespace, options: WatchOptions(resourceVersion: list.metadata.resourceVersion))
            var created = try await cluster.client.create(configMap("w", namespace: cluster.namespace))
            created.data = ["k": "changed"]
            _ = try await cluster.client.replace(created)
            _ = try await cluster.client.delete(ConfigMap.self, name: "w", namespace: cluster.namespace)

            var seen: [String] = []
            for try await event in stream {
                switch event {
                case .added(let object) where object.metadata.name == "w": seen.append("ADDED")
                case .modified(let object) where object.metadata.name == "w": seen.append("MODIFIED \(object.data?["k"] ?? "")")
                case .deleted(let object) where object.metadata.name == "w": seen.append("DELETED")
                default: break
                }
                if seen.count == 3 { break }
            }
            #expect(seen == ["ADDED", "MODIFIED changed", "DELETED"])
        }
    }

    @Test func aWatchWithASelectorSeesObjectsLeaveAndEnterIt() async throws {
        try await TestCluster.run { cluster in
            let list = try await cluster.client.listPage(ConfigMap.self, namespace: cluster.namespace)
            let stream = try await cluster.client.watch(
                ConfigMap.self, namespace: cluster.namespace,
                options: WatchOptions(labelSelector: "watched=yes", resourceVersion: list.metadata.resourceVersion))
            var map = try await cluster.client.create(configMap("s", namespace: cluster.namespace, labels: ["watched": "yes"]))
            map.metadata.labels = ["watched": "no"]
            map = try await cluster.client.replace(map)
            map.metadata.labels = ["watched": "yes"]
            _ = try await cluster.client.replace(map)

            var seen: [String] = []
            for try await event in stream {
                switch event {
                case .added: seen.append("ADDED")
                case .modified: seen.append("MODIFIED")
                case .deleted: seen.append("DELETED")
                default: break
                }
                if seen.count == 3 { break }
            }
            #expect(seen == ["ADDED", "DELETED", "ADDED"])
        }
    }

    @Test func aWatchFromACompactedVersionEndsWith410() async throws {
        try await TestCluster.run { cluster in
            guard let sandbox = cluster.sandboxOnly("compacting history on demand is a sandbox fault hook") else { return }
            let old = try await cluster.client.create(configMap("old", namespace: cluster.namespace))
            _ = try await cluster.client.create(configMap("new", namespace: cluster.namespace))
            sandbox.sandbox.compactHistory()
            // The server answers with an ERROR event carrying 410, which the client reports as `gone`.
            do {
                let stream = try await cluster.client.watch(
                    ConfigMap.self, namespace: cluster.namespace, options: WatchOptions(resourceVersion: old.metadata.resourceVersion))
                var relist = false
                for try await event in stream {
                    relist = event.requiresRelist
                    break
                }
                #expect(relist)
            } catch let error as KubeError {
                #expect(error.code == .gone)
            }
        }
    }

    @Test func bookmarksCarryTheCurrentResourceVersion() async throws {
        try await TestCluster.run(sandboxConfiguration: .init(bookmarkInterval: .milliseconds(200))) { cluster in
            guard cluster.sandboxOnly("a real server sends bookmarks about once a minute") != nil else { return }
            let created = try await cluster.client.create(configMap("b", namespace: cluster.namespace))
            let stream = try await cluster.client.watch(
                ConfigMap.self, namespace: cluster.namespace,
                options: WatchOptions(resourceVersion: created.metadata.resourceVersion, allowWatchBookmarks: true))
            for try await event in stream {
                if case .bookmark(let bookmark) = event {
                    #expect((UInt64(bookmark.metadata.resourceVersion ?? "0") ?? 0) >= (UInt64(created.metadata.resourceVersion ?? "0") ?? 0))
                    break
                }
            }
        }
    }
}
