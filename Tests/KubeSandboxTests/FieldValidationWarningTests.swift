import Foundation
import KubeCore
import Testing

@testable import KubeSandbox

/// `fieldValidation=Warn` (the default): a custom resource's unknown fields are dropped and named in a
/// `Warning` header, as kubectl prints them; `Ignore` drops them silently, `Strict` refuses them.
@Suite struct FieldValidationWarningTests {
    private func send(_ api: SandboxAPI, _ token: String, _ method: String, _ path: String, _ body: JSONValue) -> (Int, [String: String]) {
        let request = APIRequest(
            method: method, target: path, headers: ["authorization": "Bearer \(token)", "content-type": "application/json"],
            body: JSONBody.serialize(body))
        guard case .json(let status, _, let headers) = api.handle(request) else { return (0, [:]) }
        return (status, headers)
    }

    @Test func droppedUnknownFieldsAreNamedInAWarningUnlessIgnored() throws {
        let users = SandboxUsers()
        let api = SandboxAPI(sandbox: Sandbox(), users: users)
        let group = "warn.example.com"
        let (created, _) = send(api, users.adminToken, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CustomResourceTests.definition(group: group))
        #expect(created == 201)
        let collection = "/apis/\(group)/v1/namespaces/default/widgets"
        var widget = CustomResourceTests.widget("w", spec: ["size": "small", "colour": "red"], group: group)
        let (status, headers) = send(api, users.adminToken, "POST", collection, widget)
        #expect(status == 201)
        #expect(headers["Warning"] == #"299 - "unknown field \"spec.colour\"""#)

        widget[member: "metadata"] = ["name": "quiet"]
        let (quiet, none) = send(api, users.adminToken, "POST", collection + "?fieldValidation=Ignore", widget)
        #expect(quiet == 201)
        #expect(none["Warning"] == nil)

        widget[member: "metadata"] = ["name": "strict"]
        let (refused, _) = send(api, users.adminToken, "POST", collection + "?fieldValidation=Strict", widget)
        #expect(refused == 400)
    }
}
