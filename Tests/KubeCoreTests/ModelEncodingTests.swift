import Foundation
import KubeCore
import Testing

@Suite struct ModelEncodingTests {
    @Test func emptyObjectsEncodeOnlyTypeMeta() throws {
        #expect(try jsonString(ObjectMeta()) == "{}")
        #expect(try jsonString(Namespace()) == #"{"apiVersion":"v1","kind":"Namespace","metadata":{}}"#)
        #expect(try jsonString(DeploymentSpec()) == "{}")
    }

    @Test func namespaceEncodesExactlyTheFieldsSet() throws {
        let namespace = Namespace(
            metadata: ObjectMeta(
                name: "hrc-subchain-demo",
                labels: ["app.kubernetes.io/managed-by": "subchain-operator", "hierachain.io/subchain": "demo"]))
        #expect(
            try jsonString(namespace)
                == #"{"apiVersion":"v1","kind":"Namespace","metadata":{"labels":{"app.kubernetes.io/managed-by":"subchain-operator","hierachain.io/subchain":"demo"},"name":"hrc-subchain-demo"}}"#
        )
    }

    @Test func deploymentWithResourcesEncodesExactly() throws {
        let labels = ["app": "subchain-node"]
        let deployment = Deployment(
            metadata: ObjectMeta(name: "node-0", namespace: "hrc-subchain-demo", labels: labels),
            spec: DeploymentSpec(
                replicas: 1,
                selector: LabelSelector(matchLabels: labels),
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: labels),
                    spec: PodSpec(containers: [
                        Container(
                            name: "node",
                            image: "hierachain/node:1.0",
                            env: [EnvVar(name: "NODE_ID", value: "0")],
                            ports: [ContainerPort(name: "p2p", containerPort: 5001)],
                            resources: ResourceRequirements(
                                limits: ["cpu": "1000m", "memory": "1Gi"],
                                requests: ["cpu": "500m", "memory": "512Mi"]))
                    ]))))
        let expected =
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"subchain-node"},"name":"node-0","namespace":"hrc-subchain-demo"},"#
            + #""spec":{"replicas":1,"selector":{"matchLabels":{"app":"subchain-node"}},"template":{"metadata":{"labels":{"app":"subchain-node"}},"#
            + #""spec":{"containers":[{"env":[{"name":"NODE_ID","value":"0"}],"image":"hierachain/node:1.0","name":"node","#
            + #""ports":[{"containerPort":5001,"name":"p2p"}],"resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m","memory":"512Mi"}}}]}}}}"#
        #expect(try jsonString(deployment) == expected)
    }

    @Test func nullIsNeverEmitted() throws {
        let objects: [any Encodable] = [
            Pod(), Service(spec: ServiceSpec(ports: [ServicePort(port: 80)])), Secret(), ConfigMap(), LimitRange(),
            ResourceQuota(), NetworkPolicy(spec: NetworkPolicySpec(podSelector: LabelSelector())),
            PodDisruptionBudget(), Lease(), Event(), CustomResourceDefinition(), Status(),
        ]
        for object in objects {
            let json = try jsonString(object)
            #expect(!json.contains("null"), "\(json)")
        }
    }

    @Test func serviceTargetPortAndPDBAcceptIntOrString() throws {
        let service = ServiceSpec(
            selector: ["app": "node"], ports: [ServicePort(name: "api", port: 2661, targetPort: "api")])
        #expect(
            try jsonString(service)
                == #"{"ports":[{"name":"api","port":2661,"targetPort":"api"}],"selector":{"app":"node"}}"#)
        let budget = PodDisruptionBudgetSpec(maxUnavailable: 1, selector: LabelSelector(matchLabels: ["app": "node"]))
        #expect(try jsonString(budget) == #"{"maxUnavailable":1,"selector":{"matchLabels":{"app":"node"}}}"#)
        #expect(try jsonString(PodDisruptionBudgetSpec(maxUnavailable: "25%")) == #"{"maxUnavailable":"25%"}"#)
    }

    @Test func secretDataIsBase64() throws {
        let secret = Secret(
            metadata: ObjectMeta(name: "node-0-keys"), type: "Opaque", data: ["signing.key": Data([0, 1, 2, 255])])
        #expect(
            try jsonString(secret)
                == #"{"apiVersion":"v1","data":{"signing.key":"AAEC/w=="},"kind":"Secret","metadata":{"name":"node-0-keys"},"type":"Opaque"}"#)
        let decoded = try decode(Secret.self, from: try jsonString(secret))
        #expect(decoded.data?["signing.key"] == Data([0, 1, 2, 255]))
    }

    @Test func customResourceDefinitionForSubChains() throws {
        let crd = CustomResourceDefinition(
            metadata: ObjectMeta(name: "subchains.hierachain.io"),
            spec: CustomResourceDefinitionSpec(
                group: "hierachain.io",
                names: CustomResourceDefinitionNames(
                    plural: "subchains", singular: "subchain", kind: "SubChain", listKind: "SubChainList"),
                scope: "Cluster",
                versions: [
                    CustomResourceDefinitionVersion(
                        name: "v1alpha1", served: true, storage: true,
                        schema: CustomResourceValidation(openAPIV3Schema: [
                            "type": "object",
                            "properties": ["spec": ["type": "object", "properties": ["nodes": ["type": "integer", "minimum": 4]]]],
                        ]),
                        subresources: CustomResourceSubresources(status: [:]),
                        additionalPrinterColumns: [
                            CustomResourceColumnDefinition(name: "Phase", type: "string", jsonPath: ".status.phase")
                        ])
                ]))
        let expected = try jsonTree(
            #"""
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
             "metadata": {"name": "subchains.hierachain.io"},
             "spec": {"group": "hierachain.io", "scope": "Cluster",
                      "names": {"plural": "subchains", "singular": "subchain", "kind": "SubChain", "listKind": "SubChainList"},
                      "versions": [{"name": "v1alpha1", "served": true, "storage": true,
                                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "properties": {"nodes": {"type": "integer", "minimum": 4}}}}}},
                                    "subresources": {"status": {}},
                                    "additionalPrinterColumns": [{"name": "Phase", "type": "string", "jsonPath": ".status.phase"}]}]}}
            """#)
        #expect(try jsonTree(JSONEncoder.kubernetes().encode(crd)) == expected)
    }

    @Test func microTimeAndTimeFormatting() {
        let date = Date(timeIntervalSince1970: 1_714_564_800.25)
        #expect(KubeTime(date).rfc3339 == "2024-05-01T12:00:00Z")
        #expect(KubeTime(date, precision: .microseconds).rfc3339 == "2024-05-01T12:00:00.250000Z")
        #expect(KubeTime(rfc3339: "2024-05-01T12:00:00Z").date == Date(timeIntervalSince1970: 1_714_564_800))
        #expect(KubeTime(rfc3339: "2024-05-01T12:00:00.250000Z").date?.timeIntervalSince1970 == 1_714_564_800.25)
        #expect(KubeTime(rfc3339: "yesterday").date == nil)
    }

    @Test func ownerAndObjectReferencesComeFromTheOwner() {
        let owner = Namespace(metadata: ObjectMeta(name: "hrc-subchain-demo", uid: "0b6c"))
        #expect(
            OwnerReference.controller(of: owner)
                == OwnerReference(
                    apiVersion: "v1", kind: "Namespace", name: "hrc-subchain-demo", uid: "0b6c", controller: true,
                    blockOwnerDeletion: true))
        #expect(OwnerReference.controller(of: Namespace(metadata: ObjectMeta(name: "unsaved"))) == nil)
        #expect(ObjectReference(to: owner).kind == "Namespace")
    }

    @Test func resourceTypesDescribeThemselves() {
        #expect(Deployment.apiVersion == "apps/v1")
        #expect(Pod.apiVersion == "v1")
        #expect(NetworkPolicy.resource.apiRoot == "/apis/networking.k8s.io/v1")
        #expect(PodDisruptionBudget.apiVersion == "policy/v1")
        #expect(Lease.apiVersion == "coordination.k8s.io/v1")
        #expect(Event.apiVersion == "events.k8s.io/v1")
        #expect(CustomResourceDefinition.namespaced == false)
        #expect(Namespace.namespaced == false)
        #expect(ResourceQuota.plural == "resourcequotas")
        #expect(LimitRange.plural == "limitranges")
    }
}
