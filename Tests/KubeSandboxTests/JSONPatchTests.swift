import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct JSONPatchTests {
    private func patched(_ target: JSONValue, _ document: JSONValue) throws(PatchError) -> JSONValue {
        try JSONPatch.apply(document, to: target)
    }

    private func failure(_ target: JSONValue, _ document: JSONValue) -> PatchError? {
        #expect(throws: PatchError.self) { try JSONPatch.apply(document, to: target) }
    }

    // MARK: RFC 6902 appendix A

    @Test func a1AddingAnObjectMember() throws {
        let result = try patched(["foo": "bar"], [["op": "add", "path": "/baz", "value": "qux"]])
        #expect(result == ["baz": "qux", "foo": "bar"])
    }

    @Test func a2AddingAnArrayElement() throws {
        let result = try patched(["foo": ["bar", "baz"]], [["op": "add", "path": "/foo/1", "value": "qux"]])
        #expect(result == ["foo": ["bar", "qux", "baz"]])
    }

    @Test func a3RemovingAnObjectMember() throws {
        let result = try patched(["baz": "qux", "foo": "bar"], [["op": "remove", "path": "/baz"]])
        #expect(result == ["foo": "bar"])
    }

    @Test func a4RemovingAnArrayElement() throws {
        let result = try patched(["foo": ["bar", "qux", "baz"]], [["op": "remove", "path": "/foo/1"]])
        #expect(result == ["foo": ["bar", "baz"]])
    }

    @Test func a5ReplacingAValue() throws {
        let result = try patched(["baz": "qux", "foo": "bar"], [["op": "replace", "path": "/baz", "value": "boo"]])
        #expect(result == ["baz": "boo", "foo": "bar"])
    }

    @Test func a6MovingAValue() throws {
        let target: JSONValue = ["foo": ["bar": "baz", "waldo": "fred"], "qux": ["corge": "grault"]]
        let result = try patched(target, [["op": "move", "from": "/foo/waldo", "path": "/qux/thud"]])
        #expect(result == ["foo": ["bar": "baz"], "qux": ["corge": "grault", "thud": "fred"]])
    }

    @Test func a7MovingAnArrayElement() throws {
        let result = try patched(
            ["foo": ["all", "grass", "cows", "eat"]], [["op": "move", "from": "/foo/1", "path": "/foo/3"]])
        #expect(result == ["foo": ["all", "cows", "eat", "grass"]])
    }

    @Test func a8TestingAValueSuccess() throws {
        let target: JSONValue = ["baz": "qux", "foo": ["a", 2, "c"]]
        let document: JSONValue = [
            ["op": "test", "path": "/baz", "value": "qux"],
            ["op": "test", "path": "/foo/1", "value": 2],
        ]
        #expect(try patched(target, document) == target)
    }

    @Test func a9TestingAValueError() {
        let error = failure(["baz": "qux"], [["op": "test", "path": "/baz", "value": "bar"]])
        #expect(error?.code == 422)
        #expect(error?.reason == "Invalid")
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.operationIndex == 0)
        #expect(error?.field == "value")
        #expect(error?.detail == "operation 0 (test): testing value /baz failed: test failed")
    }

    @Test func a10AddingANestedMemberObject() throws {
        let result = try patched(["foo": "bar"], [["op": "add", "path": "/child", "value": ["grandchild": [:]]]])
        #expect(result == ["foo": "bar", "child": ["grandchild": [:]]])
    }

    @Test func a11IgnoringUnrecognizedElements() throws {
        let result = try patched(["foo": "bar"], [["op": "add", "path": "/baz", "value": "qux", "xyz": 123]])
        #expect(result == ["foo": "bar", "baz": "qux"])
    }

    @Test func a12AddingToANonexistentTarget() {
        let error = failure(["foo": "bar"], [["op": "add", "path": "/baz/bat", "value": "qux"]])
        #expect(error?.code == 422)
        #expect(error?.field == "path")
        #expect(error?.detail == "operation 0 (add): add operation does not apply: doc is missing path: \"/baz/bat\": missing value")
    }

    // A.13 (an operation with two "op" members) cannot be expressed once decoded to a JSONValue.

    @Test func a14TildeEscapeOrdering() throws {
        let target: JSONValue = ["/": 9, "~1": 10]
        #expect(try patched(target, [["op": "test", "path": "/~01", "value": 10]]) == target)
    }

    @Test func a15ComparingStringsAndNumbers() {
        let error = failure(["/": 9, "~1": 10], [["op": "test", "path": "/~01", "value": "10"]])
        #expect(error?.code == 422)
        #expect(error?.operationIndex == 0)
    }

    @Test func a16AddingAnArrayValue() throws {
        let result = try patched(["foo": ["bar"]], [["op": "add", "path": "/foo/-", "value": ["abc", "def"]]])
        #expect(result == ["foo": ["bar", ["abc", "def"]]])
    }

    // MARK: Pointers

    @Test func pointersUnescapeAndEscape() throws {
        let pointer = try #require(JSONPatch.Pointer("/metadata/labels/app.kubernetes.io~1name/~0x"))
        #expect(pointer.tokens == ["metadata", "labels", "app.kubernetes.io/name", "~x"])
        #expect(pointer.description == "/metadata/labels/app.kubernetes.io~1name/~0x")
        #expect(JSONPatch.Pointer("")?.tokens == [])
        #expect(JSONPatch.Pointer("/")?.tokens == [""])
        #expect(JSONPatch.Pointer("a/b") == nil)
        #expect(JSONPatch.Pointer("/a~2") == nil)
        #expect(JSONPatch.Pointer("/a~") == nil)
    }

    @Test func theEmptyPointerIsTheWholeDocument() throws {
        #expect(try patched(["a": 1], [["op": "replace", "path": "", "value": ["b": 2]]]) == ["b": 2])
        #expect(try patched(["a": 1], [["op": "test", "path": "", "value": ["a": 1]]]) == ["a": 1])
        #expect(try patched(["a": 1], [["op": "copy", "from": "", "path": "/self"]]) == ["a": 1, "self": ["a": 1]])
        #expect(failure(["a": 1], [["op": "remove", "path": ""]])?.code == 422)
    }

    // MARK: Operations

    @Test func operationsApplyInOrderOnAnObject() throws {
        let target: JSONValue = [
            "metadata": ["name": "web", "labels": ["app": "web"]],
            "spec": ["replicas": 1, "template": ["spec": ["containers": [["name": "app", "image": "app:v1"]]]]],
        ]
        let document: JSONValue = [
            ["op": "test", "path": "/spec/replicas", "value": 1],
            ["op": "replace", "path": "/spec/replicas", "value": 3],
            ["op": "add", "path": "/metadata/labels/app.kubernetes.io~1part-of", "value": "shop"],
            ["op": "copy", "from": "/spec/template/spec/containers/0", "path": "/spec/template/spec/containers/-"],
            ["op": "replace", "path": "/spec/template/spec/containers/1/name", "value": "copy"],
            ["op": "remove", "path": "/metadata/labels/app"],
        ]
        let result = try patched(target, document)
        #expect(
            result == [
                "metadata": ["name": "web", "labels": ["app.kubernetes.io/part-of": "shop"]],
                "spec": [
                    "replicas": 3,
                    "template": [
                        "spec": ["containers": [["name": "app", "image": "app:v1"], ["name": "copy", "image": "app:v1"]]]
                    ],
                ],
            ])
    }

    @Test func aFailingOperationLeavesTheTargetUnchanged() {
        let target: JSONValue = ["a": 1, "b": ["c": 2]]
        let document: JSONValue = [
            ["op": "replace", "path": "/a", "value": 9],
            ["op": "remove", "path": "/b/missing"],
        ]
        let error = failure(target, document)
        #expect(error?.operationIndex == 1)
        #expect(error?.detail == "operation 1 (remove): error in remove for path: '/b/missing': Unable to remove nonexistent key: missing: missing value")
        #expect(target == ["a": 1, "b": ["c": 2]])
    }

    @Test func moveIntoItsOwnChildFails() {
        let error = failure(["a": ["b": 1]], [["op": "move", "from": "/a", "path": "/a/b/c"]])
        #expect(error?.code == 422)
        #expect(error?.field == "path")
    }

    @Test func moveFromAMissingLocationFails() {
        let error = failure(["a": 1], [["op": "move", "from": "/x/y", "path": "/b"]])
        #expect(error?.field == "from")
        #expect(error?.detail == "operation 0 (move): move operation does not apply: doc is missing from path: /x/y: missing value")
    }

    @Test func copyFromAMissingMemberFails() {
        let error = failure(["a": 1], [["op": "copy", "from": "/x", "path": "/b"]])
        #expect(error?.field == "from")
    }

    @Test func arrayIndicesAreChecked() {
        let target: JSONValue = ["foo": ["a", "b"]]
        let beyond = failure(target, [["op": "add", "path": "/foo/3", "value": "x"]])
        #expect(beyond?.detail == "operation 0 (add): error in add for path: '/foo/3': Unable to access invalid index: 3: invalid index referenced")
        #expect(failure(target, [["op": "add", "path": "/foo/x", "value": "x"]])?.code == 422)
        #expect(failure(target, [["op": "replace", "path": "/foo/2", "value": "x"]])?.code == 422)
        #expect(failure(target, [["op": "remove", "path": "/foo/-"]])?.code == 422)
        #expect(failure(target, [["op": "test", "path": "/foo/5", "value": "x"]])?.code == 422)
    }

    @Test func addingAtTheEndOfAnArray() throws {
        #expect(try patched(["foo": ["a"]], [["op": "add", "path": "/foo/1", "value": "b"]]) == ["foo": ["a", "b"]])
        #expect(try patched(["foo": []], [["op": "add", "path": "/foo/-", "value": "b"]]) == ["foo": ["b"]])
    }

    /// json-patch v4, which kube-apiserver uses, counts negative indices from the end.
    @Test func negativeIndicesCountFromTheEnd() throws {
        let target: JSONValue = ["foo": ["a", "b", "c"]]
        #expect(try patched(target, [["op": "remove", "path": "/foo/-1"]]) == ["foo": ["a", "b"]])
        #expect(try patched(target, [["op": "replace", "path": "/foo/-3", "value": "x"]]) == ["foo": ["x", "b", "c"]])
        #expect(try patched(target, [["op": "add", "path": "/foo/-1", "value": "d"]]) == ["foo": ["a", "b", "c", "d"]])
        #expect(failure(target, [["op": "remove", "path": "/foo/-4"]])?.code == 422)
    }

    /// json-patch v4 replaces a missing object member by adding it, and reads a missing member as `null`.
    @Test func kubeApiserverLeniencies() throws {
        #expect(try patched(["a": 1], [["op": "replace", "path": "/b", "value": 2]]) == ["a": 1, "b": 2])
        #expect(try patched(["a": 1], [["op": "test", "path": "/b", "value": nil]]) == ["a": 1])
        #expect(failure(["a": 1], [["op": "test", "path": "/b", "value": 1]])?.code == 422)
        #expect(failure(["a": 1], [["op": "replace", "path": "/x/y", "value": 2]])?.code == 422)
    }

    @Test func testComparesNumbersByValueAndObjectsByMembers() throws {
        let target: JSONValue = ["n": 1, "o": ["x": 1, "y": [true, nil]]]
        #expect(try patched(target, [["op": "test", "path": "/n", "value": 1.0]]) == target)
        #expect(try patched(target, [["op": "test", "path": "/o", "value": ["y": [true, nil], "x": 1]]]) == target)
        #expect(failure(target, [["op": "test", "path": "/o", "value": ["x": 1]]]) != nil)
        #expect(failure(target, [["op": "test", "path": "/n", "value": 1.5]]) != nil)
    }

    @Test func explicitNullValues() throws {
        #expect(try patched(["a": 1], [["op": "add", "path": "/b", "value": nil]]) == ["a": 1, "b": nil])
        #expect(try patched(["a": nil], [["op": "test", "path": "/a", "value": nil]]) == ["a": nil])
    }

    // MARK: Parsing

    @Test func parsesOperations() throws {
        let patch = try JSONPatch.parse([
            ["op": "add", "path": "/a", "value": 1],
            ["op": "move", "from": "/a", "path": "/b"],
        ])
        #expect(
            patch.operations == [
                .add(path: JSONPatch.Pointer(tokens: ["a"]), value: 1),
                .move(from: JSONPatch.Pointer(tokens: ["a"]), path: JSONPatch.Pointer(tokens: ["b"])),
            ])
        #expect(try JSONPatch(document: nil).operations.isEmpty)
    }

    @Test func documentsThatAreNotArraysOfObjects() {
        let object = #expect(throws: PatchError.self) { try JSONPatch.parse(["op": "add"]) }
        #expect(object?.code == 400)
        #expect(object?.reason == "BadRequest")
        #expect(object?.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        let element = #expect(throws: PatchError.self) { try JSONPatch.parse([["op": "add", "path": "/a", "value": 1], "x"]) }
        #expect(element?.code == 400)
        #expect(element?.message == "json: cannot unmarshal string into Go value of type jsonpatch.Operation")
    }

    @Test func badOperationsNameTheirIndexAndField() {
        func parseError(_ document: JSONValue) -> PatchError? {
            #expect(throws: PatchError.self) { try JSONPatch.parse(document) }
        }
        let valid: JSONValue = ["op": "add", "path": "/a", "value": 1]

        let unknown = parseError([valid, ["op": "merge", "path": "/a"]])
        #expect(unknown?.code == 422)
        #expect(unknown?.operationIndex == 1)
        #expect(unknown?.field == "op")
        #expect(unknown?.detail == "operation 1 (merge): Unexpected kind: merge")

        let noOp = parseError([["path": "/a"]])
        #expect(noOp?.operationIndex == 0)
        #expect(noOp?.field == "op")

        let noPath = parseError([valid, valid, ["op": "remove"]])
        #expect(noPath?.operationIndex == 2)
        #expect(noPath?.field == "path")
        #expect(noPath?.detail == "operation 2 (remove): remove operation failed to decode path: missing value")

        let badPath = parseError([["op": "remove", "path": "a/b"]])
        #expect(badPath?.field == "path")
        #expect(parseError([["op": "remove", "path": 3]])?.field == "path")

        let noFrom = parseError([["op": "copy", "path": "/a"]])
        #expect(noFrom?.field == "from")

        let noValue = parseError([["op": "replace", "path": "/a"]])
        #expect(noValue?.field == "value")
        #expect(noValue?.code == 422)
    }

    @Test func tooManyOperations() {
        let document = JSONValue.array(Array(repeating: ["op": "test", "path": "", "value": nil], count: 10_001))
        let error = #expect(throws: PatchError.self) { try JSONPatch.parse(document) }
        #expect(error?.code == 413)
        #expect(error?.message == "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
    }
}
