import Foundation
import KubeCore
import Testing

/// Objects read from a server keep the fields their types do not model, and write them back.
@Suite struct UnmodelledFieldsTests {
    /// A Deployment as `kubectl` and other controllers leave it: scheduling and DNS settings KubeCore
    /// does not model, at several depths and inside named and unnamed arrays.
    static let deployment = #"""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"node-0","namespace":"hrc-subchain-demo","resourceVersion":"7","labels":{"app":"node"}},
         "spec":{"replicas":1,"progressDeadlineSeconds":600,
           "selector":{"matchLabels":{"app":"node"}},
           "template":{"metadata":{"labels":{"app":"node"}},
             "spec":{"nodeSelector":{"disk":"ssd"},
               "tolerations":[{"key":"dedicated","operator":"Equal","value":"bft","effect":"NoSchedule"}],
               "dnsPolicy":"ClusterFirst","dnsConfig":{"options":[{"name":"ndots","value":"2"}]},
               "containers":[
                 {"name":"node","image":"subchain-node:1","stdin":false,"terminationMessagePolicy":"File",
                  "ports":[{"name":"p2p","containerPort":5001,"hostIP":"0.0.0.0"}]},
                 {"name":"sidecar","image":"busybox","tty":true}]}}},
         "status":{"replicas":1,"conditions":[{"type":"Available","status":"True","lastHeartbeatTime":"x"}]}}
        """#

    private func decodeDeployment() throws -> Deployment {
        try JSONDecoder().decode(PreservingDecoding<Deployment>.self, from: Data(Self.deployment.utf8)).value
    }

    @Test func aReadModifyWriteKeepsEveryFieldTheModelLacks() throws {
        var object = try decodeDeployment()
        #expect(!object.unmodelledFields.isEmpty)
        object.spec?.replicas = 3
        object.metadata.labels?["changed"] = "yes"
        let written = try object.encodedJSON()
        let podSpec = written["spec"]?["template"]?["spec"]
        #expect(podSpec?["nodeSelector"] == ["disk": "ssd"])
        #expect(podSpec?["tolerations"]?[0]?["effect"] == "NoSchedule")
        #expect(podSpec?["dnsPolicy"] == "ClusterFirst")
        #expect(podSpec?["dnsConfig"]?["options"]?[0]?["value"] == "2")
        #expect(podSpec?["containers"]?[0]?["terminationMessagePolicy"] == "File")
        #expect(podSpec?["containers"]?[0]?["ports"]?[0]?["hostIP"] == "0.0.0.0")
        #expect(podSpec?["containers"]?[1]?["tty"] == true)
        #expect(written["status"]?["conditions"]?[0]?["lastHeartbeatTime"] == "x")
        // The typed changes are there, and modelled fields kept their values.
        #expect(written["spec"]?["replicas"] == 3)
        #expect(written["spec"]?["progressDeadlineSeconds"] == 600)
        #expect(written["metadata"]?["labels"]?["changed"] == "yes")
        // Nothing was invented: the whole document equals the original plus the two changes.
        var expected = try JSONDecoder().decode(JSONValue.self, from: Data(Self.deployment.utf8))
        guard case .object(var top) = expected, case .object(var spec) = top["spec"]!,
            case .object(var metadata) = top["metadata"]!, case .object(var labels) = metadata["labels"]!
        else { Issue.record("fixture is not an object"); return }
        spec["replicas"] = 3
        labels["changed"] = "yes"
        metadata["labels"] = .object(labels)
        top["spec"] = .object(spec)
        top["metadata"] = .object(metadata)
        expected = .object(top)
        #expect(written == expected)
    }

    @Test func unmodelledFieldsFollowTheirElementByName() throws {
        var object = try decodeDeployment()
        object.spec?.template?.spec?.containers?.reverse()
        let containers = try object.encodedJSON()["spec"]?["template"]?["spec"]?["containers"]
        #expect(containers?[0]?["name"] == "sidecar")
        #expect(containers?[0]?["tty"] == true)
        #expect(containers?[0]?["stdin"] == nil)
        #expect(containers?[1]?["stdin"] == false)
    }

    @Test func removingATypedValueRemovesWhatItContained() throws {
        var object = try decodeDeployment()
        object.spec?.template = nil
        object.status = nil
        let written = try object.encodedJSON()
        #expect(written["spec"]?["template"] == nil)
        #expect(written["status"] == nil)
        #expect(written["spec"]?["replicas"] == 1)
    }

    @Test func aTypedValueWinsOverTheRecordedOne() throws {
        let json = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"},"immutable":true}"#
        var object = try JSONDecoder().decode(PreservingDecoding<ConfigMap>.self, from: Data(json.utf8)).value
        object.data = ["k": "w"]
        let written = try object.encodedJSON()
        #expect(written["data"] == ["k": "w"])
        #expect(written["immutable"] == true)
    }

    @Test func objectsBuiltInSwiftHaveNothingExtra() throws {
        let object = Deployment(metadata: ObjectMeta(name: "a"), spec: DeploymentSpec(replicas: 1))
        #expect(object.unmodelledFields.isEmpty)
        #expect(try object.encodedJSON() == JSONValue(encoding: object))
        // The property itself never shows up in JSON, for KubeCore's types and for types elsewhere.
        #expect(try jsonString(object).contains("unmodelledFields") == false)
        #expect(try jsonString(SubChain(metadata: ObjectMeta(name: "x"))).contains("unmodelledFields") == false)
    }

    @Test func listItemsAndWatchEventsKeepTheirUnmodelledFields() throws {
        let list = #"{"apiVersion":"apps/v1","kind":"DeploymentList","metadata":{"resourceVersion":"9"},"items":[\#(Self.deployment)]}"#
        let decoded = try JSONDecoder().decode(ObjectList<Deployment>.self, from: Data(list.utf8))
        #expect(try decoded.items[0].encodedJSON()["spec"]?["template"]?["spec"]?["nodeSelector"] == ["disk": "ssd"])

        let line = #"{"type":"MODIFIED","object":\#(Self.deployment)}"#.replacingOccurrences(of: "\n", with: "")
        guard case .modified(let object) = try WatchEvent<Deployment>.decode(Data(line.utf8)) else {
            Issue.record("expected MODIFIED")
            return
        }
        #expect(try object.encodedJSON()["spec"]?["template"]?["spec"]?["dnsPolicy"] == "ClusterFirst")
    }

    @Test func requestBodiesCarryTheUnmodelledFields() throws {
        var object = try decodeDeployment()
        object.spec?.replicas = 2
        for request in [try KubeRequest.replace(object), try KubeRequest.create(object)] {
            let body = try jsonTree(request.body ?? Data())
            #expect(body["spec"]?["template"]?["spec"]?["tolerations"]?[0]?["key"] == "dedicated")
        }
    }

    @Test func positionalElementsAreKeptOnlyWhileTheArrayKeepsItsLength() throws {
        let raw: JSONValue = ["list": [["a": 1, "x": "keep"], ["a": 2]]]
        let modelled: JSONValue = ["list": [["a": 1], ["a": 2]]]
        let fields = UnmodelledFields.difference(between: raw, and: modelled)
        #expect(fields.merged(into: ["list": [["a": 5], ["a": 6]]]) == ["list": [["a": 5, "x": "keep"], ["a": 6]]])
        #expect(fields.merged(into: ["list": [["a": 5]]]) == ["list": [["a": 5]]])
    }
}
