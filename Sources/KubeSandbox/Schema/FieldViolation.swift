import KubeCore

/// One field-level problem with a request, shaped as a kube-apiserver reports it.
///
/// This mirrors `field.Error` of k8s.io/apimachinery: ``path`` is the field (`spec.ports[0].name`),
/// ``reason`` is the cause type a `Status` carries in `details.causes[].reason`, and ``message`` is the
/// body without the path (`Invalid value: 40: spec.replicas in body should be less than or equal to 31`),
/// which is what `details.causes[].message` carries. ``description`` joins the two as the apiserver does in
/// the top-level `Status.message` (`spec.replicas: Invalid value: 40: ...`).
struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// Kubernetes' cause types (`metav1.CauseType`), which equal apimachinery's `field.ErrorType` values.
    enum Reason: String, Sendable, Hashable, CaseIterable {
        /// A referenced value does not exist.
        case notFound = "FieldValueNotFound"
        /// A required value is missing.
        case required = "FieldValueRequired"
        /// A value that must be unique is repeated.
        case duplicate = "FieldValueDuplicate"
        /// A value is malformed or out of range.
        case invalid = "FieldValueInvalid"
        /// A value is not one of an enumeration.
        case notSupported = "FieldValueNotSupported"
        /// A value is not permitted here.
        case forbidden = "FieldValueForbidden"
        /// A string is too long.
        case tooLong = "FieldValueTooLong"
        /// A list or map has too many entries.
        case tooMany = "FieldValueTooMany"
        /// The server failed, not the request.
        case internalError = "InternalError"
        /// A value does not have the schema's type (or string format).
        case typeInvalid = "FieldValueTypeInvalid"

        /// The words a message of this reason starts with (`Required value`, `Invalid value`).
        ///
        /// A type mismatch reads `Invalid value` too: the apiserver only tells the two apart by the reason.
        var summary: String {
            switch self {
            case .notFound: "Not found"
            case .required: "Required value"
            case .duplicate: "Duplicate value"
            case .invalid, .typeInvalid: "Invalid value"
            case .notSupported: "Unsupported value"
            case .forbidden: "Forbidden"
            case .tooLong: "Too long"
            case .tooMany: "Too many"
            case .internalError: "Internal error"
            }
        }
    }

    /// The offending field, as `field.Path` prints it: `spec.ports[0].name`, `metadata.labels[app]`, or
    /// `<nil>` for an error that names no field.
    var path: String
    /// The cause type.
    var reason: Reason
    /// The message without the path, as `details.causes[].message` carries it.
    var message: String

    /// Creates a violation from its parts; prefer the static constructors, which build the message.
    init(path: String, reason: Reason, message: String) {
        self.path = path
        self.reason = reason
        self.message = message
    }

    /// `path: message`, as one entry of an apiserver's `... is invalid: [...]` message.
    var description: String { "\(path): \(message)" }
}

// MARK: - Constructors mirroring apimachinery's field package

extension FieldViolation {
    /// A required value is missing (`field.Required`); the message is `Required value` plus the detail.
    static func required(_ path: FieldPath, _ detail: String = "") -> FieldViolation {
        make(path, .required, value: nil, detail: detail)
    }

    /// A value is malformed (`field.Invalid`): `Invalid value: <value>: <detail>`.
    static func invalid(_ path: FieldPath, _ value: JSONValue, _ detail: String) -> FieldViolation {
        make(path, .invalid, value: value, detail: detail)
    }

    /// A value does not have the schema's type (`field.TypeInvalid`): `Invalid value: <value>: <detail>`.
    static func typeInvalid(_ path: FieldPath, _ value: JSONValue, _ detail: String) -> FieldViolation {
        make(path, .typeInvalid, value: value, detail: detail)
    }

    /// A value is not one of an enumeration (`field.NotSupported`):
    /// `Unsupported value: "x": supported values: "a", "b"`.
    static func notSupported(_ path: FieldPath, _ value: JSONValue, supported: [String]) -> FieldViolation {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(GoText.quote).joined(separator: ", ")
        return make(path, .notSupported, value: value, detail: detail)
    }

    /// A value is not permitted here (`field.Forbidden`): `Forbidden: <detail>`.
    static func forbidden(_ path: FieldPath, _ detail: String) -> FieldViolation {
        make(path, .forbidden, value: nil, detail: detail)
    }

    /// A value collides with another that must be unique (`field.Duplicate`): `Duplicate value: <value>`.
    static func duplicate(_ path: FieldPath, _ value: JSONValue) -> FieldViolation {
        make(path, .duplicate, value: value, detail: "")
    }

    /// A referenced value does not exist (`field.NotFound`): `Not found: <value>`.
    static func notFound(_ path: FieldPath, _ value: JSONValue) -> FieldViolation {
        make(path, .notFound, value: value, detail: "")
    }

    /// A string is too long (`field.TooLong`); the value itself is never printed.
    /// A negative `maxLength` gives the generic `value is too long`.
    static func tooLong(_ path: FieldPath, maxLength: Int) -> FieldViolation {
        let detail = maxLength >= 0 ? "may not be more than \(maxLength) bytes" : "value is too long"
        return make(path, .tooLong, value: nil, detail: detail)
    }

    /// A list or map has too many entries (`field.TooMany`): `Too many: 4: must have at most 3 items`.
    /// Negative quantities are left out of the message, as the apiserver does.
    static func tooMany(_ path: FieldPath, actual: Int, max: Int) -> FieldViolation {
        let detail = max >= 0 ? "must have at most \(max) items" : "has too many items"
        let value: JSONValue? = actual >= 0 ? .integer(Int64(actual)) : Optional.none
        return make(path, .tooMany, value: value, detail: detail)
    }

    /// Something went wrong that is not the client's fault (`field.InternalError`).
    static func internalError(_ path: FieldPath, _ detail: String) -> FieldViolation {
        make(path, .internalError, value: nil, detail: detail)
    }

    /// Builds the body as `field.Error.ErrorBody` does: reasons that never show the value print only their
    /// summary; the others print the value with Go's formatting; a detail follows after `: `.
    private static func make(_ path: FieldPath, _ reason: Reason, value: JSONValue?, detail: String) -> FieldViolation {
        var body = reason.summary
        switch reason {
        case .required, .forbidden, .tooLong, .internalError:
            break
        default:
            if let value { body += ": " + GoText.value(value) }
        }
        if !detail.isEmpty { body += ": " + detail }
        return FieldViolation(path: path.description, reason: reason, message: body)
    }
}

// MARK: - Field paths

/// A field path built as apimachinery's `field.Path` builds one: `child` adds `.name`, `key` adds `[key]`,
/// `index` adds `[3]`; the empty root prints as `<nil>`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The rendered path, or `nil` for the root.
    private let rendered: String?

    /// The root: no field at all.
    static let root = FieldPath(rendered: nil)

    private init(rendered: String?) { self.rendered = rendered }

    /// A path that starts with `name` (which may itself contain dots, as `field.NewPath` allows).
    init(_ name: String) { self.rendered = name }

    /// Whether this is the root.
    var isRoot: Bool { rendered == nil }

    /// This path followed by the field `name`.
    func child(_ name: String) -> FieldPath {
        FieldPath(rendered: rendered.map { "\($0).\(name)" } ?? name)
    }

    /// This path followed by the map key `key`, in brackets.
    func key(_ key: String) -> FieldPath {
        FieldPath(rendered: (rendered ?? "") + "[\(key)]")
    }

    /// This path followed by the list index `index`, in brackets.
    func index(_ index: Int) -> FieldPath {
        FieldPath(rendered: (rendered ?? "") + "[\(index)]")
    }

    var description: String { rendered ?? "<nil>" }
}

// MARK: - Go's text formatting

/// Renders values the way the Go code behind the apiserver's messages does, so that messages match byte for
/// byte: `%q` for strings, `%v` for numbers and JSON (`encoding/json`) for lists and objects.
enum GoText {
    /// A value as `field.Error` prints a bad value: strings quoted, numbers and Booleans bare, `null`, and
    /// lists and objects as JSON (Kubernetes 1.34 and later; earlier releases printed Go syntax).
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number): float(number)
        case .string(let text): quote(text)
        case .array, .object: json(value)
        }
    }

    /// `strconv.Quote`: double quotes, Go escapes, and `\x`/`\u`/`\U` for characters that are not printable.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// `%v` of a `float64`: the shortest digits, in exponent form when the decimal exponent is below -4 or at
    /// least 6, as `strconv`'s shortest `%g` decides (`1e+06`, `123456`, `0.0001`, `1e-05`, `31`).
    static func float(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-Inf" : "+Inf") }
        let decimal = ShortestDecimal(number)
        let exponent = decimal.point - 1
        if exponent < -4 || exponent >= 6 {
            return decimal.exponentForm(decimals: decimal.digits.count - 1, minimumExponentDigits: 2)
        }
        return decimal.fixedForm()
    }

    /// A `float64` as `encoding/json` writes it: fixed notation unless the magnitude is below 1e-6 or at
    /// least 1e21, with exponents like `1e-7` and `1e+21`.
    static func jsonFloat(_ number: Double) -> String {
        guard number.isFinite else { return "null" }  // JSON has no such numbers; Go would fail instead.
        let magnitude = abs(number)
        let decimal = ShortestDecimal(number)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            return decimal.exponentForm(decimals: decimal.digits.count - 1, minimumExponentDigits: 1)
        }
        return decimal.fixedForm()
    }

    /// `json.Marshal` of a JSON tree: compact, object keys sorted by bytes, HTML-safe string escapes.
    static func json(_ value: JSONValue) -> String {
        var out = ""
        writeJSON(value, into: &out)
        return out
    }

    private static func writeJSON(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .integer(let number): out += String(number)
        case .double(let number): out += jsonFloat(number)
        case .string(let text): writeJSONString(text, into: &out)
        case .array(let elements):
            out += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out += "," }
                writeJSON(element, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (offset, key) in sortedKeys(members).enumerated() {
                if offset > 0 { out += "," }
                writeJSONString(key, into: &out)
                out += ":"
                writeJSON(members[key] ?? .null, into: &out)
            }
            out += "}"
        }
    }

    private static func writeJSONString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            // Go escapes these by default so that JSON can be embedded in HTML.
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Keys in Go's `sort.Strings` order (bytewise), which also is the order `json.Marshal` writes them in.
    static func sortedKeys<Value>(_ members: [String: Value]) -> [String] {
        members.keys.sorted(by: goLess)
    }

    /// Go's string ordering: bytewise comparison of the UTF-8 encodings.
    static func goLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// The shortest decimal digits that round-trip a `Double`, with the position of the decimal point, as Go's
/// `strconv` works with them (`digits` "15", `point` 2 is 15; `point` -1 is 0.015).
private struct ShortestDecimal {
    var negative: Bool
    /// Significant digits without leading or trailing zeros; "0" for zero.
    var digits: [Character]
    /// Where the decimal point goes, counted from the left of `digits`.
    var point: Int

    init(_ number: Double) {
        negative = number.sign == .minus && number != 0
        // Swift's description already is the shortest round-tripping form; only its layout differs from Go's.
        let text = abs(number).description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? "0"
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var all: [Character] = []
        var integerDigits = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
            } else if character.isNumber {
                all.append(character)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var point = integerDigits + exponent
        while let first = all.first, first == "0", all.count > 1 {
            all.removeFirst()
            point -= 1
        }
        while let last = all.last, last == "0", all.count > 1 {
            all.removeLast()
        }
        if all.isEmpty || all == ["0"] {
            // Zero (and, defensively, anything without digits) prints as "0".
            all = ["0"]
            point = 1
        }
        self.digits = all
        self.point = point
    }

    /// `d.ddde±XX`, with `decimals` digits after the point and at least `minimumExponentDigits` exponent digits.
    func exponentForm(decimals: Int, minimumExponentDigits: Int) -> String {
        var out = negative ? "-" : ""
        out.append(digits[0])
        if decimals > 0 {
            out += "."
            for offset in 1...decimals { out.append(offset < digits.count ? digits[offset] : "0") }
        }
        let exponent = digits == ["0"] ? 0 : point - 1
        out += exponent < 0 ? "e-" : "e+"
        let magnitude = String(abs(exponent))
        out += String(repeating: "0", count: max(0, minimumExponentDigits - magnitude.count)) + magnitude
        return out
    }

    /// Fixed notation with exactly the significant digits (`1000000`, `0.015`).
    func fixedForm() -> String {
        var out = negative ? "-" : ""
        if point > 0 {
            for offset in 0..<point { out.append(offset < digits.count ? digits[offset] : "0") }
        } else {
            out += "0"
        }
        let decimals = max(digits.count - point, 0)
        if decimals > 0 {
            out += "."
            for offset in 0..<decimals {
                let index = point + offset
                out.append(index >= 0 && index < digits.count ? digits[index] : "0")
            }
        }
        return out
    }
}
