import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// Metadata-only lists and watches, as a cache of owned objects reads them: the server converts to
/// `PartialObjectMetadata`, and the data never reaches the client's memory.
@Suite struct PartialObjectMetadataTests {
    @Test func listsAndWatchesCarryMetadataOnly() async throws {
        try await TestCluster.run { cluster in
            let client = cluster.client
            let namespace = cluster.namespace
            var map = ConfigMap(metadata: ObjectMeta(name: "big", namespace: namespace, labels: ["app": "web"]))
            map.data = ["payload": String(repeating: "x", count: 4_096)]
            _ = try await client.create(map)

            let list = try await client.listMetadata(ConfigMap.self, namespace: namespace)
            let item = try #require(list.items.first { $0.metadata.name == "big" })
            #expect(item.metadata.labels?["app"] == "web")
            #expect(item.unmodelledFields.isEmpty)
            #expect(list.metadata.resourceVersion != nil)

            let stream = try await client.watchMetadata(
                ConfigMap.self, namespace: namespace, options: WatchOptions(resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 5))
            var second = ConfigMap(metadata: ObjectMeta(name: "second", namespace: namespace))
            second.data = ["payload": "y"]
            _ = try await client.create(second)
            var seen: PartialObjectMetadata<ConfigMap>?
            for try await event in stream {
                if case .added(let object) = event { seen = object; break }
            }
            #expect(seen?.metadata.name == "second")
            #expect(seen?.kind == "PartialObjectMetadata")
            #expect(seen?.unmodelledFields.isEmpty == true)
        }
    }
}
