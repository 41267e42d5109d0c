import KubeCore
import Testing

@Suite struct LabelQueryTests {
    @Test func equalityAndSetBasedTerms() {
        let query = LabelQuery([
            .equals("a", "b"), .notEquals("c", "d"), .in("app", ["b", "a", "b"]), .notIn("tier", ["x"]),
            .exists("managed"), .doesNotExist("legacy"),
        ])
        #expect(query.description == "a=b,c!=d,app in (a,b),tier notin (x),managed,!legacy")
    }

    @Test func matchLabelsAreSortedByKey() {
        let query = LabelQuery(matchLabels: ["hierachain.io/subchain": "demo", "app.kubernetes.io/managed-by": "subchain-operator"])
        #expect(query.description == "app.kubernetes.io/managed-by=subchain-operator,hierachain.io/subchain=demo")
        #expect(query.and(.exists("x")).description.hasSuffix(",x"))
        #expect(LabelQuery().isEmpty)
        #expect(LabelQuery().description == "")
    }

    @Test func fromAnObjectsLabelSelector() throws {
        let selector = LabelSelector(
            matchLabels: ["app": "node"],
            matchExpressions: [
                LabelSelectorRequirement(key: "tier", operator: "In", values: ["b", "a"]),
                LabelSelectorRequirement(key: "canary", operator: "DoesNotExist"),
            ])
        #expect(try LabelQuery(selector).description == "app=node,tier in (a,b),!canary")
    }

    @Test func invalidSelectorsAreErrors() {
        let unknown = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "k", operator: "Matches", values: ["v"])])
        #expect(throws: KubeCoreError.self) { try LabelQuery(unknown) }
        let empty = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "k", operator: "In", values: [])])
        #expect(throws: KubeCoreError.self) { try LabelQuery(empty) }
    }

    @Test func usedAsAListOption() throws {
        let query = LabelQuery([.in("app", ["a", "b"])])
        let request = try KubeRequest.list(Pod.self, options: ListOptions(labelSelector: query.description))
        #expect(request.target == "/api/v1/pods?labelSelector=app%20in%20%28a%2Cb%29")
    }
}
