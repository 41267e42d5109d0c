import KubeCore
import Testing

@testable import SubChainOperator

/// Deciding that a child is as desired without writing: the server's defaults and other managers' fields
/// are not differences; a changed value, a missing field or a changed atomic list is.
@Suite struct FieldContainmentTests {
    static let desired: JSONValue = [
        "metadata": ["name": "node-0", "labels": ["a": "1"]],
        "spec": [
            "replicas": 1,
            "template": [
                "spec": [
                    "containers": [["name": "node", "image": "n:1", "command": ["subchain-node", "run"], "env": [["name": "A", "value": "1"]]]]
                ]
            ],
        ],
    ]

    @Test func defaultsStatusAndOtherManagersFieldsAreNotDifferences() {
        let existing: JSONValue = [
            "metadata": ["name": "node-0", "labels": ["a": "1", "team": "x"], "resourceVersion": "12", "uid": "u"],
            "spec": [
                "replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                "template": [
                    "spec": [
                        "containers": [
                            ["name": "sidecar", "image": "s"],
                            [
                                "name": "node", "image": "n:1", "command": ["subchain-node", "run"], "terminationMessagePath": "/dev/termination-log",
                                "env": [["name": "B", "value": "2"], ["name": "A", "value": "1"]],
                            ],
                        ],
                        "dnsPolicy": "ClusterFirst",
                    ]
                ],
            ],
            "status": ["replicas": 1],
        ]
        #expect(FieldContainment.differences(Self.desired, in: existing) == [])
    }

    @Test func changedMissingAndReorderedAtomicValuesAreDifferences() {
        var existing = Self.desired
        existing = [
            "metadata": ["name": "node-0", "labels": [:]],
            "spec": [
                "replicas": 2,
                "template": [
                    "spec": ["containers": [["name": "node", "image": "n:2", "command": ["run", "subchain-node"], "env": [["name": "A", "value": "0"]]]]]
                ],
            ],
        ]
        #expect(
            FieldContainment.differences(Self.desired, in: existing).sorted() == [
                "metadata.labels.a", "spec.replicas", "spec.template.spec.containers[name=node].command",
                "spec.template.spec.containers[name=node].env[name=A].value", "spec.template.spec.containers[name=node].image",
            ])
        #expect(FieldContainment.differences(Self.desired, in: ["metadata": ["name": "node-0"]]).contains("spec"))
        #expect(!FieldContainment.holds(Self.desired, in: [:]))
    }

    @Test func unnamedListElementsMatchInAnyOrderAndNumbersByValue() {
        let desired: JSONValue = ["ingress": [["ports": [["port": 5001]]], ["ports": [["port": 2661]]]], "weight": 2]
        #expect(FieldContainment.holds(desired, in: ["ingress": [["ports": [["port": 2661, "protocol": "TCP"]]], ["ports": [["port": 5001]]]], "weight": 2.0]))
        #expect(!FieldContainment.holds(desired, in: ["ingress": [["ports": [["port": 2661]]]], "weight": 2]))
    }
}
