extension Quantity {
    /// Parses a quantity in Kubernetes notation.
    ///
    /// The grammar is apimachinery's: an optional sign, digits with an optional decimal point
    /// (`1`, `1.5`, `.5`, `5.`), then an optional suffix — decimal SI (`n u m k M G T P E`), binary SI
    /// (`Ki Mi Gi Ti Pi Ei`) or an exponent (`e3`, `E-2`). Note that `E` alone means exa (10¹⁸) and
    /// `K` is not a suffix (kilo is `k`).
    ///
    /// - Parameter text: The quantity, without surrounding whitespace.
    /// - Throws: ``KubeCoreError`` with code `invalidQuantity` naming `text` and what is wrong with it,
    ///   or `quantityOutOfRange` when the value exceeds about ±1.7×10²⁹ (see ``Quantity`` limits).
    public init(parsing text: String) throws(KubeCoreError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidQuantity(text, "the string is empty") }
        var position = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            position = 1
        }
        let integerDigits = Self.scanDigits(bytes, from: &position)
        var fractionDigits: ArraySlice<UInt8> = []
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            fractionDigits = Self.scanDigits(bytes, from: &position)
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else {
            throw .invalidQuantity(text, "expected a number such as \"1\", \"0.5\" or \"500m\" before any suffix")
        }
        let suffix = String(decoding: bytes[position...], as: UTF8.self)
        let scale = try Self.interpretSuffix(suffix, in: text)

        var digits = Array(integerDigits) + Array(fractionDigits)
        var fractionCount = fractionDigits.count
        // Trailing fractional zeros carry no value; dropping them keeps the integer small.
        while fractionCount > 0, digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            fractionCount -= 1
        }
        let significant = digits.drop(while: { $0 == UInt8(ascii: "0") })

        var magnitude: Int128
        var format = scale.format
        switch scale {
        case .decimal(let exponent, _):
            magnitude = try Self.nanoUnits(
                decimalDigits: significant, powerOfTen: exponent - fractionCount + 9, text: text)
        case .binary(let powerOfTwo):
            magnitude = try Self.nanoUnits(
                binaryDigits: significant, powerOfTwo: powerOfTwo, fractionCount: fractionCount, text: text)
            // Kubernetes silently caps binary quantities at 2^63-1 when parsing; do the same so both
            // sides agree on what "8Ei" means.
            let cap = Int128(Int64.max) * Self.nanoPerUnit
            if magnitude > cap { magnitude = cap }
            // A binary fraction of one would print as a rounded "0Ki"; Kubernetes switches to decimal.
            if magnitude > 0, magnitude < Self.nanoPerUnit { format = .decimalSI }
        }
        self.init(nanoUnits: negative ? -magnitude : magnitude, format: format)
    }

    private enum Scale {
        case decimal(exponent: Int, format: Format)
        case binary(powerOfTwo: Int)

        var format: Format {
            switch self {
            case .decimal(_, let format): format
            case .binary: .binarySI
            }
        }
    }

    private static let decimalSuffixes: [String: Int] = [
        "": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [String: Int] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]

    private static func interpretSuffix(_ suffix: String, in text: String) throws(KubeCoreError) -> Scale {
        if let exponent = decimalSuffixes[suffix] { return .decimal(exponent: exponent, format: .decimalSI) }
        if let power = binarySuffixes[suffix] { return .binary(powerOfTwo: power) }
        if let first = suffix.first, first == "e" || first == "E", suffix.count > 1 {
            var rest = Array(suffix.utf8.dropFirst())
            var negative = false
            if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") {
                negative = rest.removeFirst() == UInt8(ascii: "-")
            }
            guard !rest.isEmpty, rest.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .invalidQuantity(text, "exponent \"\(suffix)\" must be e or E followed by an integer, as in \"2e3\"")
            }
            // Exponents beyond a few hundred can only yield zero, one nano-unit or overflow; clamping
            // keeps the arithmetic below in range without changing any outcome.
            var exponent = 0
            for digit in rest { exponent = min(exponent * 10 + Int(digit - UInt8(ascii: "0")), 1_000) }
            return .decimal(exponent: negative ? -exponent : exponent, format: .decimalExponent)
        }
        throw .invalidQuantity(
            text,
            "unknown suffix \"\(suffix)\"; use one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei "
                + "or an exponent such as e3")
    }

    private static func scanDigits(_ bytes: [UInt8], from position: inout Int) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return bytes[start..<position]
    }

    /// `digits × 10^powerOfTen`, rounding a sub-nano remainder away from zero.
    private static func nanoUnits(
        decimalDigits digits: ArraySlice<UInt8>, powerOfTen: Int, text: String
    ) throws(KubeCoreError) -> Int128 {
        guard !digits.isEmpty else { return 0 }
        if powerOfTen >= 0 {
            let mantissa = try integer(digits, text: text)
            return try multiply(mantissa, byPowerOfTen: powerOfTen, text: text)
        }
        let dropped = -powerOfTen
        // Leading zeros were stripped, so the digits are non-zero: a value below one nano-unit
        // rounds up to exactly one.
        guard dropped < digits.count else { return 1 }
        let kept = digits.dropLast(dropped)
        let roundUp = digits.suffix(dropped).contains { $0 != UInt8(ascii: "0") }
        let magnitude = try integer(kept, text: text)
        return roundUp ? try add(magnitude, 1, text: text) : magnitude
    }

    /// `digits × 2^powerOfTwo × 10^(9 - fractionCount)`, rounding a sub-nano remainder away from zero.
    private static func nanoUnits(
        binaryDigits digits: ArraySlice<UInt8>, powerOfTwo: Int, fractionCount: Int, text: String
    ) throws(KubeCoreError) -> Int128 {
        guard !digits.isEmpty else { return 0 }
        let mantissa = try integer(digits, text: text)
        let (scaled, overflow) = mantissa.multipliedReportingOverflow(by: Int128(1) << powerOfTwo)
        guard !overflow else { throw .quantityOutOfRange(text) }
        if fractionCount <= 9 { return try multiply(scaled, byPowerOfTen: 9 - fractionCount, text: text) }
        let divisorExponent = fractionCount - 9
        // 10^39 exceeds Int128, and so would any dividend: the quotient is below one nano-unit.
        guard divisorExponent <= 38 else { return 1 }
        var divisor: Int128 = 1
        for _ in 0..<divisorExponent { divisor *= 10 }
        let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: divisor)
        return remainder == 0 ? quotient : quotient + 1
    }

    private static func integer(_ digits: ArraySlice<UInt8>, text: String) throws(KubeCoreError) -> Int128 {
        var result: Int128 = 0
        for digit in digits {
            result = try add(try multiply(result, byPowerOfTen: 1, text: text), Int128(digit - UInt8(ascii: "0")), text: text)
        }
        return result
    }

    private static func multiply(_ value: Int128, byPowerOfTen power: Int, text: String) throws(KubeCoreError) -> Int128 {
        var result = value
        for _ in 0..<power {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .quantityOutOfRange(text) }
            result = product
        }
        return result
    }

    private static func add(_ lhs: Int128, _ rhs: Int128, text: String) throws(KubeCoreError) -> Int128 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard !overflow else { throw .quantityOutOfRange(text) }
        return sum
    }
}
