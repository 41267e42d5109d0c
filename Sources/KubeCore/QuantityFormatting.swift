extension Quantity: CustomStringConvertible {
    /// The canonical Kubernetes form of the quantity, as the API server would write it back.
    public var description: String {
        guard nanoUnits != 0 else { return "0" }
        var format = format
        if format == .binarySI {
            let magnitude = nanoUnits.magnitude
            // Below 1024, or with a fraction, binary suffixes would need rounding: print decimal.
            if magnitude < 1024 * UInt128(Self.nanoPerUnit) || nanoUnits % Self.nanoPerUnit != 0 {
                format = .decimalSI
            }
        }
        switch format {
        case .binarySI:
            var units = nanoUnits / Self.nanoPerUnit
            var power = 0
            while power < Self.binarySuffixNames.count - 1, units % 1024 == 0 {
                units /= 1024
                power += 1
            }
            return "\(units)\(Self.binarySuffixNames[power])"
        case .decimalSI, .decimalExponent:
            var mantissa = nanoUnits
            var exponent = -9
            while mantissa % 10 == 0 {
                mantissa /= 10
                exponent += 1
            }
            // Lower the exponent to a multiple of three; this only undoes divisions made above,
            // so the mantissa never grows past the original value.
            while exponent % 3 != 0 {
                mantissa *= 10
                exponent -= 1
            }
            if format == .decimalSI, let suffix = Self.decimalSuffixNames[exponent] {
                return "\(mantissa)\(suffix)"
            }
            // DecimalSI has no suffix beyond E (10^18); like Kubernetes, fall back to an exponent
            // rather than silently dropping magnitude.
            return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
        }
    }

    private static let binarySuffixNames = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    private static let decimalSuffixNames: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
}
