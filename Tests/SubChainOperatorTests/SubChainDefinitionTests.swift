import Foundation
import KubeCore
import Testing

@testable import SubChainOperator

/// The CRD is generated from the Swift types: the committed copy matches it, its schema names every field
/// the types encode (a field missing there would be pruned by the API server), and every field says what
/// it is for.
@Suite struct SubChainDefinitionTests {
    /// `crds/subchain.yaml` at the repository's root.
    static let committedPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("crds/subchain.yaml")

    @Test func theCommittedDefinitionIsTheGeneratedOne() throws {
        let committed = try String(contentsOf: Self.committedPath, encoding: .utf8)
        let generated = try SubChainDefinition.yaml()
        #expect(committed == generated, "crds/subchain.yaml is stale: run `swift run subchain-operator crd > crds/subchain.yaml`")
    }

    /// A SubChain with every field set, so that its JSON names every field the types have.
    static let everything = SubChain(
        metadata: ObjectMeta(name: "demo"),
        spec: SubChainSpec(
            replicas: 4, image: "hierachain/subchain-node:1", resources: NodeResources(requests: ResourceAmounts(cpu: "1", memory: "1Gi"), limits: ResourceAmounts(cpu: "1", memory: "1Gi")),
            ports: NodePorts(p2p: 1, api: 2), storage: NodeStorage(size: "1Gi", storageClassName: "fast"),
            consensus: ConsensusSettings(batchSize: 1, maxBatchWaitMilliseconds: 1, viewChangeTimeoutMilliseconds: 1, checkpointInterval: 1),
            apiKeysSecret: "keys", paused: false),
        status: SubChainStatus(
            phase: .active, namespace: "hrc-subchain-demo", replicas: 4, readyNodes: 4, ready: "4/4",
            quota: QuotaStatus(hard: ["pods": "5"], used: ["pods": "4"]),
            nodes: [NodeStatus(id: "node-0", service: "node-0.hrc-subchain-demo.svc", signingKey: "k", transportKey: "t", ready: true)],
            chainID: "demo", genesisHash: "h", endpoint: "http://api.hrc-subchain-demo.svc:2661",
            conditions: [
                Condition(type: "Ready", status: "True", observedGeneration: 1, lastTransitionTime: KubeTime(Date()), reason: "AllNodesReady", message: "m")
            ],
            observedGeneration: 1))

    @Test func theSchemaCoversEveryFieldTheTypesEncode() throws {
        let encoded = try JSONValue(encoding: Self.everything)
        var missing: [String] = []
        func walk(_ value: JSONValue, _ schema: StructuralSchema, _ path: String) {
            switch value {
            case .object(let members):
                if let values = schema.additionalProperties {
                    for (key, member) in members { walk(member, values, "\(path).\(key)") }
                    return
                }
                // The schema leaves metadata to the API server, as every CRD must.
                if path == ".metadata" { return }
                for (key, member) in members {
                    guard let field = schema.properties[key] else {
                        missing.append("\(path).\(key)")
                        continue
                    }
                    walk(member, field, "\(path).\(key)")
                }
            case .array(let elements):
                guard let items = schema.items else { return missing.append("\(path)[]") }
                for element in elements { walk(element, items, "\(path)[]") }
            default:
                return
            }
        }
        walk(encoded, SubChainSchema.root, "")
        #expect(missing.isEmpty, "fields the schema lacks: \(missing.sorted())")
    }

    @Test func everyFieldIsDescribedAndTyped() {
        var problems: [String] = []
        func check(_ schema: StructuralSchema, _ path: String) {
            // Root metadata may carry nothing but its type (``StructuralSchema/objectMetadata``).
            if schema.description.isEmpty, path != ".metadata" { problems.append("\(path): no description") }
            if schema.type == nil, !schema.intOrString { problems.append("\(path): no type") }
            for (key, field) in schema.properties { check(field, "\(path).\(key)") }
            if let items = schema.items { check(items, "\(path)[]") }
            if let values = schema.additionalProperties { check(values, "\(path){}") }
        }
        check(SubChainSchema.root, "")
        #expect(problems.isEmpty, "\(problems.sorted())")
    }

    @Test func theYAMLQuotesWhatWouldReadAsAnotherType() throws {
        let yaml = try YAMLRendering.render(["a": "True", "b": "no", "c": "1", "d": "", "e": "plain", "f": 1, "g": true])
        #expect(yaml == "a: \"True\"\nb: \"no\"\nc: \"1\"\nd: \"\"\ne: plain\nf: 1\ng: true\n")
    }
}
