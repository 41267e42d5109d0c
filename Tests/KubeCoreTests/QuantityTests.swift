import Foundation
import KubeCore
import Testing

@Suite struct QuantityTests {
    @Test(arguments: [
        ("500m", "500m"), ("1000m", "1"), ("1024Mi", "1Gi"), ("1.5Gi", "1536Mi"), ("0.1", "100m"),
        ("100k", "100k"), ("1E", "1E"), ("1.5", "1500m"), ("1500", "1500"), ("2000", "2k"),
        ("1e3", "1e3"), ("2e3", "2e3"), ("1.5e3", "1500"), ("12e6", "12e6"), ("1e-3", "1e-3"), ("1E3", "1e3"),
        ("0.5Ki", "512"), ("1Ki", "1Ki"), ("1023Ki", "1023Ki"), ("1.5Ki", "1536"), ("100.5Ki", "102912"),
        ("0.3Ki", "307200m"), ("1048576", "1048576"), ("1.5Ti", "1536Gi"), ("10Gi", "10Gi"),
        ("8Ei", "9223372036854775807"), ("-1Gi", "-1Gi"), ("+1", "1"), ("0", "0"), ("0Mi", "0"), ("-0", "0"),
        ("00", "0"), ("007", "7"), ("1n", "1n"), ("0.1n", "1n"), ("1.0000000001", "1000000001n"), (".5", "500m"),
        ("5.", "5"), ("1000E", "1e21"), ("1u", "1u"), ("1000u", "1m"), ("123456789n", "123456789n"),
        ("1.1", "1100m"), ("-1.5", "-1500m"), ("512Mi", "512Mi"), ("1536Mi", "1536Mi"), ("1e+2", "100"),
        ("100000000000000000000000000000", "100e27"),
        // From apimachinery's own parse and emit tables.
        (".001Ki", "1024m"), (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
        ("1000M", "1G"), ("3.001n", "4n"), ("1.1E-9", "2e-9"), ("0.00000012345", "124n"), ("100.035k", "100035"),
        ("8.1k", "8100"), ("1.01E", "1010P"), ("12E", "12E"), ("1.G", "1G"), (".0001k", "100m"), ("0.5e-1", "50e-3"),
        ("1.3E+6", "1300e3"), ("300.2T", "300200G"), ("9Ei", "9223372036854775807"), ("1.2e3", "1200"),
        ("9223372036854775807Ki", "9223372036854775807"), ("300Mi", "300Mi"), ("1001Gi", "1001Gi"), ("1025", "1025"),
    ])
    func canonicalForm(input: String, expected: String) throws {
        #expect(try Quantity(parsing: input).description == expected)
    }

    @Test(arguments: [
        "1.2.3", "", "5Qi", "-", "+", ".", "1K", "1 ", " 1", "1e", "1e+", "abc", "1Mi2", "0.1mi", "1i", "--1", "1..",
        "1.1.M", "1+1.0M", "0.1am", "aoeu", ".5i", "-3.01i", "-3.01e-",
    ])
    func rejectsInvalidInputNamingIt(input: String) {
        do {
            _ = try Quantity(parsing: input)
            Issue.record("\"\(input)\" should not parse")
        } catch {
            #expect(error.code == .invalidQuantity)
            #expect(error.message.contains("\"\(input)\""), "message was: \(error.message)")
        }
    }

    @Test func rejectsValuesBeyondTheExactRange() {
        for input in ["1e30", "200000000000000000000000000000", "1000000000000000000000000000000Ki"] {
            #expect(throws: KubeCoreError.self) { try Quantity(parsing: input) }
            do { _ = try Quantity(parsing: input) } catch {
                #expect(error.code == .quantityOutOfRange)
                #expect(error.message.contains(input))
            }
        }
    }

    @Test func tinyValuesRoundAwayFromZeroToOneNano() throws {
        #expect(try Quantity(parsing: "1e-100").nanoUnits == 1)
        #expect(try Quantity(parsing: "-0.1n").nanoUnits == -1)
        #expect(try Quantity(parsing: "0.0000000000000000000000000000000000000000001Ki").nanoUnits == 1)
    }

    @Test(arguments: [
        ("500m", "500m", "1"), ("512Mi", "512Mi", "1Gi"), ("0.1", "0.2", "300m"), ("1Ki", "1024", "2Ki"),
        ("0", "1Ki", "1Ki"), ("1", "-1500m", "-500m"), ("1G", "1Gi", "2073741824"), ("2e3", "1", "2001"),
    ])
    func addition(lhs: String, rhs: String, expected: String) throws {
        let sum = try Quantity(parsing: lhs) + Quantity(parsing: rhs)
        #expect(sum.description == expected)
        #expect(sum == (try Quantity(parsing: expected)))
    }

    @Test(arguments: [
        ("1Gi", "512Mi", "512Mi"), ("1", "1500m", "-500m"), ("2", "2", "0"), ("0", "1Gi", "-1Gi"), ("4Gi", "1G", "3294967296"),
    ])
    func subtraction(lhs: String, rhs: String, expected: String) throws {
        let difference = try Quantity(parsing: lhs) - Quantity(parsing: rhs)
        #expect(difference.description == expected)
    }

    @Test func arithmeticOverflowThrows() throws {
        let largest = Quantity(nanoUnits: .max)
        #expect(throws: KubeCoreError.self) { try largest.adding("1n") }
        #expect(throws: KubeCoreError.self) { try (-largest).subtracting("1n") }
        #expect(try largest.subtracting("1n").nanoUnits == .max - 1)
    }

    @Test func comparison() throws {
        #expect(Quantity("1Gi") > Quantity("1G"))
        #expect(Quantity("500m") < Quantity("1"))
        #expect(Quantity("1Gi") == Quantity("1073741824"))
        #expect(Quantity("1000m") == Quantity("1"))
        #expect(Quantity("-1") < Quantity.zero)
        #expect(Set<Quantity>(["1", "1000m", "1e0"]).count == 1)
        #expect([Quantity("2"), "500m", "1Ki"].sorted().map(\.description) == ["500m", "2", "1Ki"])
    }

    @Test func integerAccessorsRoundAwayFromZero() {
        #expect(Quantity("1500m").value == 2)
        #expect(Quantity("-1500m").value == -2)
        #expect(Quantity("2").value == 2)
        #expect(Quantity("1.0001").milliValue == 1001)
        #expect(Quantity("1Gi").value == 1_073_741_824)
        #expect(Quantity(milliValue: 250).description == "250m")
        #expect(Quantity(1024, format: .binarySI).description == "1Ki")
    }

    @Test func codableAsStringAndAcceptsNumbers() throws {
        let decoded = try decode(
            [String: Quantity].self, from: #"{"cpu": 2, "memory": "1Gi", "share": 0.5, "padded": " 100m "}"#)
        #expect(decoded["cpu"]?.description == "2")
        #expect(decoded["memory"]?.description == "1Gi")
        #expect(decoded["share"]?.description == "500m")
        #expect(decoded["padded"]?.description == "100m")
        #expect(try jsonString(["cpu": Quantity("1000m")]) == #"{"cpu":"1"}"#)
    }

    @Test func decodingAnInvalidQuantityNamesIt() {
        do {
            _ = try decode([String: Quantity].self, from: #"{"cpu": "5Qi"}"#)
            Issue.record("should not decode")
        } catch {
            #expect(String(describing: error).contains("5Qi"))
        }
    }
}
