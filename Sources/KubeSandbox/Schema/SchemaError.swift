/// Why a CustomResourceDefinition version's `schema.openAPIV3Schema` was refused.
///
/// It carries every problem found, as the apiserver's CRD validation does, so the sandbox can answer a CRD
/// create or update with a 422 `Invalid` Status whose `details.causes` list them all (paths such as
/// `spec.versions[0].schema.openAPIV3Schema.properties[spec].type`, depending on the path given to
/// ``StructuralSchema/parse(_:path:)``).
struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by their text as `ValidateStructural` sorts its errors; never empty.
    var violations: [FieldViolation]

    /// Creates an error from its problems.
    init(violations: [FieldViolation]) {
        self.violations = violations
    }

    /// One problem as is, several as `[a, b]`, duplicates dropped: the way an apimachinery error aggregate
    /// prints, which is what follows `... is invalid: ` in the Status message.
    var description: String {
        var seen = Set<String>()
        let texts = violations.map(\.description).filter { seen.insert($0).inserted }
        return texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
    }
}
