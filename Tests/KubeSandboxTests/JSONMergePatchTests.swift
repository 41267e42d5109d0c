import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct JSONMergePatchTests {
    private func expectMerge(
        _ original: JSONValue, _ patch: JSONValue, _ result: JSONValue, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(JSONMergePatch.apply(patch, to: original) == result, sourceLocation: sourceLocation)
    }

    /// RFC 7386 appendix A, row by row.
    @Test func rfc7386AppendixA() {
        expectMerge(["a": "b"], ["a": "c"], ["a": "c"])
        expectMerge(["a": "b"], ["b": "c"], ["a": "b", "b": "c"])
        expectMerge(["a": "b"], ["a": nil], [:])
        expectMerge(["a": "b", "b": "c"], ["a": nil], ["b": "c"])
        expectMerge(["a": ["b"]], ["a": "c"], ["a": "c"])
        expectMerge(["a": "c"], ["a": ["b"]], ["a": ["b"]])
        expectMerge(["a": ["b": "c"]], ["a": ["b": "d", "c": nil]], ["a": ["b": "d"]])
        expectMerge(["a": [["b": "c"]]], ["a": [1]], ["a": [1]])
        expectMerge(["a", "b"], ["c", "d"], ["c", "d"])
        expectMerge(["a": "b"], ["c"], ["c"])
        expectMerge(["a": "foo"], nil, nil)
        expectMerge(["a": "foo"], "bar", "bar")
        expectMerge(["e": nil], ["a": 1], ["e": nil, "a": 1])
        expectMerge([1, 2], ["a": "b", "c": nil], ["a": "b"])
        expectMerge([:], ["a": ["bb": ["ccc": nil]]], ["a": ["bb": [:]]])
    }

    /// The example of RFC 7386 section 3.
    @Test func rfc7386Section3Example() {
        let target: JSONValue = [
            "title": "Goodbye!",
            "author": ["givenName": "John", "familyName": "Doe"],
            "tags": ["example", "sample"],
            "content": "This will be unchanged",
        ]
        let patch: JSONValue = [
            "title": "Hello!",
            "phoneNumber": "+01-123-456-7890",
            "author": ["familyName": nil],
            "tags": ["example"],
        ]
        let result: JSONValue = [
            "title": "Hello!",
            "author": ["givenName": "John"],
            "tags": ["example"],
            "content": "This will be unchanged",
            "phoneNumber": "+01-123-456-7890",
        ]
        expectMerge(target, patch, result)
    }

    @Test func labelsAndAnnotationsOfAnObject() {
        let target: JSONValue = [
            "metadata": ["name": "web", "labels": ["app": "web", "tier": "front"], "annotations": ["a": "1"]],
            "spec": ["replicas": 1],
        ]
        let patch: JSONValue = ["metadata": ["labels": ["tier": nil, "track": "canary"], "annotations": nil]]
        let result: JSONValue = [
            "metadata": ["name": "web", "labels": ["app": "web", "track": "canary"]],
            "spec": ["replicas": 1],
        ]
        expectMerge(target, patch, result)
    }

    @Test func listsAreReplacedWhole() {
        let target: JSONValue = ["spec": ["containers": [["name": "a", "image": "a:1"], ["name": "b"]]]]
        let patch: JSONValue = ["spec": ["containers": [["name": "a", "image": "a:2"]]]]
        expectMerge(target, patch, ["spec": ["containers": [["name": "a", "image": "a:2"]]]])
    }

    /// evanphx/json-patch removes `null` members from a value it stores whole, inside arrays too; the RFC's
    /// pseudocode would keep those inside arrays.
    @Test func nullsInsideStoredValuesArePrunedAsKubeApiserverDoes() {
        expectMerge([:], ["a": [["b": nil, "c": 1], nil]], ["a": [["c": 1], nil]])
        expectMerge(["a": "x"], ["a": ["b": nil, "c": ["d": nil]]], ["a": ["c": [:]]])
        // An object replaced by a non-object takes the patch value untouched.
        expectMerge(["a": ["x": 1]], ["a": [["b": nil]]], ["a": [["b": nil]]])
    }

    @Test func deletingAMissingMemberChangesNothing() {
        expectMerge(["a": 1], ["b": nil], ["a": 1])
        expectMerge(["a": 1], ["b": ["c": nil]], ["a": 1, "b": [:]])
    }

    @Test func documentsKubeApiserverRefuses() {
        for document: JSONValue in [nil, "x", 1, true] {
            let error = #expect(throws: PatchError.self) { try JSONMergePatch.checkDocument(document) }
            #expect(error?.code == 400)
            #expect(error?.reason == "BadRequest")
            #expect(error?.message == "Invalid JSON Patch")
        }
        #expect(throws: Never.self) { try JSONMergePatch.checkDocument(["a": 1]) }
        #expect(throws: Never.self) { try JSONMergePatch.checkDocument([1]) }
    }
}
