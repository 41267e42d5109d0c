import KubeCore

/// RFC 6902 JSON Patch (`application/json-patch+json`), as kube-apiserver applies it with
/// `evanphx/json-patch` v4.
///
/// Operations apply in order and the patch is atomic: the first failure throws and, values being immutable,
/// the caller's target is untouched. Where json-patch v4 is more lenient than the RFC and kube clients may rely
/// on it, the sandbox follows kube-apiserver:
/// - `replace` of a missing object member adds it (the RFC requires the member to exist);
/// - `test` of a missing object member succeeds when the expected value is `null`;
/// - negative array indices count from the end (`-1` is the last element; for `add`, `-1` appends).
///
/// Otherwise it follows the RFC where v4 does something accidental: a pointer must be empty or start with `/`
/// and `~` must be followed by `0` or `1`; `add`, `replace` and `test` need a `value` member; `copy` needs its
/// `from` location to exist (v4 copies `null`); the empty pointer names the whole document (it cannot be
/// removed, nor be the `from` of a `move`); `test` compares numbers by value (`1` equals `1.0`).
struct JSONPatch: Sendable, Hashable {
    /// The most operations kube-apiserver accepts in one document; more is a 413.
    static let maximumOperations = 10_000

    /// One operation of a patch document.
    enum Operation: Sendable, Hashable {
        /// Adds `value` at `path`: sets an object member, or inserts into an array (`-` appends).
        case add(path: Pointer, value: JSONValue)
        /// Removes the value at `path`.
        case remove(path: Pointer)
        /// Replaces the value at `path`.
        case replace(path: Pointer, value: JSONValue)
        /// Removes the value at `from` and adds it at `path`.
        case move(from: Pointer, path: Pointer)
        /// Adds a copy of the value at `from` at `path`.
        case copy(from: Pointer, path: Pointer)
        /// Fails unless the value at `path` equals `value`.
        case test(path: Pointer, value: JSONValue)

        /// The operation's `op` member.
        var name: String {
            switch self {
            case .add: "add"
            case .remove: "remove"
            case .replace: "replace"
            case .move: "move"
            case .copy: "copy"
            case .test: "test"
            }
        }
    }

    /// An RFC 6901 JSON Pointer: the reference tokens leading from the document root to a value.
    struct Pointer: Sendable, Hashable, CustomStringConvertible {
        /// The unescaped reference tokens; empty for the whole document.
        var tokens: [String]

        /// A pointer made of `tokens`, which are not escaped.
        ///
        /// - Parameter tokens: The reference tokens, outermost first.
        init(tokens: [String] = []) {
            self.tokens = tokens
        }

        /// Parses the string form (`/spec/containers/0`, `/metadata/labels/app.kubernetes.io~1name`).
        ///
        /// - Parameter text: The pointer text.
        /// - Returns: `nil` when `text` is neither empty nor starts with `/`, or has `~` followed by anything but
        ///   `0` or `1`.
        init?(_ text: String) {
            if text.isEmpty {
                self.init()
                return
            }
            guard text.hasPrefix("/") else { return nil }
            var tokens: [String] = []
            for raw in text.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                guard let token = Self.unescape(raw) else { return nil }
                tokens.append(token)
            }
            self.init(tokens: tokens)
        }

        /// The string form, with `~` and `/` escaped.
        var description: String {
            var text = ""
            for token in tokens {
                text.append("/")
                for character in token {
                    switch character {
                    case "~": text.append("~0")
                    case "/": text.append("~1")
                    default: text.append(character)
                    }
                }
            }
            return text
        }

        /// Decodes `~1` to `/` and `~0` to `~` (in one pass, so `~01` is `~1`, as RFC 6901 orders it).
        private static func unescape(_ token: Substring) -> String? {
            guard token.contains("~") else { return String(token) }
            var result = String.UnicodeScalarView()
            var scalars = token.unicodeScalars.makeIterator()
            while let scalar = scalars.next() {
                guard scalar == "~" else {
                    result.append(scalar)
                    continue
                }
                switch scalars.next() {
                case "0": result.append("~")
                case "1": result.append("/")
                default: return nil
                }
            }
            return String(result)
        }
    }

    /// The operations, in the order they apply.
    var operations: [Operation]

    /// A patch of `operations`.
    ///
    /// - Parameter operations: The operations, in the order they apply.
    init(operations: [Operation]) {
        self.operations = operations
    }

    /// Parses a patch document: an array of operation objects.
    ///
    /// Members other than `op`, `path`, `from` and `value` are ignored, as RFC 6902 requires. A `null`
    /// document is an empty patch, as Go's decoder makes it.
    ///
    /// - Parameter document: The decoded request body.
    /// - Throws: ``PatchError`` 400 when the document is not an array or an element is not an object (with Go's
    ///   decoding message, as kube-apiserver answers), 413 for more than ``maximumOperations`` operations, and
    ///   422 naming the operation and member for an unknown `op`, a missing or malformed `path` or `from`, or a
    ///   missing `value`.
    init(document: JSONValue) throws(PatchError) {
        let elements: [JSONValue]
        switch document {
        case .array(let array): elements = array
        case .null: elements = []
        default: throw .badRequest("json: cannot unmarshal \(Self.goTypeWord(document)) into Go value of type jsonpatch.Patch")
        }
        if elements.count > Self.maximumOperations {
            throw .tooManyOperations(elements.count, limit: Self.maximumOperations)
        }
        var operations: [Operation] = []
        operations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            operations.append(try Self.parseOperation(element, index: index))
        }
        self.init(operations: operations)
    }

    /// Applies the operations to `target`, in order.
    ///
    /// - Parameter target: The document to patch.
    /// - Returns: The patched document.
    /// - Throws: ``PatchError`` 422 naming the first operation that does not apply.
    func apply(to target: JSONValue) throws(PatchError) -> JSONValue {
        var document = target
        for (index, operation) in operations.enumerated() {
            do throws(Failure) {
                document = try Self.perform(operation, on: document)
            } catch {
                throw .invalid(
                    "operation \(index) (\(operation.name)): \(error.text)", operationIndex: index, field: error.field)
            }
        }
        return document
    }

    /// Parses a patch document; the same as ``init(document:)``.
    ///
    /// - Parameter document: The decoded request body.
    /// - Returns: The parsed patch.
    /// - Throws: ``PatchError`` as ``init(document:)`` does.
    static func parse(_ document: JSONValue) throws(PatchError) -> JSONPatch {
        try JSONPatch(document: document)
    }

    /// Parses `document` and applies it to `target`.
    ///
    /// - Parameters:
    ///   - document: The decoded request body.
    ///   - target: The document to patch.
    /// - Returns: The patched document.
    /// - Throws: ``PatchError`` as ``init(document:)`` and ``apply(to:)`` do.
    static func apply(_ document: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        try JSONPatch(document: document).apply(to: target)
    }
}

// MARK: - Parsing

extension JSONPatch {
    private static func parseOperation(_ element: JSONValue, index: Int) throws(PatchError) -> Operation {
        guard case .object(let members) = element else {
            // Go decodes a `null` element to an empty operation, whose kind is "unknown".
            if element == .null { throw invalidOperation(index, nil, field: "op", "Unexpected kind: unknown") }
            throw .badRequest(
                "json: cannot unmarshal \(goTypeWord(element)) into Go value of type jsonpatch.Operation")
        }
        guard case .string(let op)? = members["op"] else {
            throw invalidOperation(index, nil, field: "op", "Unexpected kind: unknown")
        }

        func pointer(_ field: String) throws(PatchError) -> Pointer {
            guard let raw = members[field], raw != .null else {
                throw invalidOperation(index, op, field: field, "\(op) operation failed to decode \(field): missing value")
            }
            guard case .string(let text) = raw else {
                throw invalidOperation(
                    index, op, field: field,
                    "\(op) operation failed to decode \(field): json: cannot unmarshal \(goTypeWord(raw)) into Go value of type string"
                )
            }
            guard let pointer = Pointer(text) else {
                throw invalidOperation(
                    index, op, field: field,
                    "\(op) operation has an invalid \(field) \"\(text)\": a JSON Pointer is empty or starts with \"/\", and \"~\" is followed by \"0\" or \"1\""
                )
            }
            return pointer
        }

        func value() throws(PatchError) -> JSONValue {
            // An explicit `null` is a value; only an absent member is missing.
            guard let value = members["value"] else {
                throw invalidOperation(index, op, field: "value", "\(op) operation, missing value field: missing value")
            }
            return value
        }

        switch op {
        case "add": return .add(path: try pointer("path"), value: try value())
        case "remove": return .remove(path: try pointer("path"))
        case "replace": return .replace(path: try pointer("path"), value: try value())
        case "move": return .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": return .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": return .test(path: try pointer("path"), value: try value())
        default: throw invalidOperation(index, op, field: "op", "Unexpected kind: \(op)")
        }
    }

    private static func invalidOperation(_ index: Int, _ op: String?, field: String, _ text: String) -> PatchError {
        let location = op.map { "operation \(index) (\($0))" } ?? "operation \(index)"
        return .invalid("\(location): \(text)", operationIndex: index, field: field)
    }

    /// The JSON type word Go's decoder uses in "cannot unmarshal X into ..." messages.
    private static func goTypeWord(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

// MARK: - Applying

extension JSONPatch {
    /// Why one operation does not apply, in json-patch v4's words, and which member is at fault.
    private struct Failure: Error {
        var text: String
        var field: String
    }

    /// What a pointer leads to in a document.
    private enum Location {
        case found(JSONValue)
        /// The parent of the last token is absent or not a container.
        case missingParent
        /// The parent is an object without the member.
        case missingMember
        /// The parent is an array and the token is not an index of it; the text says why.
        case badIndex(String)
    }

    private static func perform(_ operation: Operation, on document: JSONValue) throws(Failure) -> JSONValue {
        switch operation {
        case .add(let path, let value):
            return try inserting(
                value, at: path, in: document,
                missing: "add operation does not apply: doc is missing path: \"\(path)\": missing value",
                prefix: "error in add for path: '\(path)': ")

        case .remove(let path):
            return try removing(
                at: path, in: document,
                missing: "remove operation does not apply: doc is missing path: \"\(path)\": missing value",
                prefix: "error in remove for path: '\(path)': "
            ).document

        case .replace(let path, let value):
            return try replacing(at: path, with: value, in: document)

        case .move(let from, let path):
            let key = from.tokens.last ?? ""
            let (remaining, value) = try removing(
                at: from, in: document,
                missing: "move operation does not apply: doc is missing from path: \(from): missing value",
                prefix: "error in move for path: '\(key)': ", field: "from")
            return try inserting(
                value, at: path, in: remaining,
                missing: "move operation does not apply: doc is missing destination path: \(path): missing value",
                prefix: "error in move for path: '\(path)': ")

        case .copy(let from, let path):
            let value: JSONValue
            switch locate(from, in: document) {
            case .found(let found):
                value = found
            case .missingParent:
                throw Failure(
                    text: "copy operation does not apply: doc is missing from path: \(from): missing value", field: "from")
            case .missingMember:
                throw Failure(
                    text: "error in copy for from: '\(from)': unable to get nonexistent key: \(from.tokens.last ?? ""): missing value",
                    field: "from")
            case .badIndex(let why):
                throw Failure(text: "error in copy for from: '\(from)': \(why)", field: "from")
            }
            return try inserting(
                value, at: path, in: document,
                missing: "copy operation does not apply: doc is missing destination path: \(path): missing value",
                prefix: "error while adding value during copy: ")

        case .test(let path, let expected):
            let failed = Failure(text: "testing value \(path) failed: test failed", field: "value")
            switch locate(path, in: document) {
            case .found(let actual):
                guard equal(actual, expected) else { throw failed }
            case .missingMember:
                // json-patch v4 reads a missing member as `null`, so testing for `null` asserts absence.
                guard expected == .null else { throw failed }
            case .missingParent:
                throw Failure(text: "test operation does not apply: is missing path: \(path): missing value", field: "path")
            case .badIndex(let why):
                throw Failure(text: "error in test for path: '\(path)': \(why)", field: "path")
            }
            return document
        }
    }

    /// The result of `add`: sets an object member or inserts into an array.
    private static func inserting(
        _ value: JSONValue, at path: Pointer, in document: JSONValue, missing: String, prefix: String
    ) throws(Failure) -> JSONValue {
        guard let key = path.tokens.last else { return value }
        let missingFailure = Failure(text: missing, field: "path")
        return try modifying(document, along: path.tokens.dropLast(), missing: missingFailure) {
            (parent: JSONValue) throws(Failure) -> JSONValue in
            switch parent {
            case .object(var members):
                members[key] = value
                return .object(members)
            case .array(var elements):
                switch arrayIndex(key, count: elements.count, inserting: true) {
                case .index(let index):
                    elements.insert(value, at: index)
                    return .array(elements)
                case .notANumber:
                    throw Failure(
                        text: prefix + "value was not a proper array index: '\(key)': " + atoiFailure(key), field: "path")
                case .outOfRange(let number):
                    throw Failure(text: prefix + invalidIndexFailure(number), field: "path")
                }
            default:
                throw missingFailure
            }
        }
    }

    /// The result of `remove`, and the value removed.
    private static func removing(
        at path: Pointer, in document: JSONValue, missing: String, prefix: String, field: String = "path"
    ) throws(Failure) -> (document: JSONValue, removed: JSONValue) {
        let missingFailure = Failure(text: missing, field: field)
        // The whole document cannot be removed; json-patch v4 finds no parent for the empty pointer.
        guard let key = path.tokens.last else { throw missingFailure }
        var removed = JSONValue.null
        let result = try modifying(document, along: path.tokens.dropLast(), missing: missingFailure) {
            (parent: JSONValue) throws(Failure) -> JSONValue in
            switch parent {
            case .object(var members):
                guard let value = members.removeValue(forKey: key) else {
                    throw Failure(text: prefix + "Unable to remove nonexistent key: \(key): missing value", field: field)
                }
                removed = value
                return .object(members)
            case .array(var elements):
                switch arrayIndex(key, count: elements.count, inserting: false) {
                case .index(let index):
                    removed = elements.remove(at: index)
                    return .array(elements)
                case .notANumber:
                    throw Failure(text: prefix + atoiFailure(key), field: field)
                case .outOfRange(let number):
                    throw Failure(text: prefix + invalidIndexFailure(number), field: field)
                }
            default:
                throw missingFailure
            }
        }
        return (result, removed)
    }

    /// The result of `replace`; a missing object member is added, as json-patch v4 does.
    private static func replacing(at path: Pointer, with value: JSONValue, in document: JSONValue) throws(Failure)
        -> JSONValue
    {
        guard let key = path.tokens.last else { return value }
        let missingFailure = Failure(
            text: "replace operation does not apply: doc is missing path: \(path): missing value", field: "path")
        return try modifying(document, along: path.tokens.dropLast(), missing: missingFailure) {
            (parent: JSONValue) throws(Failure) -> JSONValue in
            switch parent {
            case .object(var members):
                members[key] = value
                return .object(members)
            case .array(var elements):
                guard case .index(let index) = arrayIndex(key, count: elements.count, inserting: false) else {
                    throw Failure(
                        text: "replace operation does not apply: doc is missing key: \(path): missing value", field: "path")
                }
                elements[index] = value
                return .array(elements)
            default:
                throw missingFailure
            }
        }
    }

    /// Rebuilds `node` with the container at `path` replaced by `change` applied to it.
    ///
    /// Recursion is as deep as the pointer is long, and stops at the first token the document does not have.
    private static func modifying(
        _ node: JSONValue, along path: ArraySlice<String>, missing: Failure,
        _ change: (JSONValue) throws(Failure) -> JSONValue
    ) throws(Failure) -> JSONValue {
        guard let token = path.first else { return try change(node) }
        switch node {
        case .object(var members):
            guard let child = members[token] else { throw missing }
            members[token] = try modifying(child, along: path.dropFirst(), missing: missing, change)
            return .object(members)
        case .array(var elements):
            guard case .index(let index) = arrayIndex(token, count: elements.count, inserting: false) else {
                throw missing
            }
            elements[index] = try modifying(elements[index], along: path.dropFirst(), missing: missing, change)
            return .array(elements)
        default:
            throw missing
        }
    }

    /// Follows `pointer` through `document`.
    private static func locate(_ pointer: Pointer, in document: JSONValue) -> Location {
        guard let key = pointer.tokens.last else { return .found(document) }
        var parent = document
        for token in pointer.tokens.dropLast() {
            switch parent {
            case .object(let members):
                guard let child = members[token] else { return .missingParent }
                parent = child
            case .array(let elements):
                guard case .index(let index) = arrayIndex(token, count: elements.count, inserting: false) else {
                    return .missingParent
                }
                parent = elements[index]
            default:
                return .missingParent
            }
        }
        switch parent {
        case .object(let members):
            return members[key].map(Location.found) ?? .missingMember
        case .array(let elements):
            switch arrayIndex(key, count: elements.count, inserting: false) {
            case .index(let index): return .found(elements[index])
            case .notANumber: return .badIndex(atoiFailure(key))
            case .outOfRange(let number): return .badIndex(invalidIndexFailure(number))
            }
        default:
            return .missingParent
        }
    }

    private enum ArrayIndex {
        case index(Int)
        case notANumber
        case outOfRange(Int)
    }

    /// Reads an array index token as json-patch v4 does (`strconv.Atoi`, negative counting from the end).
    ///
    /// - Parameter inserting: Whether the index is an insertion point, where `count` and `-` (append) are valid.
    private static func arrayIndex(_ token: String, count: Int, inserting: Bool) -> ArrayIndex {
        if inserting && token == "-" { return .index(count) }
        guard let number = Int(token) else { return .notANumber }
        let size = inserting ? count + 1 : count
        guard number < size && number >= -size else { return .outOfRange(number) }
        return .index(number < 0 ? number + size : number)
    }

    private static func atoiFailure(_ token: String) -> String {
        "strconv.Atoi: parsing \"\(token)\": invalid syntax"
    }

    private static func invalidIndexFailure(_ number: Int) -> String {
        "Unable to access invalid index: \(number): invalid index referenced"
    }

    /// JSON equality as RFC 6902 defines it for `test`: numbers compare by value, objects ignore member order.
    private static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.integer(let integer), .double(let double)), (.double(let double), .integer(let integer)):
            return Int64(exactly: double) == integer
        case (.array(let lefts), .array(let rights)):
            return lefts.count == rights.count && zip(lefts, rights).allSatisfy { equal($0, $1) }
        case (.object(let lefts), .object(let rights)):
            return lefts.count == rights.count
                && lefts.allSatisfy { name, value in rights[name].map { equal(value, $0) } ?? false }
        default:
            return left == right
        }
    }
}
