/// A label or field selector that cannot be parsed or built, worded as kube-apiserver words it.
///
/// The server answers such a list or watch with `400 BadRequest` and puts this text as the Status
/// `message`, so ``message`` copies apimachinery's wording (`unable to parse requirement: …`,
/// `found 'x', expected: …`, `invalid selector: …`, `field label not supported: …`). Clients and tests
/// that compare against a real server see the same shape.
struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The complete message, ready for the Status `message` field.
    let message: String

    /// Makes an error with exactly this message.
    init(_ message: String) {
        self.message = message
    }

    var description: String { message }

    /// The error for a field selector naming a field the resource cannot be selected on.
    ///
    /// This is what a field-label conversion (built-in kinds and custom resources alike) returns; the
    /// caller checks ``FieldSelector/fieldNames`` against the fields its resource supports.
    static func unsupportedField(_ label: String) -> SelectorError {
        SelectorError("field label not supported: \(label)")
    }

    // MARK: - Values inside messages, printed as apimachinery's `field.Error` prints a bad value

    /// A string as Go's `%q` prints it; the schema errors' quoting, so both kinds of message agree.
    static func quoted(_ value: String) -> String {
        GoText.quote(value)
    }

    /// A list of strings as the server prints it (JSON); an empty list is `null`, because the list
    /// apimachinery validates is a nil slice when a selector gave no values.
    static func quotedList(_ values: [String]) -> String {
        guard !values.isEmpty else { return "null" }
        return "[" + values.map(quoted).joined(separator: ",") + "]"
    }
}
