import Foundation

/// A Kubernetes resource quantity (`500m`, `512Mi`, `1.5`, `2e3`, `1E`), held exactly.
///
/// The value is stored as a signed count of nano-units (10⁻⁹) in an `Int128`, together with the
/// ``Format`` of the suffix it was written with, which is how Kubernetes decides whether to print a
/// result as `1Gi` or `1073741824`. There is no floating point anywhere: `0.1 + 0.2 == 0.3` holds.
///
/// ## Canonical form
/// ``description`` (and JSON encoding) follows apimachinery's `resource.Quantity` rules:
/// - zero prints as `0`;
/// - a binary (`Ki`…`Ei`) quantity stays binary if it is a whole number of at least 1024 in magnitude,
///   using the largest binary suffix that divides it (`1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`);
///   otherwise it prints as decimal SI (`0.5Ki` → `512`, `100.5Ki` → `102912m`);
/// - a decimal quantity drops trailing zeros and uses the largest exponent that is a multiple of
///   three without introducing a fraction (`1000m` → `1`, `0.1` → `100m`, `1500` → `1500`, `2000` → `2k`);
/// - a quantity written with an exponent (`2e3`) keeps exponent notation (`2e3`, `1.5e3` → `1500`).
///
/// ## Limits
/// - Values finer than one nano-unit are rounded away from zero to the next nano-unit when parsed
///   (`0.1n` → `1n`), as Kubernetes does, so that asking for "a little" never becomes nothing.
/// - Binary quantities are capped at 2⁶³−1 when parsed (`8Ei` parses as 9223372036854775807),
///   as Kubernetes does.
/// - Anything beyond ±(2¹²⁷−1) nano-units (about ±1.7×10²⁹) cannot be represented: parsing throws
///   ``KubeCoreError/Code/quantityOutOfRange`` and so do ``adding(_:)`` / ``subtracting(_:)``.
///   Kubernetes would switch to arbitrary precision there; no real resource comes near it.
/// - Unlike Kubernetes, which echoes a parsed string back when it is already canonical, KubeCore
///   always prints the canonical form; the only visible difference is that a leading `+` is dropped.
public struct Quantity: Sendable {
    /// How a quantity prints its magnitude.
    public enum Format: String, Sendable, Hashable, Codable {
        /// Powers of 1024: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
        case binarySI = "BinarySI"
        /// Powers of 1000: `n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`.
        case decimalSI = "DecimalSI"
        /// Scientific notation: `e3`, `E-6`.
        case decimalExponent = "DecimalExponent"
    }

    /// The exact value in units of 10⁻⁹.
    public let nanoUnits: Int128
    /// The format used when printing; arithmetic keeps the left operand's format unless it is zero.
    public var format: Format

    static let nanoPerUnit: Int128 = 1_000_000_000
    static let maximumMagnitudeDescription = "1.7e29 units (2^127-1 nano-units)"

    /// Creates a quantity from an exact count of nano-units.
    ///
    /// - Parameters:
    ///   - nanoUnits: The value in units of 10⁻⁹. `Int128.min` is clamped to `-Int128.max` so that
    ///     negation never overflows.
    ///   - format: How to print the value.
    public init(nanoUnits: Int128, format: Format = .decimalSI) {
        self.nanoUnits = nanoUnits == .min ? -.max : nanoUnits
        self.format = format
    }

    /// Creates a whole-unit quantity, such as a number of bytes or CPUs.
    ///
    /// - Parameters:
    ///   - value: The value in whole units.
    ///   - format: How to print the value; use `.binarySI` for byte counts.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(nanoUnits: Int128(value) * Self.nanoPerUnit, format: format)
    }

    /// Creates a quantity of thousandths of a unit, such as millicores.
    ///
    /// - Parameter milliValue: The value in units of 10⁻³.
    public init(milliValue: Int64) {
        self.init(nanoUnits: Int128(milliValue) * 1_000_000, format: .decimalSI)
    }

    /// The zero quantity.
    public static let zero = Quantity(nanoUnits: 0)

    /// Whether the value is exactly zero.
    public var isZero: Bool { nanoUnits == 0 }

    /// The value in whole units, rounded away from zero (Kubernetes' `Value()`).
    public var value: Int128 { Self.divideRoundingAwayFromZero(nanoUnits, by: Self.nanoPerUnit) }

    /// The value in thousandths, rounded away from zero (Kubernetes' `MilliValue()`).
    public var milliValue: Int128 { Self.divideRoundingAwayFromZero(nanoUnits, by: 1_000_000) }

    /// Returns the sum of two quantities.
    ///
    /// - Parameter other: The quantity to add.
    /// - Returns: The exact sum, in this quantity's format (or `other`'s, if this one is zero).
    /// - Throws: ``KubeCoreError`` with code `quantityOutOfRange` if the sum cannot be represented.
    public func adding(_ other: Quantity) throws(KubeCoreError) -> Quantity {
        let (sum, overflow) = nanoUnits.addingReportingOverflow(other.nanoUnits)
        guard !overflow, sum != .min else { throw .quantityArithmeticOverflow("+", self, other) }
        return Quantity(nanoUnits: sum, format: isZero ? other.format : format)
    }

    /// Returns the difference of two quantities.
    ///
    /// - Parameter other: The quantity to subtract.
    /// - Returns: The exact difference, in this quantity's format (or `other`'s, if this one is zero).
    /// - Throws: ``KubeCoreError`` with code `quantityOutOfRange` if the result cannot be represented.
    public func subtracting(_ other: Quantity) throws(KubeCoreError) -> Quantity {
        let (difference, overflow) = nanoUnits.subtractingReportingOverflow(other.nanoUnits)
        guard !overflow, difference != .min else { throw .quantityArithmeticOverflow("-", self, other) }
        return Quantity(nanoUnits: difference, format: isZero ? other.format : format)
    }

    /// Adds two quantities, trapping on overflow beyond ±1.7×10²⁹ units like integer `+` does.
    /// Use ``adding(_:)`` when the operands come from untrusted input.
    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        do { return try lhs.adding(rhs) } catch { preconditionFailure(error.message) }
    }

    /// Subtracts two quantities, trapping on overflow beyond ±1.7×10²⁹ units like integer `-` does.
    /// Use ``subtracting(_:)`` when the operands come from untrusted input.
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        do { return try lhs.subtracting(rhs) } catch { preconditionFailure(error.message) }
    }

    /// The quantity with its sign flipped, keeping its format.
    public static prefix func - (operand: Quantity) -> Quantity {
        Quantity(nanoUnits: -operand.nanoUnits, format: operand.format)
    }

    private static func divideRoundingAwayFromZero(_ value: Int128, by divisor: Int128) -> Int128 {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        if remainder == 0 { return quotient }
        return value < 0 ? quotient - 1 : quotient + 1
    }
}

extension Quantity: Hashable, Comparable {
    /// Quantities are equal when their values are equal, whatever their formats (`1Gi == 1073741824`).
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoUnits == rhs.nanoUnits }

    public func hash(into hasher: inout Hasher) { hasher.combine(nanoUnits) }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoUnits < rhs.nanoUnits }
}

extension Quantity: Codable {
    /// Decodes a quantity from a JSON string, or from a JSON number as some clients write
    /// (`"cpu": 2`). Surrounding whitespace is ignored, as the API server does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingCharacters(in: .whitespaces)
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let decimal = try? container.decode(Decimal.self) {
            // Decimal keeps the number's decimal digits, where Double would not.
            text = decimal.description
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a quantity must be a JSON string such as \"500m\" or a number")
        }
        do {
            self = try Quantity(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    /// Encodes the canonical form as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Quantity: ExpressibleByStringLiteral {
    /// Creates a quantity from a literal such as `"500m"`; an invalid literal is a programming error
    /// and traps with the parse error's message.
    public init(stringLiteral value: String) {
        do { self = try Quantity(parsing: value) } catch { preconditionFailure(error.message) }
    }
}
