import Foundation
import KubeCore

/// What a delete returned, in the API server's terms.
///
/// A `DELETE` that succeeds answers 200 (or 202, when the deprecated `orphanDependents: false` was
/// given and the object was not removed at once) with one of two bodies:
/// - a `v1 Status` with `status: Success`: the object was removed from storage by this request;
/// - the object itself. Either deletion was only started (finalizers remain, or the kind deletes
///   gracefully, as a scheduled Pod waits for its kubelet), so the object now carries
///   `metadata.deletionTimestamp` and will go later; or the kind returns the deleted object even
///   when it is gone at once (a Pod that was never scheduled is removed immediately and still
///   comes back here, with a `deletionTimestamp`).
///
/// So an ``accepted(_:)`` result does not say whether the object still exists. A caller that must
/// know waits for it to be gone: `get` until ``KubeError/Code/notFound``, or watch for its
/// `DELETED` event (with a uid precondition, so that a new object of the same name is not
/// mistaken for the old one).
public enum DeleteResult<Object: Decodable & Sendable>: Sendable {
    /// The server returned the object: deletion was accepted, and the object may or may not still
    /// exist (see above). It is the object as the server last stored it.
    case accepted(Object)
    /// The server returned a `Status` (`status: Success`): the object is gone.
    case deleted(Status)

    /// Decodes a delete response, which is either a `v1 Status` or the object.
    static func decode(_ body: Data, request: KubeRequest) throws(KubeError) -> DeleteResult {
        let probe = try? JSONDecoder().decode(TypeProbe.self, from: body)
        if probe?.kind == "Status", probe?.apiVersion == "v1" {
            return .deleted(try KubeClient.decode(Status.self, from: body, request: request))
        }
        return .accepted(try KubeClient.decode(Object.self, from: body, request: request))
    }

    private struct TypeProbe: Decodable {
        var apiVersion: String?
        var kind: String?
    }
}
