import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// Content negotiation as kubectl and metadata-only informers use it: `as=Table` for printing and
/// `as=PartialObjectMetadata` for lists of metadata. Runs against a real cluster too.
@Suite struct RepresentationTests {
    private func get(_ cluster: TestCluster, _ path: String, accept: String) async throws -> JSONValue {
        let request = KubeRequest(method: .get, path: path, headers: ["Accept": accept])
        return try await cluster.client.send(request, as: JSONValue.self)
    }

    @Test func aListAsATableHasNameFirstAndAgeAndOneRowPerObject() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(configMap("a", namespace: cluster.namespace, data: ["x": "1", "y": "2"]))
            let table = try await get(
                cluster, "/api/v1/namespaces/\(cluster.namespace)/configmaps",
                accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            #expect(table[member: "kind"] == "Table")
            let names = table[member: "columnDefinitions"]?.arrayElements?.compactMap { $0[member: "name"]?.stringValue } ?? []
            #expect(names.first == "Name")
            #expect(names.contains("Age"))
            let rows = table[member: "rows"]?.arrayElements ?? []
            let row = try #require(rows.first { $0[member: "cells"]?[0] == "a" })
            #expect(row.value(atPath: "object.kind") == "PartialObjectMetadata")
            if let data = names.firstIndex(of: "Data") { #expect(row[member: "cells"]?[data] == .integer(2)) }
        }
    }

    @Test func aListAsPartialObjectMetadataCarriesMetadataOnly() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(configMap("m", namespace: cluster.namespace))
            let list = try await get(
                cluster, "/api/v1/namespaces/\(cluster.namespace)/configmaps",
                accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json")
            #expect(list[member: "kind"] == "PartialObjectMetadataList")
            let item = try #require(list[member: "items"]?.arrayElements?.first)
            #expect(item.value(atPath: "metadata.name") == "m")
            #expect(item[member: "data"] == nil)
        }
    }

    @Test func theAcceptHeaderIsReadAsTheServerReadsIt() {
        #expect(Representation.parse(nil) == .object)
        #expect(Representation.parse("application/json") == .object)
        #expect(Representation.parse("application/json;as=Table;v=v1;g=meta.k8s.io,application/json") == .table)
        #expect(Representation.parse("application/json;as=Table;v=v9;g=meta.k8s.io,application/json") == .object)
        #expect(Representation.parse("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1") == .metadata)
        #expect(TablePrinter.duration(59) == "59s" && TablePrinter.duration(200) == "3m20s" && TablePrinter.duration(7_200) == "120m")
        #expect(TablePrinter.duration(90_000) == "25h" && TablePrinter.duration(3 * 86_400 + 3_600) == "3d1h")
        #expect(TablePrinter.evaluate(".spec.ports[1].port", in: ["spec": ["ports": [["port": 1], ["port": 2]]]]) == .integer(2))
    }
}
