import Foundation
import KubeCore

extension StructuralSchema {
    /// Validates a custom resource (already pruned and defaulted) as the apiserver's custom resource strategy
    /// does. Root `metadata` is only checked against what the schema says of it (`name`, `generateName`); the
    /// caller validates it as ObjectMeta. CEL rules (`x-kubernetes-validations`) are not evaluated, and there is
    /// no ratcheting of unchanged invalid fields on update.
    ///
    /// Three passes, in the apiserver's order:
    /// 1. the OpenAPI schema (kube-openapi's validator): types, `nullable`, `enum`, bounds, lengths, `pattern`,
    ///    known string `format`s, item and property counts, `required`, `additionalProperties: false`, and
    ///    `allOf`/`anyOf`/`oneOf`/`not`; paths join fields with dots and items with `[i]` (`spec.ports[0].name`),
    ///    and messages embed that path (`spec.replicas in body should be less than or equal to 31`);
    /// 2. embedded resources (`x-kubernetes-embedded-resource`): `apiVersion` and `kind` must be present and
    ///    well formed;
    /// 3. `x-kubernetes-list-type` `set` and `map`: items, respectively map keys, must be unique
    ///    (`spec.ports[1]: Duplicate value: {"name":"http"}`); these paths write map keys as `[key]`.
    ///
    /// Within a pass, properties are visited in sorted order, so the result is deterministic (the apiserver's
    /// order follows Go's map iteration and is not).
    ///
    /// - Parameter value: The whole object.
    /// - Returns: Every violation found; empty when the object is valid.
    func validate(_ value: JSONValue) -> [FieldViolation] {
        var violations = openAPIViolations(of: value, prefix: .root)
        violations += embeddedResourceViolations(of: value, at: .root, isResourceRoot: false)
        violations += listTypeViolations(of: value)
        return violations
    }

    /// The OpenAPI pass of ``validate(_:)`` alone, with violation paths below `prefix` (the root for an object,
    /// `....default` when checking a default). As in the apiserver, the messages name the value's position
    /// relative to this schema, not `prefix`.
    func openAPIViolations(of value: JSONValue, prefix: FieldPath) -> [FieldViolation] {
        OpenAPIValidator(prefix: prefix, patterns: PatternCache()).validate(value, self, name: "")
    }

    /// The embedded-resource pass of ``validate(_:)``: every `x-kubernetes-embedded-resource` object below
    /// `path` (and this node itself when `isResourceRoot`) must have a valid `apiVersion` and `kind`.
    func embeddedResourceViolations(of value: JSONValue, at path: FieldPath, isResourceRoot: Bool) -> [FieldViolation] {
        var schema = self
        if isResourceRoot { schema.isEmbeddedResource = true }
        return EmbeddedResourceValidator.violations(value, schema, at: path)
    }

    /// The list-type pass of ``validate(_:)``: `set` lists must not repeat an item and `map` lists must not
    /// repeat a key, as server-side apply could not tell such items apart.
    func listTypeViolations(of value: JSONValue) -> [FieldViolation] {
        guard case .object(let members) = value else { return [] }
        return ListTypeValidator.objectViolations(members, self, at: .root)
    }
}

// MARK: - OpenAPI validation

/// Compiled patterns for one validation run. `Regex` is not `Sendable`, so patterns are compiled per run and
/// never shared between tasks.
private final class PatternCache {
    private var compiled: [String: Regex<AnyRegexOutput>?] = [:]

    /// Whether `pattern` matches anywhere in `text` (Go's `MatchString`), or `nil` if it does not compile.
    func matches(_ pattern: String, _ text: String) -> Bool? {
        let regex: Regex<AnyRegexOutput>?
        if let cached = compiled[pattern] {
            regex = cached
        } else {
            // Go matches runes, not grapheme clusters.
            regex = (try? Regex(pattern))?.matchingSemantics(.unicodeScalar)
            compiled[pattern] = regex
        }
        guard let regex else { return nil }
        return ((try? regex.firstMatch(in: text)) ?? nil) != nil
    }
}

/// kube-openapi's `SchemaValidator`, with its results converted to field violations as
/// `kubeOpenAPIResultToFieldErrors` does.
///
/// `name` is kube-openapi's path of the value: `""` at the top, `spec.replicas`, `spec.ports[0]`; the
/// violation's path is `prefix` followed by `name`.
private struct OpenAPIValidator {
    let prefix: FieldPath
    let patterns: PatternCache

    /// The formats the apiserver keeps (others, such as `int32` or `int64`, are stripped from the schema
    /// before validation), written without dashes as go-openapi normalizes them.
    static let keptFormats: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4",
        "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password",
        "date", "duration", "datetime",
    ]

    func validate(_ value: JSONValue, _ schema: StructuralSchema, name: String) -> [FieldViolation] {
        let format = schema.format.flatMap { Self.keptFormats.contains($0.filter { $0 != "-" }) ? $0 : nil }
        if value == .null {
            // A null only meets the type and enum checks.
            return (typeViolation(value, schema, format: format, name: name).map { [$0] } ?? [])
                + enumViolations(value, schema, name: name)
        }
        var violations: [FieldViolation] = []
        if let violation = typeViolation(value, schema, format: format, name: name) { violations.append(violation) }
        violations += junctorViolations(value, schema, name: name)
        if case .string(let text) = value {
            violations += stringViolations(text, schema, name: name)
            if let format, !FormatChecker.accepts(format.filter { $0 != "-" }, text) {
                violations.append(
                    .typeInvalid(path(name), value, "\(name) in body must be of type \(format): \(GoText.quote(text))"))
            }
        }
        violations += numberViolations(value, schema, name: name)
        if case .array(let elements) = value { violations += arrayViolations(elements, schema, name: name) }
        violations += enumViolations(value, schema, name: name)
        if case .object(let members) = value { violations += objectViolations(members, schema, name: name) }
        return violations
    }

    /// The field path for kube-openapi's `name`: `prefix.name`, or `prefix` itself for the value at the top.
    private func path(_ name: String) -> FieldPath {
        if name.isEmpty || name == "." { return prefix }
        return prefix.child(name.hasPrefix(".") ? String(name.dropFirst()) : name)
    }

    /// An error kube-openapi raises about a whole composition, which the apiserver reports at `prefix` with an
    /// empty value (so `<nil>: Invalid value: "": "spec.x" must validate ...` for an object).
    private func composite(_ detail: String) -> FieldViolation {
        .invalid(prefix, "", detail)
    }

    // MARK: Type

    /// The types a value may have: `integer,string` for int-or-string, else the schema's type, if any.
    private static func types(_ schema: StructuralSchema) -> [String] {
        if schema.isIntOrString { return ["integer", "string"] }
        return schema.type.map { [$0.rawValue] } ?? []
    }

    private func typeViolation(
        _ value: JSONValue, _ schema: StructuralSchema, format: String?, name: String
    ) -> FieldViolation? {
        let types = Self.types(schema)
        let format = format ?? ""
        guard !types.isEmpty || !format.isEmpty else { return nil }
        func mismatch(_ expected: String, _ found: String) -> FieldViolation {
            .typeInvalid(
                path(name), .string(found), "\(name) in body must be of type \(expected): \(GoText.quote(found))")
        }
        let found: String
        var goFormat = ""
        var isJSONInteger = false
        switch value {
        case .null:
            return !types.isEmpty && !schema.nullable ? mismatch(types.joined(separator: ","), "null") : nil
        case .bool: found = "boolean"
        case .string: found = "string"
        case .integer:
            found = "integer"
            goFormat = "int64"
        case .double(let number):
            found = "number"
            goFormat = "float64"
            isJSONInteger = number.isFinite && abs(number) <= 9_007_199_254_740_992 && number == number.rounded()
        case .array: found = "array"
        case .object: found = "object"
        }
        let isFloatInt = found == "number" && isJSONInteger && types.contains("integer")
        let isIntFloat = found == "integer" && types.contains("number")
        let isStringOrArray = found == "string" || found == "array"
        if !isStringOrArray && !format.isEmpty
            && !(types.contains(found) || goFormat == format || isFloatInt || isIntFloat)
        {
            return mismatch(format, goFormat)
        }
        if !(types.contains("number") || types.contains("integer")) && !format.isEmpty && isStringOrArray {
            return nil
        }
        if !(types.contains(found) || isFloatInt || isIntFloat) {
            return mismatch(types.joined(separator: ","), found)
        }
        return nil
    }

    // MARK: Compositions

    private func junctorViolations(_ value: JSONValue, _ schema: StructuralSchema, name: String) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        let quotedName = GoText.quote(name)
        if !schema.anyOf.isEmpty {
            var best: [FieldViolation]?
            var passed = false
            for sub in schema.anyOf {
                let result = validate(value, sub, name: name)
                if result.isEmpty {
                    passed = true
                    best = nil
                    break
                }
                // kube-openapi keeps the failures of the branch that matched best; fewest failures stands in.
                if best == nil || result.count < best?.count ?? 0 { best = result }
            }
            if !passed { violations.append(composite("\(quotedName) must validate at least one schema (anyOf)")) }
            violations += best ?? []
        }
        if !schema.oneOf.isEmpty {
            var best: [FieldViolation]?
            var passed = 0
            for sub in schema.oneOf {
                let result = validate(value, sub, name: name)
                if result.isEmpty {
                    passed += 1
                    best = nil
                } else if passed == 0 && (best == nil || result.count < best?.count ?? 0) {
                    best = result
                }
            }
            if passed != 1 {
                let found = passed == 0 ? "Found none valid" : "Found \(passed) valid alternatives"
                violations.append(composite("\(quotedName) must validate one and only one schema (oneOf). \(found)"))
                violations += best ?? []
            }
        }
        if !schema.allOf.isEmpty {
            var passed = 0
            for sub in schema.allOf {
                let result = validate(value, sub, name: name)
                if result.isEmpty { passed += 1 }
                violations += result
            }
            if passed != schema.allOf.count {
                let none = passed == 0 ? ". None validated" : ""
                violations.append(composite("\(quotedName) must validate all the schemas (allOf)\(none)"))
            }
        }
        if let not = schema.not, validate(value, not, name: name).isEmpty {
            violations.append(composite("\(quotedName) must not validate the schema (not)"))
        }
        return violations
    }

    // MARK: Strings

    /// Length, then minimum length, then pattern; only the first failure is reported, as kube-openapi does.
    private func stringViolations(_ text: String, _ schema: StructuralSchema, name: String) -> [FieldViolation] {
        // Lengths count runes, as Go's utf8.RuneCount does.
        let length = Int64(text.unicodeScalars.count)
        if let maxLength = schema.maxLength, length > maxLength {
            return [.tooLong(path(name), maxLength: Int(clamping: maxLength))]
        }
        if let minLength = schema.minLength, length < minLength {
            return [.invalid(path(name), .string(text), "\(name) in body should be at least \(minLength) chars long")]
        }
        if let pattern = schema.pattern {
            switch patterns.matches(pattern, text) {
            case .some(true):
                break
            case .some(false):
                return [.invalid(path(name), .string(text), "\(name) in body should match '\(pattern)'")]
            case .none:
                return [
                    .invalid(
                        path(name), .string(text), "\(name) in body should match '\(pattern), but pattern is invalid'")
                ]
            }
        }
        return []
    }

    // MARK: Numbers

    /// `multipleOf`, `minimum` and `maximum`, in kube-openapi's order. Integers are compared with the bound
    /// truncated to an integer, as kube-openapi does, so the message shows `31` for `maximum: 31`.
    private func numberViolations(_ value: JSONValue, _ schema: StructuralSchema, name: String) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        let here = path(name)
        switch value {
        case .integer(let number):
            if let factor = schema.multipleOf {
                let whole = Self.truncated(factor)
                if factor < 0 {
                    violations.append(
                        .invalid(
                            here, .double(factor), "factor MultipleOf declared for \(name) must be positive: \(whole)"))
                } else if whole != 0 {
                    if number % whole != 0 {
                        violations.append(.invalid(here, value, "\(name) in body should be a multiple of \(whole)"))
                    }
                } else if !Self.isMultiple(Double(number), of: factor) {
                    // kube-openapi would divide by zero here; the fractional check is the sensible reading.
                    violations.append(
                        .invalid(here, value, "\(name) in body should be a multiple of \(GoText.float(factor))"))
                }
            }
            if let minimum = schema.minimum {
                let bound = Self.truncated(minimum)
                if schema.exclusiveMinimum ? number <= bound : number < bound {
                    let relation = schema.exclusiveMinimum ? "greater than" : "greater than or equal to"
                    violations.append(.invalid(here, value, "\(name) in body should be \(relation) \(bound)"))
                }
            }
            if let maximum = schema.maximum {
                let bound = Self.truncated(maximum)
                if schema.exclusiveMaximum ? number >= bound : number > bound {
                    let relation = schema.exclusiveMaximum ? "less than" : "less than or equal to"
                    violations.append(.invalid(here, value, "\(name) in body should be \(relation) \(bound)"))
                }
            }
        case .double(let number):
            if let factor = schema.multipleOf {
                if factor < 0 {
                    violations.append(
                        .invalid(
                            here, .double(factor),
                            "factor MultipleOf declared for \(name) must be positive: \(GoText.float(factor))"))
                } else if !Self.isMultiple(number, of: factor) {
                    violations.append(
                        .invalid(here, value, "\(name) in body should be a multiple of \(GoText.float(factor))"))
                }
            }
            if let minimum = schema.minimum, schema.exclusiveMinimum ? number <= minimum : number < minimum {
                let relation = schema.exclusiveMinimum ? "greater than" : "greater than or equal to"
                violations.append(
                    .invalid(here, value, "\(name) in body should be \(relation) \(GoText.float(minimum))"))
            }
            if let maximum = schema.maximum, schema.exclusiveMaximum ? number >= maximum : number > maximum {
                let relation = schema.exclusiveMaximum ? "less than" : "less than or equal to"
                violations.append(
                    .invalid(here, value, "\(name) in body should be \(relation) \(GoText.float(maximum))"))
            }
        default:
            break
        }
        return violations
    }

    /// Go's `int64(f)`: towards zero, saturating instead of Go's unspecified result out of range.
    private static func truncated(_ number: Double) -> Int64 {
        guard number.isFinite else { return number < 0 ? .min : .max }
        // ±2^63, exactly representable; Int64.max itself is not.
        if number >= 9_223_372_036_854_775_808.0 { return .max }
        if number <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(number.rounded(.towardZero))
    }

    /// kube-openapi's fractional `multipleOf`: the quotient must be a JSON integer.
    private static func isMultiple(_ number: Double, of factor: Double) -> Bool {
        guard factor != 0 else { return true }
        let quotient = factor < 1 ? 1 / factor * number : number / factor
        return quotient.isFinite && abs(quotient) <= 9_007_199_254_740_992 && quotient == quotient.rounded()
    }

    // MARK: Arrays

    /// Items first, then `minItems` and `maxItems`.
    private func arrayViolations(_ elements: [JSONValue], _ schema: StructuralSchema, name: String) -> [FieldViolation]
    {
        var violations: [FieldViolation] = []
        if let items = schema.items {
            for (index, element) in elements.enumerated() {
                violations += validate(element, items, name: "\(name)[\(index)]")
            }
        }
        let count = Int64(elements.count)
        if let minItems = schema.minItems, count < minItems {
            violations.append(
                .invalid(path(name), .integer(count), "\(name) in body should have at least \(minItems) items"))
        }
        if let maxItems = schema.maxItems, count > maxItems {
            violations.append(.tooMany(path(name), actual: elements.count, max: Int(clamping: maxItems)))
        }
        return violations
    }

    // MARK: Enumerations

    private func enumViolations(_ value: JSONValue, _ schema: StructuralSchema, name: String) -> [FieldViolation] {
        guard let allowed = schema.enumValues, !allowed.isEmpty else { return [] }
        // kube-openapi never matches a null, not even against a null in the enum.
        if value != .null && allowed.contains(where: { Self.enumMatches(value, $0) }) { return [] }
        let supported = allowed.map { allowedValue -> String in
            if case .string(let text) = allowedValue { return text }
            return GoText.json(allowedValue)
        }
        return [.notSupported(path(name), value, supported: supported)]
    }

    /// kube-openapi's comparison: the value is converted to the enum entry's Go type where Go allows that
    /// conversion, then compared.
    private static func enumMatches(_ value: JSONValue, _ allowed: JSONValue) -> Bool {
        switch (value, allowed) {
        case (.integer(let number), .double(let entry)): return Double(number) == entry
        case (.double(let number), .integer(let entry)):
            return number.isFinite && abs(number) < 9.2e18 && Int64(number.rounded(.towardZero)) == entry
        case (.integer(let number), .string(let entry)):
            // Go converts an integer to the string of that code point.
            let scalar = Int(exactly: number).flatMap { UInt32(exactly: $0) }.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
            return String(scalar) == entry
        default:
            return value == allowed
        }
    }

    // MARK: Objects

    /// Property counts (a failure ends the object's checks), unknown properties, properties, `required`.
    private func objectViolations(
        _ members: [String: JSONValue], _ schema: StructuralSchema, name: String
    ) -> [FieldViolation] {
        let count = Int64(members.count)
        if let minProperties = schema.minProperties, count < minProperties {
            return [
                .invalid(
                    path(name), .integer(count), "\(name) in body should have at least \(minProperties) properties")
            ]
        }
        if let maxProperties = schema.maxProperties, count > maxProperties {
            return [.tooMany(path(name), actual: members.count, max: Int(clamping: maxProperties))]
        }
        var violations: [FieldViolation] = []
        switch schema.additionalProperties {
        case .allowed(false):
            for key in GoText.sortedKeys(members) where schema.properties[key] == nil {
                violations.append(.invalid(path(name), .string(key), "\(name).\(key) in body is a forbidden property"))
            }
        case .schema(let valueSchema):
            for key in GoText.sortedKeys(members) where schema.properties[key] == nil {
                guard let member = members[key] else { continue }
                violations += validate(member, valueSchema, name: "\(name).\(key)")
            }
        case .allowed(true), nil:
            break
        }
        for property in GoText.sortedKeys(schema.properties) {
            guard let propertySchema = schema.properties[property], let member = members[property] else { continue }
            violations += validate(member, propertySchema, name: name.isEmpty ? property : "\(name).\(property)")
        }
        for key in schema.required where members[key] == nil {
            violations.append(.required(path("\(name).\(key)")))
        }
        return violations
    }
}

// MARK: - Formats

/// The string formats the sandbox checks, as go-openapi's `strfmt` does; the other formats the apiserver
/// keeps (email, hostname, ipv4, ...) are accepted without checking.
private enum FormatChecker {
    /// Whether `text` is valid for `format`, written without dashes (`datetime`).
    static func accepts(_ format: String, _ text: String) -> Bool {
        switch format {
        case "datetime": isDateTime(text)
        case "date": isDate(text)
        case "byte": Data(base64Encoded: text.filter { $0 != "\r" && $0 != "\n" }) != nil
        case "uuid": isUUID(text, version: nil)
        case "uuid3": isUUID(text, version: "3")
        case "uuid4": isUUID(text, version: "4")
        case "uuid5": isUUID(text, version: "5")
        default: true
        }
    }

    /// RFC 3339 `full-date`: `2006-01-02`, with a real day of that month.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// strfmt's `IsDateTime`: a date, `T` (any case), then `hh:mm:ss`, optional fraction, and `Z` or `±hh:mm`.
    static func isDateTime(_ text: String) -> Bool {
        guard text.count >= 4 else { return false }
        let parts = text.lowercased().split(separator: "t", omittingEmptySubsequences: false)
        guard parts.count >= 2, isDate(String(parts[0])) else { return false }
        let time = Array(parts[1])
        func twoDigits(_ at: Int) -> String? {
            guard at + 1 < time.count, time[at].isASCIIDigit, time[at + 1].isASCIIDigit else { return nil }
            return String(time[at...at + 1])
        }
        guard let hour = twoDigits(0), time.count > 2, time[2] == ":", let minute = twoDigits(3),
            time.count > 5, time[5] == ":", let second = twoDigits(6)
        else { return false }
        var index = 8
        if index < time.count, time[index] != "z", time[index] != "+", time[index] != "-" {
            // Any one character, then digits: the pattern's unescaped `.`.
            index += 1
            let digitsStart = index
            while index < time.count, time[index].isASCIIDigit { index += 1 }
            guard index > digitsStart else { return false }
        }
        let zone = Array(time[min(index, time.count)...])
        let zoneOK: Bool
        if zone == ["z"] {
            zoneOK = true
        } else if zone.count == 6, zone[0] == "+" || zone[0] == "-", zone[3] == ":" {
            zoneOK = [zone[1], zone[2], zone[4], zone[5]].allSatisfy(\.isASCIIDigit)
        } else {
            zoneOK = false
        }
        return zoneOK && hour <= "23" && minute <= "59" && second <= "59"
    }

    /// strfmt's UUID patterns: 32 hex digits in groups of 8-4-4-4-12, dashes optional, any case; the
    /// versioned formats also fix the version digit (and, for 4 and 5, the variant).
    static func isUUID(_ text: String, version: Character?) -> Bool {
        let groups = [8, 4, 4, 4, 12]
        var hex: [Character] = []
        var characters = Array(text.lowercased())[...]
        for (offset, length) in groups.enumerated() {
            if offset > 0, characters.first == "-" { characters = characters.dropFirst() }
            let group = characters.prefix(length)
            guard group.count == length, group.allSatisfy(\.isHexDigit) else { return false }
            hex += group
            characters = characters.dropFirst(length)
        }
        guard characters.isEmpty else { return false }
        guard let version else { return true }
        if hex[12] != version { return false }
        return version == "3" || "89ab".contains(hex[16])
    }
}

extension Character {
    /// `0` to `9` only, unlike `isNumber`.
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

// MARK: - Embedded resources

/// `objectmeta.Validate`: `apiVersion` and `kind` of embedded resources. Their `metadata` is not checked.
private enum EmbeddedResourceValidator {
    static func violations(_ value: JSONValue, _ schema: StructuralSchema?, at path: FieldPath) -> [FieldViolation] {
        guard let schema else { return [] }
        var violations: [FieldViolation] = []
        switch value {
        case .object(let members):
            if schema.isEmbeddedResource { violations += typeMetaViolations(members, at: path) }
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                if let property = schema.properties[key] {
                    violations += self.violations(member, property, at: path.child(key))
                } else if let additional = schema.additionalProperties {
                    violations += self.violations(member, additional.schema, at: path.key(key))
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                violations += self.violations(element, schema.items, at: path.index(index))
            }
        default:
            break
        }
        return violations
    }

    private static func typeMetaViolations(_ members: [String: JSONValue], at path: FieldPath) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        let apiVersionPath = path.child("apiVersion")
        let kindPath = path.child("kind")
        if members["apiVersion"] == nil { violations.append(.required(apiVersionPath, "must not be empty")) }
        if members["kind"] == nil { violations.append(.required(kindPath, "must not be empty")) }
        if let apiVersion = members["apiVersion"] {
            if case .string(let text) = apiVersion {
                if text.isEmpty {
                    violations.append(.invalid(apiVersionPath, apiVersion, "must not be empty"))
                } else if text != "/" && text.filter({ $0 == "/" }).count > 1 {
                    violations.append(.invalid(apiVersionPath, apiVersion, "unexpected GroupVersion string: \(text)"))
                }
            } else {
                violations.append(.invalid(apiVersionPath, apiVersion, "must be a string"))
            }
        }
        if let kind = members["kind"] {
            if case .string(let text) = kind {
                if text.isEmpty {
                    violations.append(.invalid(kindPath, kind, "must not be empty"))
                } else {
                    let problems = dns1035LabelProblems(text.lowercased())
                    if !problems.isEmpty {
                        violations.append(
                            .invalid(
                                kindPath, kind,
                                "may have mixed case, but should otherwise match: " + problems.joined(separator: ",")))
                    }
                }
            } else {
                violations.append(.invalid(kindPath, kind, "must be a string"))
            }
        }
        return violations
    }

    /// apimachinery's `IsDNS1035Label`.
    static func dns1035LabelProblems(_ label: String) -> [String] {
        var problems: [String] = []
        if label.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        let bytes = Array(label.utf8)
        func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        let valid =
            !bytes.isEmpty && isLower(bytes[0])
            && bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == 0x2D }
            && (isLower(bytes[bytes.count - 1]) || isDigit(bytes[bytes.count - 1]))
        if !valid {
            problems.append(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            )
        }
        return problems
    }
}

// MARK: - List types

/// `listtype.ValidateListSetsAndMaps`.
private enum ListTypeValidator {
    /// How two items (or map keys) are compared: Go compares scalars by type and value (`1` and `1.0` differ)
    /// and objects and lists by their JSON (where they do not).
    private enum Identity: Hashable {
        case scalar(JSONValue)
        case compound(String)
        case unspecified

        init(_ value: JSONValue) {
            switch value {
            case .array, .object: self = .compound(GoText.json(value))
            default: self = .scalar(value)
            }
        }
    }

    static func objectViolations(
        _ members: [String: JSONValue], _ schema: StructuralSchema, at path: FieldPath
    ) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        if let valueSchema = schema.additionalProperties?.schema {
            for key in GoText.sortedKeys(members) {
                guard let member = members[key] else { continue }
                violations += valueViolations(member, valueSchema, at: path.key(key))
            }
        }
        for key in GoText.sortedKeys(members) {
            guard let member = members[key], let property = schema.properties[key] else { continue }
            violations += valueViolations(member, property, at: path.child(key))
        }
        return violations
    }

    private static func valueViolations(
        _ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath
    ) -> [FieldViolation] {
        switch value {
        case .array(let elements): arrayViolations(elements, schema, at: path)
        case .object(let members): objectViolations(members, schema, at: path)
        default: []
        }
    }

    private static func arrayViolations(
        _ elements: [JSONValue], _ schema: StructuralSchema, at path: FieldPath
    ) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        switch schema.listType {
        case .set:
            for index in repeatedIndices(elements.map(Identity.init)) {
                violations.append(.duplicate(path.index(index), elements[index]))
            }
        case .map:
            violations += mapViolations(elements, keys: schema.listMapKeys, at: path)
        case .atomic, nil:
            break
        }
        if let items = schema.items {
            for (index, element) in elements.enumerated() {
                violations += valueViolations(element, items, at: path.index(index))
            }
        }
        return violations
    }

    private static func mapViolations(_ elements: [JSONValue], keys: [String], at path: FieldPath) -> [FieldViolation] {
        for (index, element) in elements.enumerated() {
            switch element {
            case .null, .object: continue
            default: return [.invalid(path.index(index), element, "must be an object for an array of list-type map")]
            }
        }
        guard elements.count > 1 else { return [] }

        if keys.count == 1, let keyField = keys.first {
            let identities = elements.map { element -> Identity in
                guard case .object(let members) = element, let key = members[keyField] else { return .unspecified }
                return Identity(key)
            }
            return repeatedIndices(identities).map { index in
                // An item without the key is reported with an empty key object.
                guard case .object(let members) = elements[index], let key = members[keyField] else {
                    return .duplicate(path.index(index), .object([:]))
                }
                return .duplicate(path.index(index), .object([keyField: key]))
            }
        }

        let keyObjects = elements.map { element -> JSONValue in
            guard case .object(let members) = element else { return .object([:]) }
            return .object(members.filter { keys.contains($0.key) })
        }
        return repeatedIndices(keyObjects.map(Identity.init)).map { .duplicate(path.index($0), keyObjects[$0]) }
    }

    /// The index of the second appearance of every repeated identity, in order (later repeats are not reported).
    private static func repeatedIndices(_ identities: [Identity]) -> [Int] {
        guard identities.count > 1 else { return [] }
        var seen: [Identity: Int] = [:]
        var repeated: [Int] = []
        for (index, identity) in identities.enumerated() {
            let times = seen[identity, default: 0]
            seen[identity] = times + 1
            if times == 1 { repeated.append(index) }
        }
        return repeated
    }
}
