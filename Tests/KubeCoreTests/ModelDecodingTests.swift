import Foundation
import KubeCore
import Testing

/// Fixtures shaped like real API server responses (only modelled fields, so that a decode/encode
/// round trip must reproduce them exactly).
enum Fixtures {
    static let deployment = #"""
        {
          "kind": "Deployment",
          "apiVersion": "apps/v1",
          "metadata": {
            "name": "node-0",
            "namespace": "hrc-subchain-demo",
            "uid": "5b8a3c1e-0f3e-4c6b-9d0a-1f2e3d4c5b6a",
            "resourceVersion": "184467",
            "generation": 3,
            "creationTimestamp": "2024-05-01T12:00:00Z",
            "labels": {"app": "subchain-node", "hierachain.io/node": "0"},
            "annotations": {"deployment.kubernetes.io/revision": "2"},
            "ownerReferences": [
              {"apiVersion": "hierachain.io/v1alpha1", "kind": "SubChain", "name": "demo",
               "uid": "0b6c9f8e-1111-2222-3333-444455556666", "controller": true, "blockOwnerDeletion": true}
            ],
            "managedFields": [
              {"manager": "subchain-operator", "operation": "Apply", "apiVersion": "apps/v1",
               "time": "2024-05-01T12:00:00Z", "fieldsType": "FieldsV1",
               "fieldsV1": {"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"node\"}": {".": {}}}}}}}}
            ]
          },
          "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "subchain-node", "hierachain.io/node": "0"}},
            "template": {
              "metadata": {"labels": {"app": "subchain-node", "hierachain.io/node": "0"}},
              "spec": {
                "containers": [
                  {
                    "name": "node",
                    "image": "hierachain/node:1.0",
                    "imagePullPolicy": "IfNotPresent",
                    "env": [
                      {"name": "NODE_ID", "value": "0"},
                      {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}}
                    ],
                    "ports": [
                      {"name": "p2p", "containerPort": 5001, "protocol": "TCP"},
                      {"name": "api", "containerPort": 2661, "protocol": "TCP"}
                    ],
                    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "512Mi"}},
                    "volumeMounts": [{"name": "keys", "mountPath": "/var/run/subchain/keys", "readOnly": true}],
                    "readinessProbe": {"httpGet": {"path": "/v1/health", "port": "api", "scheme": "HTTP"},
                                       "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3}
                  }
                ],
                "volumes": [{"name": "keys", "secret": {"secretName": "node-0-keys", "defaultMode": 256}}],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30
              }
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 1}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
          },
          "status": {
            "observedGeneration": 3,
            "replicas": 1,
            "updatedReplicas": 1,
            "readyReplicas": 1,
            "availableReplicas": 1,
            "conditions": [
              {"type": "Available", "status": "True", "lastUpdateTime": "2024-05-01T12:00:40Z",
               "lastTransitionTime": "2024-05-01T12:00:40Z", "reason": "MinimumReplicasAvailable",
               "message": "Deployment has minimum availability."},
              {"type": "Progressing", "status": "True", "lastUpdateTime": "2024-05-01T12:00:40Z",
               "lastTransitionTime": "2024-05-01T12:00:00Z", "reason": "NewReplicaSetAvailable",
               "message": "ReplicaSet \"node-0-7d9c8b6f5\" has successfully progressed."}
            ]
          }
        }
        """#

    static let podList = #"""
        {
          "kind": "PodList",
          "apiVersion": "v1",
          "metadata": {
            "resourceVersion": "184502",
            "continue": "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTg0NTAyLCJzdGFydCI6Im5vZGUtMVx1MDAwMCJ9",
            "remainingItemCount": 2
          },
          "items": [
            {
              "metadata": {"name": "node-0-7d9c8b6f5-x2kq9", "namespace": "hrc-subchain-demo",
                           "uid": "aa11", "resourceVersion": "184400", "labels": {"app": "subchain-node"}},
              "spec": {"containers": [{"name": "node", "image": "hierachain/node:1.0"}], "nodeName": "worker-1"},
              "status": {
                "phase": "Running",
                "conditions": [
                  {"type": "Ready", "status": "True", "lastTransitionTime": "2024-05-01T12:00:30Z"},
                  {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2024-05-01T12:00:01Z"}
                ],
                "hostIP": "10.0.0.4",
                "podIP": "10.244.1.17",
                "startTime": "2024-05-01T12:00:01Z",
                "containerStatuses": [
                  {"name": "node", "ready": true, "started": true, "restartCount": 0, "image": "hierachain/node:1.0",
                   "imageID": "docker.io/hierachain/node@sha256:1234", "containerID": "containerd://abcd",
                   "state": {"running": {"startedAt": "2024-05-01T12:00:20Z"}}}
                ]
              }
            },
            {
              "metadata": {"name": "node-1-6f5d4c3b2-p8w7z", "namespace": "hrc-subchain-demo", "uid": "bb22"},
              "spec": {"containers": [{"name": "node", "image": "hierachain/node:1.0"}]},
              "status": {
                "phase": "Pending",
                "containerStatuses": [
                  {"name": "node", "ready": false, "restartCount": 4, "image": "hierachain/node:1.0", "imageID": "",
                   "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container"}},
                   "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                 "startedAt": "2024-05-01T12:01:00Z", "finishedAt": "2024-05-01T12:01:02Z"}}}
                ]
              }
            }
          ]
        }
        """#

    static let alreadyExists = #"""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
         "message":"namespaces \"hrc-subchain-demo\" already exists","reason":"AlreadyExists",
         "details":{"name":"hrc-subchain-demo","kind":"namespaces"},"code":409}
        """#

    static let invalid = #"""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
         "message":"Deployment.apps \"node-0\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`]",
         "reason":"Invalid",
         "details":{"name":"node-0","group":"apps","kind":"Deployment","causes":[
           {"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"},
           {"reason":"FieldValueInvalid","message":"Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`","field":"spec.template.metadata.labels"}]},
         "code":422}
        """#
}

@Suite struct ModelDecodingTests {
    @Test func deploymentRoundTripsExactly() throws {
        let deployment = try decode(Deployment.self, from: Fixtures.deployment)
        #expect(deployment.metadata.generation == 3)
        #expect(deployment.metadata.creationTimestamp?.date == Date(timeIntervalSince1970: 1_714_564_800))
        #expect(deployment.metadata.ownerReferences?.first?.controller == true)
        #expect(deployment.metadata.managedFields?.first?["manager"] == "subchain-operator")
        #expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable == .string("25%"))
        #expect(deployment.spec?.strategy?.rollingUpdate?.maxSurge == .int(1))
        let container = try #require(deployment.spec?.template?.spec?.containers?.first)
        #expect(container.resources?.requests?["memory"] == Quantity("512Mi"))
        #expect(container.readinessProbe?.httpGet?.port == "api")
        #expect(container.env?[1].valueFrom?.fieldRef?.fieldPath == "status.podIP")
        #expect(deployment.status?.readyReplicas == 1)
        #expect(deployment.status?.conditions?.map(\.type) == ["Available", "Progressing"])

        let reencoded = try JSONEncoder.kubernetes().encode(deployment)
        #expect(try jsonTree(reencoded) == jsonTree(Fixtures.deployment))
        #expect(try JSONDecoder().decode(Deployment.self, from: reencoded) == deployment)
    }

    @Test func serverNullsAreNotEchoedBack() throws {
        // The API server writes `creationTimestamp: null` inside pod templates; sending it back in an
        // apply would claim ownership of a field nobody means to set.
        let deployment = try decode(
            Deployment.self,
            from: #"""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"node-0","namespace":"ns","creationTimestamp":"2024-05-01T12:00:00Z"},
                 "spec":{"selector":{"matchLabels":{"app":"n"}},
                         "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"n"}},
                                     "spec":{"containers":[{"name":"node","image":"i","resources":{}}]}}},
                 "status":{}}
                """#)
        #expect(deployment.spec?.template?.metadata?.creationTimestamp == nil)
        let json = try jsonString(deployment)
        #expect(!json.contains("null"))
        #expect(json.contains(#""resources":{}"#))
        #expect(json.contains(#""creationTimestamp":"2024-05-01T12:00:00Z""#))
    }

    @Test func podListWithContinueToken() throws {
        let list = try decode(ObjectList<Pod>.self, from: Fixtures.podList)
        #expect(list.kind == "PodList")
        #expect(list.metadata.resourceVersion == "184502")
        #expect(list.metadata.continue?.hasPrefix("eyJ2Ij") == true)
        #expect(list.metadata.remainingItemCount == 2)
        #expect(list.items.count == 2)
        // Items arrive without apiVersion/kind; the list fills them in from the type.
        #expect(list.items.allSatisfy { $0.apiVersion == "v1" && $0.kind == "Pod" })
        let running = list.items[0]
        #expect(running.status?.phase == "Running")
        #expect(running.status?.podIP == "10.244.1.17")
        #expect(running.status?.conditions?.first { $0.type == "Ready" }?.status == "True")
        #expect(running.status?.containerStatuses?.first?.state?.running?.startedAt?.rfc3339 == "2024-05-01T12:00:20Z")
        let crashing = list.items[1].status?.containerStatuses?.first
        #expect(crashing?.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(crashing?.lastState?.terminated?.exitCode == 1)
        #expect(crashing?.restartCount == 4)
    }

    @Test func emptyListWithNullItems() throws {
        let list = try decode(
            ObjectList<Namespace>.self, from: #"{"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":null}"#)
        #expect(list.items.isEmpty)
        #expect(list.metadata.continue == nil)
    }

    @Test func alreadyExistsStatus() throws {
        let status = try decode(Status.self, from: Fixtures.alreadyExists)
        #expect(status.code == 409)
        #expect(status.isAlreadyExists)
        #expect(!status.isConflict)
        #expect(!status.isGone)
        #expect(status.details?.name == "hrc-subchain-demo")
        #expect(status.details?.kind == "namespaces")
        #expect(try jsonTree(JSONEncoder.kubernetes().encode(status)) == jsonTree(Fixtures.alreadyExists))
    }

    @Test func invalidStatusWithCauses() throws {
        let status = try decode(Status.self, from: Fixtures.invalid)
        #expect(status.isInvalid)
        #expect(status.details?.group == "apps")
        let causes = try #require(status.details?.causes)
        #expect(causes.map(\.field) == ["spec.replicas", "spec.template.metadata.labels"])
        #expect(causes.allSatisfy { $0.reason == "FieldValueInvalid" })
        #expect(causes[0].message == "Invalid value: -1: must be greater than or equal to 0")
    }

    @Test func objectWithoutMetadataDecodes() throws {
        let namespace = try decode(Namespace.self, from: #"{"apiVersion":"v1","kind":"Namespace"}"#)
        #expect(namespace.metadata == ObjectMeta())
    }

    @Test func namespaceBeingDeleted() throws {
        let namespace = try decode(
            Namespace.self,
            from: #"""
                {"apiVersion":"v1","kind":"Namespace",
                 "metadata":{"name":"hrc-subchain-demo","deletionTimestamp":"2024-05-01T13:00:00Z","deletionGracePeriodSeconds":0,
                             "finalizers":["hierachain.io/cleanup"]},
                 "spec":{"finalizers":["kubernetes"]},
                 "status":{"phase":"Terminating","conditions":[{"type":"NamespaceContentRemaining","status":"True",
                   "lastTransitionTime":"2024-05-01T13:00:01Z","reason":"SomeResourcesRemain","message":"Some resources are remaining: pods. has 4 resource instances"}]}}
                """#)
        #expect(namespace.metadata.deletionTimestamp != nil)
        #expect(namespace.status?.phase == "Terminating")
        #expect(namespace.spec?.finalizers == ["kubernetes"])
    }

    @Test func resourceQuotaStatusQuantities() throws {
        let quota = try decode(
            ResourceQuota.self,
            from: #"""
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"subchain","namespace":"hrc-subchain-demo"},
                 "spec":{"hard":{"requests.cpu":"2500m","requests.memory":"2560Mi","limits.cpu":"5","limits.memory":"5Gi","pods":"5"}},
                 "status":{"hard":{"requests.cpu":"2500m","requests.memory":"2560Mi","limits.cpu":"5","limits.memory":"5Gi","pods":"5"},
                           "used":{"requests.cpu":"2","requests.memory":"2Gi","limits.cpu":"4","limits.memory":"4Gi","pods":"4"}}}
                """#)
        let hard = try #require(quota.status?.hard?["requests.memory"])
        let used = try #require(quota.status?.used?["requests.memory"])
        #expect((hard - used).description == "512Mi")
        #expect(quota.status?.used?["requests.cpu"] == Quantity("2000m"))
    }

    @Test func leaseAndEventDecode() throws {
        let lease = try decode(
            Lease.self,
            from: #"""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"subchain-operator","namespace":"kube-system"},
                 "spec":{"holderIdentity":"operator-7f9c","leaseDurationSeconds":15,"acquireTime":"2024-05-01T12:00:00.000000Z",
                         "renewTime":"2024-05-01T12:05:10.123456Z","leaseTransitions":2}}
                """#)
        #expect(lease.spec?.holderIdentity == "operator-7f9c")
        #expect(lease.spec?.renewTime?.date != nil)
        let event = try decode(
            Event.self,
            from: #"""
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"demo.17c8a","namespace":"default"},
                 "eventTime":"2024-05-01T12:00:00.000000Z","reportingController":"hierachain.io/subchain-operator",
                 "reportingInstance":"operator-7f9c","action":"Provision","reason":"NamespaceCreated","type":"Normal",
                 "regarding":{"apiVersion":"hierachain.io/v1alpha1","kind":"SubChain","name":"demo","uid":"0b6c"},
                 "note":"created namespace hrc-subchain-demo","series":{"count":3,"lastObservedTime":"2024-05-01T12:03:00.000000Z"}}
                """#)
        #expect(event.regarding?.kind == "SubChain")
        #expect(event.series?.count == 3)
    }

    @Test func jsonValueKeepsLargeIntegersExact() throws {
        let value = try jsonTree(#"{"big": 9007199254740993, "ratio": 0.25, "list": [true, null, "x"]}"#)
        #expect(value["big"] == .integer(9_007_199_254_740_993))
        #expect(value["ratio"] == .double(0.25))
        #expect(value["list"]?[1] == .null)
        #expect(try jsonString(value) == #"{"big":9007199254740993,"list":[true,null,"x"],"ratio":0.25}"#)
        struct Spec: Codable, Equatable { var nodes: Int }
        #expect(try JSONValue(encoding: Spec(nodes: 4)) == ["nodes": 4])
        #expect(try JSONValue.object(["nodes": 7]).decode(as: Spec.self) == Spec(nodes: 7))
    }
}
