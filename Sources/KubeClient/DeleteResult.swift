import Foundation
import KubeCore

/// What a delete returned: the object, while finalizers or graceful termination keep it around,
/// or a `Status` once it is gone.
public enum DeleteResult<Object: Decodable & Sendable>: Sendable {
    /// The object still exists, now with `metadata.deletionTimestamp` set.
    case pending(Object)
    /// The server reported the deletion with a `Status` (`status: Success`).
    case deleted(Status)

    /// Decodes a delete response, which is either a `v1 Status` or the object.
    static func decode(_ body: Data, request: KubeRequest) throws(KubeError) -> DeleteResult {
        let probe = try? JSONDecoder().decode(TypeProbe.self, from: body)
        if probe?.kind == "Status", probe?.apiVersion == "v1" {
            return .deleted(try KubeClient.decode(Status.self, from: body, request: request))
        }
        return .pending(try KubeClient.decode(Object.self, from: body, request: request))
    }

    private struct TypeProbe: Decodable {
        var apiVersion: String?
        var kind: String?
    }
}
