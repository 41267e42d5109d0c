import KubeCore

/// A parsed label selector: requirements on an object's labels, all of which must hold.
///
/// Built from the `labelSelector` query parameter with ``parse(_:)`` (apimachinery's `labels.Parse`) or
/// from a `meta/v1 LabelSelector` object with ``init(matchLabels:matchExpressions:)`` (apimachinery's
/// `LabelSelectorAsSelector`). Either way the requirements are validated as the API server validates
/// them, and ``matches(_:)`` answers exactly as the server's selector does, including that `!=` and
/// `notin` hold when the label is absent.
///
/// Two selectors are equal when they select the same way: requirements are kept sorted by key, values
/// sorted and without duplicates, and `==` is recorded as `=`.
///
/// In this module the name shadows `KubeCore.LabelSelector` (the Codable model of the object form);
/// write `KubeCore.LabelSelector` for that one.
struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a requirement relates a label to its values. Raw values are apimachinery's
    /// `selection.Operator` spellings, which also appear in error messages.
    enum Operator: String, Sendable, Hashable {
        /// `key in (a,b)`: the label is present with one of the values.
        case `in` = "in"
        /// `key notin (a,b)`: the label is absent, or present with none of the values.
        case notIn = "notin"
        /// `key=value` or `key==value`: the label is present with this value.
        case equals = "="
        /// `key!=value`: the label is absent, or present with another value.
        case notEquals = "!="
        /// `key`: the label is present, with any value.
        case exists = "exists"
        /// `!key`: the label is absent.
        case doesNotExist = "!"
        /// `key>3`: the label is present and, read as a 64-bit integer, greater than the value.
        case greaterThan = "gt"
        /// `key<3`: the label is present and, read as a 64-bit integer, less than the value.
        case lessThan = "lt"
    }

    /// One requirement on one label; only constructible valid.
    struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The label key, a valid qualified name.
        let key: String
        /// How the label must relate to ``values``.
        let `operator`: Operator
        /// The values, sorted by their UTF-8 bytes and without duplicates: one for `=`, `!=`, `gt` and
        /// `lt`, at least one for `in` and `notin`, none for `exists` and `!`.
        let values: [String]

        /// Validates a requirement as apimachinery's `NewRequirement` does.
        ///
        /// - Parameters:
        ///   - key: The label key; must be a qualified name.
        ///   - operator: The operator.
        ///   - values: The values in the order given; each must be a valid label value, and their number
        ///     must suit the operator (`gt`/`lt` values must also be integers).
        /// - Throws: ``SelectorError`` naming every problem (`key: Invalid value: …`,
        ///   `values[0][key]: Invalid value: …`), in brackets when there are several.
        init(key: String, operator: Operator, values: [String]) throws(SelectorError) {
            var problems: [String] = []
            let keyProblems = LabelSelector.keyProblems(key)
            if !keyProblems.isEmpty {
                problems.append("key: Invalid value: \(SelectorError.quoted(key)): \(keyProblems.joined(separator: "; "))")
            }
            let listed = SelectorError.quotedList(values)
            switch `operator` {
            case .in, .notIn:
                if values.isEmpty {
                    problems.append("values: Invalid value: \(listed): for 'in', 'notin' operators, values set can't be empty")
                }
            case .equals, .notEquals:
                if values.count != 1 {
                    problems.append("values: Invalid value: \(listed): exact-match compatibility requires one single value")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    problems.append("values: Invalid value: \(listed): values set must be empty for exists and does not exist")
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    problems.append("values: Invalid value: \(listed): for 'Gt', 'Lt' operators, exactly one value is required")
                }
                for (index, value) in values.enumerated() where Int64(value) == nil {
                    problems.append(
                        "values[\(index)]: Invalid value: \(SelectorError.quoted(value)): for 'Gt', 'Lt' operators, the value must be an integer")
                }
            }
            for (index, value) in values.enumerated() {
                let valueProblems = LabelSelector.valueProblems(value)
                if !valueProblems.isEmpty {
                    problems.append(
                        "values[\(index)][\(key)]: Invalid value: \(SelectorError.quoted(value)): \(valueProblems.joined(separator: "; "))")
                }
            }
            // apimachinery aggregates field errors: one is printed alone, several as a bracketed list.
            if problems.count == 1 { throw SelectorError(problems[0]) }
            if problems.count > 1 { throw SelectorError("[" + problems.joined(separator: ", ") + "]") }
            self.key = key
            self.operator = `operator`
            self.values = Set(values).sorted(by: LabelSelector.precedesByBytes)
        }

        /// Whether `labels` satisfy this requirement, with apimachinery's semantics for absent labels.
        func matches(_ labels: [String: String]) -> Bool {
            switch `operator` {
            case .in, .equals:
                guard let value = labels[key] else { return false }
                return values.contains(value)
            case .notIn, .notEquals:
                guard let value = labels[key] else { return true }
                return !values.contains(value)
            case .exists:
                return labels[key] != nil
            case .doesNotExist:
                return labels[key] == nil
            case .greaterThan, .lessThan:
                // A label that is not an integer never matches, as in apimachinery (which logs and moves on).
                guard let text = labels[key], let actual = Int64(text), values.count == 1, let bound = Int64(values[0])
                else { return false }
                return `operator` == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The requirement in query syntax, as apimachinery prints it (`a in (x,y)`, `!b`, `c=d`, `e>1`).
        var description: String {
            let joined = values.joined(separator: ",")
            switch `operator` {
            case .in: return "\(key) in (\(joined))"
            case .notIn: return "\(key) notin (\(joined))"
            case .equals: return "\(key)=\(joined)"
            case .notEquals: return "\(key)!=\(joined)"
            case .exists: return key
            case .doesNotExist: return "!\(key)"
            case .greaterThan: return "\(key)>\(joined)"
            case .lessThan: return "\(key)<\(joined)"
            }
        }
    }

    /// The requirements, sorted by key (then by their printed form, so that equal selectors compare
    /// equal whatever order they were written in).
    let requirements: [Requirement]

    /// True only for ``nothing``: the selector of an absent `meta/v1 LabelSelector`, which matches no
    /// object (unlike an empty one, which matches all).
    let selectsNothing: Bool

    /// Matches every set of labels: the empty query string, or an empty `meta/v1 LabelSelector`.
    static let everything = LabelSelector(requirements: [])

    /// Matches no set of labels: what apimachinery makes of a nil `meta/v1 LabelSelector`.
    static let nothing = LabelSelector(sorted: [], selectsNothing: true)

    /// A selector of exactly these requirements (ANDed); an empty list matches everything.
    init(requirements: [Requirement]) {
        self.init(
            sorted: requirements.sorted { first, second in
                if first.key != second.key { return LabelSelector.precedesByBytes(first.key, second.key) }
                return LabelSelector.precedesByBytes(first.description, second.description)
            },
            selectsNothing: false)
    }

    private init(sorted requirements: [Requirement], selectsNothing: Bool) {
        self.requirements = requirements
        self.selectsNothing = selectsNothing
    }

    /// True when the selector does not restrict anything (``everything``).
    var isEverything: Bool { !selectsNothing && requirements.isEmpty }

    /// Whether an object with these labels is selected: every requirement holds (and the selector is not
    /// ``nothing``).
    func matches(_ labels: [String: String]) -> Bool {
        !selectsNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// The single value a label must have for this selector to match, when the first requirement on
    /// `key` is `=` or a one-value `in`; `nil` otherwise (apimachinery's `RequiresExactMatch`).
    func requiredValue(forKey key: String) -> String? {
        guard let requirement = requirements.first(where: { $0.key == key }) else { return nil }
        switch requirement.operator {
        case .equals, .in: return requirement.values.count == 1 ? requirement.values[0] : nil
        default: return nil
        }
    }

    /// The selector in query syntax, requirements joined by `,`; parsing it gives an equal selector.
    /// Both ``everything`` and ``nothing`` print as the empty string, as in apimachinery.
    var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// Byte-wise string order, the order Go's `sort.Strings` gives, independent of Unicode collation.
    static func precedesByBytes(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }
}

// MARK: - The object form

extension LabelSelector {
    /// The selector of a `meta/v1 LabelSelector` object's two members, as `LabelSelectorAsSelector`
    /// builds it: each `matchLabels` entry becomes `key=value`, each `matchExpressions` entry a
    /// requirement with operator `In`, `NotIn`, `Exists` or `DoesNotExist`.
    ///
    /// Absent (`nil`) or `null` members contribute nothing, so both absent gives ``everything``. A `null`
    /// label value, key or operator reads as the empty string, as it decodes in Go.
    ///
    /// - Parameters:
    ///   - matchLabels: The `matchLabels` member: an object of strings.
    ///   - matchExpressions: The `matchExpressions` member: an array of `{key, operator, values}` objects.
    /// - Throws: ``SelectorError`` for a member of the wrong JSON type, an unknown operator
    ///   (`"Foo" is not a valid label selector operator`), or a requirement that is not valid (a bad key
    ///   or value, values given to `Exists`, none given to `In`).
    init(matchLabels: JSONValue?, matchExpressions: JSONValue?) throws(SelectorError) {
        var requirements: [Requirement] = []
        switch matchLabels {
        case nil, .null?:
            break
        case .object(let members)?:
            // Sorted so that, of several bad entries, the same one is always reported.
            for (key, value) in members.sorted(by: { LabelSelector.precedesByBytes($0.key, $1.key) }) {
                let text = try Self.string(value, at: "matchLabels[\(key)]")
                requirements.append(try Requirement(key: key, operator: .equals, values: [text]))
            }
        case let other?:
            throw Self.wrongType(other, at: "matchLabels", expected: "an object")
        }
        switch matchExpressions {
        case nil, .null?:
            break
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                requirements.append(try Self.requirement(fromExpression: element, at: "matchExpressions[\(index)]"))
            }
        case let other?:
            throw Self.wrongType(other, at: "matchExpressions", expected: "an array")
        }
        self.init(requirements: requirements)
    }

    /// The selector of a whole `meta/v1 LabelSelector` member such as `spec.selector`.
    ///
    /// An absent or `null` selector gives ``nothing`` (it selects no object, as a nil selector does in
    /// apimachinery); an object gives ``init(matchLabels:matchExpressions:)`` of its members, so `{}`
    /// gives ``everything``.
    ///
    /// - Parameter selector: The selector member, or `nil` when the object has none.
    /// - Throws: ``SelectorError`` when the selector is not an object or is not valid.
    init(selectorObject selector: JSONValue?) throws(SelectorError) {
        switch selector {
        case nil, .null?:
            self = .nothing
        case .object(let members)?:
            try self.init(matchLabels: members["matchLabels"], matchExpressions: members["matchExpressions"])
        case let other?:
            throw Self.wrongType(other, at: "selector", expected: "an object")
        }
    }

    private static func requirement(fromExpression expression: JSONValue, at path: String) throws(SelectorError) -> Requirement {
        guard case .object(let members) = expression else {
            throw wrongType(expression, at: path, expected: "an object")
        }
        let key = try string(members["key"], at: "\(path).key")
        let operatorName = try string(members["operator"], at: "\(path).operator")
        let values: [String]
        switch members["values"] {
        case nil, .null?:
            values = []
        case .array(let elements)?:
            var collected: [String] = []
            for (index, element) in elements.enumerated() {
                collected.append(try string(element, at: "\(path).values[\(index)]"))
            }
            values = collected
        case let other?:
            throw wrongType(other, at: "\(path).values", expected: "an array")
        }
        let `operator`: Operator
        switch operatorName {
        case "In": `operator` = .in
        case "NotIn": `operator` = .notIn
        case "Exists": `operator` = .exists
        case "DoesNotExist": `operator` = .doesNotExist
        default: throw SelectorError("\(SelectorError.quoted(operatorName)) is not a valid label selector operator")
        }
        return try Requirement(key: key, operator: `operator`, values: values)
    }

    /// A string member; absent or `null` is the empty string, as Go decodes it into a `string` field.
    private static func string(_ value: JSONValue?, at path: String) throws(SelectorError) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case let other?: throw wrongType(other, at: path, expected: "a string")
        }
    }

    private static func wrongType(_ value: JSONValue, at path: String, expected: String) -> SelectorError {
        let found: String
        switch value {
        case .null: found = "null"
        case .bool: found = "a boolean"
        case .integer, .double: found = "a number"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "an object"
        }
        return SelectorError("\(path): Invalid value: \(found): must be \(expected)")
    }
}

// MARK: - The query syntax

extension LabelSelector {
    /// Parses a `labelSelector` query parameter exactly as apimachinery's `labels.Parse` does.
    ///
    /// The grammar is a comma-separated list (AND) of requirements, each one of `key`, `!key`,
    /// `key=value`, `key==value`, `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`, `key>n` or `key<n`.
    /// Spaces, tabs, carriage returns and newlines between tokens are ignored; `in` and `notin` are
    /// keywords only where an operator is expected, so they are valid keys and values. A value may be
    /// empty (`key=`, `key in (,a)`, `key in ()`). The empty string parses to ``everything``.
    ///
    /// - Parameter text: The selector as sent.
    /// - Returns: The validated selector.
    /// - Throws: ``SelectorError`` with the server's message, such as
    ///   `unable to parse requirement: found '', expected: '('` or
    ///   `found ',', expected: !, identifier, or 'end of string'`.
    static func parse(_ text: String) throws(SelectorError) -> LabelSelector {
        var parser = Parser(text)
        return LabelSelector(requirements: try parser.parse())
    }

    /// The problems apimachinery's `IsQualifiedName` finds in a label key, in its words; empty when the
    /// key is valid (an optional DNS-1123 subdomain prefix of at most 253 characters and `/`, then a name
    /// of 1–63 characters `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`).
    static func keyProblems(_ key: String) -> [String] {
        let parts = Array(key.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var problems: [String] = []
        let name: ArraySlice<UInt8>
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                problems.append("prefix part must be non-empty")
            } else {
                problems += Syntax.subdomainProblems(prefix).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name " + Syntax.qualifiedNameRegexError
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            problems.append("name part must be non-empty")
        } else if name.count > Syntax.nameMaxLength {
            problems.append("name part must be no more than \(Syntax.nameMaxLength) characters")
        }
        if !Syntax.isQualifiedNamePart(name) {
            problems.append("name part " + Syntax.qualifiedNameRegexError)
        }
        return problems
    }

    /// The problems apimachinery's `IsValidLabelValue` finds in a label value, in its words; empty when
    /// the value is valid (empty, or at most 63 characters of the qualified-name form).
    static func valueProblems(_ value: String) -> [String] {
        let bytes = Array(value.utf8)[...]
        var problems: [String] = []
        if bytes.count > Syntax.nameMaxLength {
            problems.append("must be no more than \(Syntax.nameMaxLength) characters")
        }
        if !bytes.isEmpty && !Syntax.isQualifiedNamePart(bytes) {
            problems.append(
                Syntax.regexError(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character",
                    format: "(\(Syntax.qualifiedNameFormat))?", examples: ["MyValue", "my_value", "12345"]))
        }
        return problems
    }

    /// Character classes and message pieces of apimachinery's `util/validation`.
    ///
    /// Checks run on UTF-8 bytes because Go's regular expressions and `len` do: any non-ASCII byte
    /// fails the ASCII classes, and lengths count bytes.
    private enum Syntax {
        static let nameMaxLength = 63
        static let subdomainMaxLength = 253
        static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
        static let qualifiedNameRegexError = regexError(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            format: qualifiedNameFormat, examples: ["MyName", "my.name", "123-abc"])

        /// apimachinery's `RegexError`: the message, examples and the pattern used.
        static func regexError(_ message: String, format: String, examples: [String]) -> String {
            var text = message + " (e.g. "
            for (index, example) in examples.enumerated() {
                // The doubled space after each comma is in the original wording.
                if index > 0 { text += " or " }
                text += "'\(example)', "
            }
            return text + "regex used for validation is '\(format)')"
        }

        static func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || isDigit(byte)
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

        static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isDigit(byte)
        }

        /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: alphanumeric at both ends, `-`, `_` or `.` allowed
        /// inside.
        static func isQualifiedNamePart(_ bytes: ArraySlice<UInt8>) -> Bool {
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
                return false
            }
            return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        }

        /// apimachinery's `IsDNS1123Subdomain` problems: dot-separated labels of lower-case alphanumerics
        /// and inner `-`, at most 253 characters in all.
        static func subdomainProblems(_ bytes: ArraySlice<UInt8>) -> [String] {
            var problems: [String] = []
            if bytes.count > subdomainMaxLength {
                problems.append("must be no more than \(subdomainMaxLength) characters")
            }
            let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            let valid = labels.allSatisfy { label in
                guard let first = label.first, let last = label.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last)
                else { return false }
                return label.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
            if !valid {
                problems.append(
                    regexError(
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            + "and must start and end with an alphanumeric character",
                        format: "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", examples: ["example.com"]))
            }
            return problems
        }
    }

    /// The lexer's tokens; `error` cannot actually arise, since every special character is a token on
    /// its own, but is kept so an unexpected input yields a message rather than a crash.
    private enum Token: Equatable {
        case endOfString, closedParenthesis, comma, doesNotExist, doubleEquals, equals, greaterThan, identifier
        case `in`, lessThan, notEquals, notIn, openParenthesis, error
    }

    private struct Item {
        var token: Token
        /// The text scanned; what messages quote as `found '…'`.
        var literal: String
    }

    /// Where the parser stands: `in` and `notin` are operators only after a key; elsewhere they are
    /// plain identifiers (`in in (in)` is a valid selector).
    private enum Context {
        case keyAndOperator, values
    }

    /// apimachinery's label-selector lexer, byte by byte.
    private struct Lexer {
        private let bytes: [UInt8]
        private var position = 0

        init(_ text: String) {
            bytes = Array(text.utf8)
        }

        /// The next token; `endOfString` once the input is used up.
        mutating func next() -> Item {
            var byte = read()
            while Self.isWhitespace(byte) { byte = read() }
            if byte == 0 { return Item(token: .endOfString, literal: "") }
            unread()
            return Self.isSpecial(byte) ? scanSymbol() : scanWord()
        }

        /// The next byte, or 0 at the end. A NUL byte in the input reads as 0 as well, which is how the
        /// original treats it (it ends the token, or the input when it comes between tokens).
        private mutating func read() -> UInt8 {
            guard position < bytes.count else { return 0 }
            position += 1
            return bytes[position - 1]
        }

        /// Steps back over the byte just read; only called after reading a non-zero byte.
        private mutating func unread() {
            if position > 0 { position -= 1 }
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }

        private static func isSpecial(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","),
                UInt8(ascii: ">"), UInt8(ascii: "<"):
                true
            default: false
            }
        }

        private static func symbol(_ text: String) -> Token? {
            switch text {
            case ")": .closedParenthesis
            case ",": .comma
            case "!": .doesNotExist
            case "==": .doubleEquals
            case "=": .equals
            case ">": .greaterThan
            case "<": .lessThan
            case "!=": .notEquals
            case "(": .openParenthesis
            default: nil
            }
        }

        /// A key, value or keyword: everything up to whitespace or a special character.
        private mutating func scanWord() -> Item {
            var word: [UInt8] = []
            while true {
                let byte = read()
                if byte == 0 { break }
                if Self.isSpecial(byte) || Self.isWhitespace(byte) {
                    unread()
                    break
                }
                word.append(byte)
            }
            // Cut only at ASCII bytes, so the word is whole UTF-8.
            let literal = String(decoding: word, as: UTF8.self)
            switch literal {
            case "in": return Item(token: .in, literal: literal)
            case "notin": return Item(token: .notIn, literal: literal)
            default: return Item(token: .identifier, literal: literal)
            }
        }

        /// The longest operator spelled by the special characters ahead (`!=` rather than `!`).
        private mutating func scanSymbol() -> Item {
            var buffer = ""
            var longest: Item?
            while true {
                let byte = read()
                if byte == 0 { break }
                guard Self.isSpecial(byte) else {
                    unread()
                    break
                }
                buffer.unicodeScalars.append(Unicode.Scalar(byte))
                if let token = Self.symbol(buffer) {
                    longest = Item(token: token, literal: buffer)
                } else if longest != nil {
                    unread()
                    break
                }
            }
            return longest ?? Item(token: .error, literal: "error expected: keyword found '\(buffer)'")
        }
    }

    /// apimachinery's recursive-descent parser over the scanned tokens, with its messages.
    private struct Parser {
        private var items: [Item] = []
        private var position = 0

        init(_ text: String) {
            var lexer = Lexer(text)
            // Every call consumes at least one byte until the end, so this terminates.
            while true {
                let item = lexer.next()
                items.append(item)
                if item.token == .endOfString { break }
            }
        }

        private func peek(_ context: Context) -> Item {
            // Reading past the end gives the end again instead of trapping.
            guard position < items.count else { return Item(token: .endOfString, literal: "") }
            var item = items[position]
            if context == .values, item.token == .in || item.token == .notIn { item.token = .identifier }
            return item
        }

        private mutating func take(_ context: Context) -> Item {
            let item = peek(context)
            position += 1
            return item
        }

        mutating func parse() throws(SelectorError) -> [Requirement] {
            var requirements: [Requirement] = []
            while true {
                let item = peek(.values)
                switch item.token {
                case .identifier, .doesNotExist:
                    do throws(SelectorError) {
                        requirements.append(try parseRequirement())
                    } catch {
                        throw SelectorError("unable to parse requirement: \(error.message)")
                    }
                    let next = take(.values)
                    switch next.token {
                    case .endOfString:
                        return requirements
                    case .comma:
                        let following = peek(.values)
                        guard following.token == .identifier || following.token == .doesNotExist else {
                            throw SelectorError("found '\(following.literal)', expected: identifier after ','")
                        }
                    default:
                        throw SelectorError("found '\(next.literal)', expected: ',' or 'end of string'")
                    }
                case .endOfString:
                    return requirements
                default:
                    throw SelectorError("found '\(item.literal)', expected: !, identifier, or 'end of string'")
                }
            }
        }

        private mutating func parseRequirement() throws(SelectorError) -> Requirement {
            let (key, inferred) = try parseKeyAndInferOperator()
            if let inferred {
                return try Requirement(key: key, operator: inferred, values: [])
            }
            let `operator` = try parseOperator()
            // Values pass through a set, so they are validated (and numbered in messages) sorted.
            let values: Set<String>
            switch `operator` {
            case .in, .notIn: values = try parseValues()
            default: values = try parseExactValue()
            }
            return try Requirement(key: key, operator: `operator`, values: values.sorted(by: LabelSelector.precedesByBytes))
        }

        /// The key, and `exists` or `!` when the requirement is unary (no operator follows).
        private mutating func parseKeyAndInferOperator() throws(SelectorError) -> (String, Operator?) {
            var item = take(.values)
            let negated = item.token == .doesNotExist
            if negated { item = take(.values) }
            guard item.token == .identifier else {
                throw SelectorError("found '\(item.literal)', expected: identifier")
            }
            let problems = LabelSelector.keyProblems(item.literal)
            if !problems.isEmpty {
                // The parser validates with no field path, which Go prints as `<nil>`.
                throw SelectorError(
                    "<nil>: Invalid value: \(SelectorError.quoted(item.literal)): \(problems.joined(separator: "; "))")
            }
            // After `!key` nothing more belongs to the requirement; whatever follows is checked by the caller.
            if negated { return (item.literal, .doesNotExist) }
            let next = peek(.values).token
            if next == .endOfString || next == .comma { return (item.literal, .exists) }
            return (item.literal, nil)
        }

        private mutating func parseOperator() throws(SelectorError) -> Operator {
            let item = take(.keyAndOperator)
            switch item.token {
            case .in: return .in
            case .equals, .doubleEquals: return .equals
            case .greaterThan: return .greaterThan
            case .lessThan: return .lessThan
            case .notIn: return .notIn
            case .notEquals: return .notEquals
            default: throw SelectorError("found '\(item.literal)', expected: in, notin, =, ==, !=, gt, lt")
            }
        }

        /// `( … )` after `in` or `notin`; `()` is the one empty value.
        private mutating func parseValues() throws(SelectorError) -> Set<String> {
            let open = take(.values)
            guard open.token == .openParenthesis else {
                throw SelectorError("found '\(open.literal)' expected: '('")
            }
            let first = peek(.values)
            switch first.token {
            case .identifier, .comma:
                let values = try parseIdentifierList()
                guard take(.values).token == .closedParenthesis else {
                    throw SelectorError("found '\(first.literal)', expected: ')'")
                }
                return values
            case .closedParenthesis:
                _ = take(.values)
                return [""]
            default:
                throw SelectorError("found '\(first.literal)', expected: ',', ')' or identifier")
            }
        }

        /// Comma-separated, possibly empty values, up to (not including) `)`.
        private mutating func parseIdentifierList() throws(SelectorError) -> Set<String> {
            var values: Set<String> = []
            while true {
                let item = take(.values)
                switch item.token {
                case .identifier:
                    values.insert(item.literal)
                    let next = peek(.values)
                    switch next.token {
                    case .comma: continue
                    case .closedParenthesis: return values
                    default: throw SelectorError("found '\(next.literal)', expected: ',' or ')'")
                    }
                case .comma:
                    // A comma with nothing before it, after it, or between two commas stands for "".
                    if values.isEmpty { values.insert("") }
                    let next = peek(.values).token
                    if next == .closedParenthesis {
                        values.insert("")
                        return values
                    }
                    if next == .comma {
                        _ = take(.values)
                        values.insert("")
                    }
                default:
                    throw SelectorError("found '\(item.literal)', expected: ',', or identifier")
                }
            }
        }

        /// The value after `=`, `==`, `!=`, `>` or `<`; nothing at all is the empty value.
        private mutating func parseExactValue() throws(SelectorError) -> Set<String> {
            let next = peek(.values).token
            if next == .endOfString || next == .comma { return [""] }
            let item = take(.values)
            guard item.token == .identifier else {
                throw SelectorError("found '\(item.literal)', expected: identifier")
            }
            return [item.literal]
        }
    }
}
