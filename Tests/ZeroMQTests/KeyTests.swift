import Testing
import ZeroMQ

@Suite struct KeyTests {
    @Test func z85MatchesTheSpecificationVector() throws {
        let data: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(try Z85.encode(data) == "HelloWorld")
        #expect(try Z85.decode("HelloWorld") == data)
        #expect(try Z85.encode([]) == "")
        #expect(try Z85.decode("") == [])
    }

    @Test func generatedKeysRoundTripThroughZ85() throws {
        let pair = try ZMQCurveKeyPair.generate()
        #expect(pair.publicKey != pair.secretKey)
        for key in [pair.publicKey, pair.secretKey] {
            #expect(key.bytes.count == 32)
            #expect(key.z85.utf8.count == 40)
            #expect(try ZMQCurveKey(z85: key.z85) == key)
            #expect(try ZMQCurveKey(bytes: Z85.decode(key.z85)) == key)
        }
        // Keys never print themselves, not even inside a pair.
        #expect(String(describing: pair.secretKey) == "ZMQCurveKey(<redacted>)")
        #expect(!String(describing: pair).contains("\(pair.secretKey.bytes[0]),"))
        #expect(String(describing: pair).contains("redacted"))
    }

    @Test(arguments: [
        ("", "40 characters; got 0"),
        ("HelloWorld", "40 characters; got 10"),
        (String(repeating: "a", count: 41), "40 characters; got 41"),
        (String(repeating: "a", count: 39) + " ", "not a Z85 character at offset 39"),
        (String(repeating: "a", count: 39) + "\"", "not a Z85 character at offset 39"),
        (String(repeating: "%", count: 40), "out of range"),
    ])
    func invalidZ85KeysAreRejected(text: String, reason: String) {
        #expect {
            try ZMQCurveKey(z85: text)
        } throws: { error in
            guard let error = error as? ZMQError else { return false }
            return error == .invalidArgument && error.message.contains(reason)
        }
    }

    @Test func invalidLengthsAreRejected() {
        #expect(throws: ZMQError.invalidArgument) { try ZMQCurveKey(bytes: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: ZMQError.invalidArgument) { try Z85.encode([1, 2, 3]) }
        #expect(throws: ZMQError.invalidArgument) { try Z85.decode("abcd") }
    }
}

@Test func publicKeyIsDerivedFromTheSecretKey() throws {
    let pair = try ZMQCurveKeyPair.generate()
    #expect(try ZMQCurveKeyPair(secretKey: pair.secretKey) == pair)
}
