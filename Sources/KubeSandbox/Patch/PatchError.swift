/// A PATCH body that cannot be applied, described the way kube-apiserver answers it.
///
/// ``code``, ``reason`` and ``message`` are the fields of the `Status` object the sandbox returns, and follow
/// what kube-apiserver answers for the same request, terse answers included: a JSON Patch operation that does
/// not apply is a 422 whose message is the generic "the server rejected our request due to an error in our
/// request", because kube-apiserver wraps the json-patch library's error that way. ``detail`` always says
/// exactly what went wrong (in the wording of the Go library kube-apiserver uses, where it has one), and
/// ``operationIndex`` and ``field`` locate the problem in a JSON Patch document; the server may put them in
/// `details.causes`, which kube-apiserver leaves empty.
struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code of the answer: 400, 413, 415, 422 or 500.
    var code: Int
    /// The `reason` of the `Status` (`BadRequest`, `Invalid`, ...); empty where kube-apiserver reports
    /// `StatusReasonUnknown`, which is the empty string.
    var reason: String
    /// The `message` of the `Status`, worded as kube-apiserver words it.
    var message: String
    /// What exactly went wrong; equal to ``message`` when kube-apiserver's message already says it.
    var detail: String
    /// The index of the offending operation in a JSON Patch document.
    var operationIndex: Int?
    /// The member of the offending operation (`op`, `path`, `from` or `value`).
    var field: String?

    /// The `Status` message.
    var description: String { message }
}

extension PatchError {
    /// The message kube-apiserver gives every 422 it builds with `NewGenericServerResponse`, which is how it
    /// reports JSON Patch operations that do not apply and strategic merge patches with lists of lists.
    static let genericInvalidMessage = "the server rejected our request due to an error in our request"

    /// A 400 `BadRequest` whose message is `message`, as `apierrors.NewBadRequest` builds it.
    ///
    /// - Parameter message: The message, which is also the detail.
    static func badRequest(_ message: String) -> PatchError {
        PatchError(code: 400, reason: "BadRequest", message: message, detail: message)
    }

    /// A 422 `Invalid` with kube-apiserver's generic message.
    ///
    /// - Parameters:
    ///   - detail: What went wrong.
    ///   - operationIndex: The offending JSON Patch operation, if any.
    ///   - field: The offending member of that operation, if any.
    static func invalid(_ detail: String, operationIndex: Int? = nil, field: String? = nil) -> PatchError {
        PatchError(
            code: 422, reason: "Invalid", message: genericInvalidMessage, detail: detail,
            operationIndex: operationIndex, field: field)
    }

    /// A 500 with an empty reason: what kube-apiserver answers for an error that is not an API status, which
    /// is how most strategic merge patch failures (a missing merge key, an unknown `$patch` value) reach the
    /// client.
    ///
    /// - Parameter message: The library's error text, which kube-apiserver passes through unchanged.
    static func unclassified(_ message: String) -> PatchError {
        PatchError(code: 500, reason: "", message: message, detail: message)
    }

    /// The 413 for a JSON Patch document with more operations than kube-apiserver accepts.
    ///
    /// - Parameters:
    ///   - count: The number of operations in the document.
    ///   - limit: The largest number accepted.
    static func tooManyOperations(_ count: Int, limit: Int) -> PatchError {
        let text = "The allowed maximum operations in a JSON patch is \(limit), got \(count)"
        return PatchError(
            code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: \(text)", detail: text)
    }

    /// The 415 for a patch content type the resource does not accept, such as a strategic merge patch sent to
    /// a custom resource.
    ///
    /// - Parameter accepted: The patch content types the resource accepts, in the order to list them.
    static func unsupportedMediaType(accepted: [String]) -> PatchError {
        let text =
            "the body of the request was in an unknown format - accepted media types include: "
            + accepted.joined(separator: ", ")
        return PatchError(code: 415, reason: "UnsupportedMediaType", message: text, detail: text)
    }
}
