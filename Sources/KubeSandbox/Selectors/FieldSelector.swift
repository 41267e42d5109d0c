import KubeCore

/// A parsed field selector: `field=value` and `field!=value` terms on an object's selectable fields,
/// all of which must hold.
///
/// ``parse(_:)`` follows apimachinery's `fields.ParseSelector`: terms are split at commas not preceded
/// by a backslash, each term at its first `!=`, `==` or `=`, and the value is unescaped (`\\`, `\,` and
/// `\=` stand for `\`, `,` and `=`; any other escape, or a bare `=` in the value, is an error). Field
/// names are not checked here; the caller compares ``fieldNames`` with what its resource supports and
/// answers ``SelectorError/unsupportedField(_:)``, as the server's field-label conversion does.
///
/// Two selectors are equal when they hold the same terms: terms are kept sorted and `==` is recorded
/// as `=`.
struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a term relates a field to its value.
    enum Operator: String, Sendable, Hashable {
        /// `field=value` or `field==value`.
        case equals = "="
        /// `field!=value`.
        case notEquals = "!="
    }

    /// One term on one field.
    struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The field's dotted path (`metadata.name`, `status.phase`), exactly as written: not trimmed or
        /// validated, as in apimachinery.
        let field: String
        /// Equality or inequality.
        let `operator`: Operator
        /// The unescaped value; may be empty.
        let value: String

        /// A term as given; nothing is validated.
        init(field: String, operator: Operator, value: String) {
            self.field = field
            self.operator = `operator`
            self.value = value
        }

        /// Whether `fields` satisfy this term. A field that is missing counts as the empty string, as in
        /// apimachinery, so `f=` matches it and `f!=x` matches it.
        func matches(_ fields: [String: String]) -> Bool {
            let actual = fields[field] ?? ""
            return `operator` == .equals ? actual == value : actual != value
        }

        /// The term in query syntax with its value escaped; parsing it gives the same term.
        var description: String {
            "\(field)\(`operator`.rawValue)\(FieldSelector.escape(value))"
        }
    }

    /// The terms, sorted by their printed form (``Requirement/description``).
    let requirements: [Requirement]

    /// Matches every object: the empty selector.
    static let everything = FieldSelector(sorted: [])

    /// A selector of exactly these terms (ANDed); an empty list matches everything.
    init(requirements: [Requirement]) {
        self.init(sorted: requirements.sorted { LabelSelector.precedesByBytes($0.description, $1.description) })
    }

    private init(sorted requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// True when the selector does not restrict anything.
    var isEverything: Bool { requirements.isEmpty }

    /// Every field some term names, for the caller to check against the fields its resource supports.
    var fieldNames: Set<String> { Set(requirements.map(\.field)) }

    /// Whether an object with these field values is selected (missing fields count as empty strings).
    func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields) }
    }

    /// The value `field` must have for this selector to match, when a term says `field=value`; `nil`
    /// otherwise (apimachinery's `RequiresExactMatch`). Lets a caller go straight to one object for
    /// `metadata.name=…`.
    func requiredValue(forField field: String) -> String? {
        requirements.first { $0.field == field && $0.operator == .equals }?.value
    }

    /// The selector in query syntax, terms joined by `,`; parsing it gives an equal selector.
    var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}

// MARK: - Parsing and escaping

extension FieldSelector {
    /// Parses a `fieldSelector` query parameter as apimachinery's `fields.ParseSelector` does.
    ///
    /// Empty terms (`a=b,`, the empty string) are skipped. Nothing is trimmed: `a = b` names the field
    /// `a ` with value ` b`.
    ///
    /// - Parameter text: The selector as sent.
    /// - Returns: The selector; the empty string gives ``everything``.
    /// - Throws: ``SelectorError`` with the server's message: `invalid selector: 'x'; can't understand 'x'`
    ///   for a term without an operator, `invalid field selector: invalid escape sequence: \a` or
    ///   `invalid field selector: unescaped character in value: =` for a badly escaped value.
    static func parse(_ text: String) throws(SelectorError) -> FieldSelector {
        // Sorting the raw terms first, as apimachinery does, makes which bad term is reported independent
        // of their order.
        let terms = splitTerms(text).sorted(by: LabelSelector.precedesByBytes)
        var requirements: [Requirement] = []
        for term in terms where !term.isEmpty {
            guard let (field, `operator`, rawValue) = splitTerm(term) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(Requirement(field: field, operator: `operator`, value: try unescape(rawValue)))
        }
        return FieldSelector(requirements: requirements)
    }

    /// Escapes a literal value for use in a field selector: `\` → `\\`, `,` → `\,`, `=` → `\=`
    /// (apimachinery's `EscapeValue`).
    static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            if scalar == "\\" || scalar == "," || scalar == "=" { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// Reverses ``escape(_:)`` (apimachinery's `UnescapeValue`).
    ///
    /// - Throws: ``SelectorError`` for an escape other than `\\`, `\,` and `\=`, a trailing lone `\`, or
    ///   an unescaped `,` or `=`.
    static func unescape(_ value: String) throws(SelectorError) -> String {
        var result = ""
        var escaping = false
        for scalar in value.unicodeScalars {
            if escaping {
                guard scalar == "\\" || scalar == "," || scalar == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(Character(scalar))")
                }
                result.unicodeScalars.append(scalar)
                escaping = false
                continue
            }
            switch scalar {
            case "\\":
                escaping = true
            case ",", "=":
                // apimachinery prints the code point here (`61` for `=`); the character itself says more.
                throw SelectorError("invalid field selector: unescaped character in value: \(Character(scalar))")
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        if escaping {
            throw SelectorError("invalid field selector: invalid escape sequence: \\")
        }
        return result
    }

    /// Splits at commas that are not escaped, keeping escapes in the terms for ``unescape(_:)``.
    /// Works on Unicode scalars so a backslash never merges with a following combining mark.
    private static func splitTerms(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var terms: [String] = []
        var current = String.UnicodeScalarView()
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "," {
                terms.append(String(current))
                current = String.UnicodeScalarView()
                continue
            }
            current.append(scalar)
        }
        terms.append(String(current))
        return terms
    }

    /// The field, operator and raw value of a term, split at the first place any operator starts
    /// (`!=` before `==` before `=` at the same place); `nil` when there is none.
    private static func splitTerm(_ term: String) -> (String, Operator, String)? {
        let scalars = Array(term.unicodeScalars)
        for index in scalars.indices {
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            let found: (Operator, length: Int)?
            switch scalars[index] {
            case "!" where next == "=": found = (.notEquals, 2)
            case "=" where next == "=": found = (.equals, 2)
            case "=": found = (.equals, 1)
            default: found = nil
            }
            if let (`operator`, length) = found {
                var field = String.UnicodeScalarView()
                field.append(contentsOf: scalars[..<index])
                var value = String.UnicodeScalarView()
                value.append(contentsOf: scalars[(index + length)...])
                return (String(field), `operator`, String(value))
            }
        }
        return nil
    }
}

// MARK: - Reading an object's fields

extension FieldSelector {
    /// The selectable fields of an object: `metadata.name` and `metadata.namespace` always, and each of
    /// `extra` (dotted paths such as `status.phase` or `spec.nodeName`).
    ///
    /// A missing field, or one that is `null`, an object or an array, is the empty string, which is what
    /// the server's field functions give for unset fields. Booleans read `true`/`false` and numbers in
    /// decimal, as Go's `strconv` prints them (`spec.unschedulable`, `status.replicas`).
    ///
    /// - Parameters:
    ///   - object: The object as JSON.
    ///   - extra: Further dotted paths the resource supports.
    /// - Returns: The field values by path, ready for ``matches(_:)``.
    static func fields(of object: JSONValue, extra: [String]) -> [String: String] {
        var fields: [String: String] = [:]
        for path in ["metadata.name", "metadata.namespace"] + extra {
            fields[path] = text(of: value(in: object, atPath: path))
        }
        return fields
    }

    private static func value(in object: JSONValue, atPath path: String) -> JSONValue? {
        var current: JSONValue? = object
        for member in path.split(separator: ".", omittingEmptySubsequences: false) {
            current = current?[String(member)]
        }
        return current
    }

    private static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case .integer(let number)?: String(number)
        case .double(let number)?:
            // Whole numbers print without a fraction, as an integer field would.
            number.rounded() == number && abs(number) < 9.2e18 ? String(Int64(number)) : String(number)
        case nil, .null?, .array?, .object?: ""
        }
    }
}
