import KubeCore
import Testing

@testable import KubeSandbox

/// The message of the error parsing `text` throws, or `nil` when it parses.
private func fieldParseError(_ text: String) -> String? {
    do throws(SelectorError) {
        _ = try FieldSelector.parse(text)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct FieldSelectorParsingTests {
    @Test func emptySelectorsSelectEverything() throws {
        for text in ["", ",", ",,"] {
            let selector = try FieldSelector.parse(text)
            #expect(selector.isEverything)
            #expect(selector == .everything)
            #expect(selector.fieldNames.isEmpty)
            #expect(selector.matches([:]))
            #expect(selector.matches(["metadata.name": "web"]))
        }
    }

    @Test func equalityAndInequality() throws {
        let equals = try FieldSelector.parse("metadata.name=web")
        #expect(equals.matches(["metadata.name": "web", "metadata.namespace": "default"]))
        #expect(!equals.matches(["metadata.name": "db"]))
        #expect(!equals.matches([:]))
        #expect(equals.requirements == [FieldSelector.Requirement(field: "metadata.name", operator: .equals, value: "web")])

        #expect(try FieldSelector.parse("metadata.name==web") == equals)

        let notEquals = try FieldSelector.parse("status.phase!=Running")
        #expect(!notEquals.matches(["status.phase": "Running"]))
        #expect(notEquals.matches(["status.phase": "Pending"]))
        #expect(notEquals.requirements.map(\.operator) == [.notEquals])
    }

    @Test func missingFieldsAreEmptyStrings() throws {
        #expect(try FieldSelector.parse("spec.nodeName=").matches([:]))
        #expect(try FieldSelector.parse("spec.nodeName=").matches(["spec.nodeName": ""]))
        #expect(!(try FieldSelector.parse("spec.nodeName=").matches(["spec.nodeName": "node-1"])))
        #expect(try FieldSelector.parse("status.phase!=Running").matches([:]))
        #expect(!(try FieldSelector.parse("spec.nodeName!=").matches([:])))
    }

    @Test func termsAreAnded() throws {
        let selector = try FieldSelector.parse("metadata.namespace=prod,status.phase!=Failed,spec.nodeName==node-1")
        #expect(selector.fieldNames == ["metadata.namespace", "status.phase", "spec.nodeName"])
        #expect(selector.matches(["metadata.namespace": "prod", "status.phase": "Running", "spec.nodeName": "node-1"]))
        #expect(!selector.matches(["metadata.namespace": "prod", "status.phase": "Failed", "spec.nodeName": "node-1"]))
        #expect(!selector.matches(["metadata.namespace": "dev", "status.phase": "Running", "spec.nodeName": "node-1"]))
        #expect(!selector.matches(["metadata.namespace": "prod", "status.phase": "Running"]))
        // Empty terms between commas are skipped.
        #expect(try FieldSelector.parse(",metadata.namespace=prod,,status.phase!=Failed,spec.nodeName==node-1,") == selector)
    }

    @Test func splitsAtTheFirstOperator() throws {
        #expect(try FieldSelector.parse("a=!b").requirements == [FieldSelector.Requirement(field: "a", operator: .equals, value: "!b")])
        #expect(try FieldSelector.parse("a!b=c").requirements == [FieldSelector.Requirement(field: "a!b", operator: .equals, value: "c")])
        #expect(try FieldSelector.parse("=b").requirements == [FieldSelector.Requirement(field: "", operator: .equals, value: "b")])
        // `in` and `notin` mean nothing special here.
        #expect(try FieldSelector.parse("notin=in").matches(["notin": "in"]))
    }

    @Test func nothingIsTrimmed() throws {
        let selector = try FieldSelector.parse("metadata.name = web")
        #expect(selector.fieldNames == ["metadata.name "])
        #expect(selector.requirements.first?.value == " web")
        #expect(!selector.matches(["metadata.name": "web"]))
    }

    @Test func multiByteText() throws {
        let selector = try FieldSelector.parse("함=수,목=록")
        #expect(selector.matches(["함": "수", "목": "록"]))
        #expect(!selector.matches(["함": "수"]))
    }

    @Test func requiredValue() throws {
        let selector = try FieldSelector.parse("metadata.name=web,status.phase!=Failed")
        #expect(selector.requiredValue(forField: "metadata.name") == "web")
        #expect(selector.requiredValue(forField: "status.phase") == nil)
        #expect(selector.requiredValue(forField: "spec.nodeName") == nil)
    }

    @Test func canonicalFormIsSortedAndReparses() throws {
        let selector = try FieldSelector.parse(#"status.phase!=Running,metadata.name==a\,b\=c\\"#)
        #expect(selector.description == #"metadata.name=a\,b\=c\\,status.phase!=Running"#)
        #expect(try FieldSelector.parse(selector.description) == selector)
        #expect(try FieldSelector.parse(#"metadata.name=a\,b\=c\\,status.phase!=Running"#) == selector)
    }
}

@Suite struct FieldSelectorEscapingTests {
    @Test func escapedValues() throws {
        #expect(try FieldSelector.parse(#"k=\,,k2=v2"#).matches(["k": ",", "k2": "v2"]))
        #expect(try FieldSelector.parse(#"k=\\,k2=v2"#).matches(["k": #"\"#, "k2": "v2"]))
        #expect(try FieldSelector.parse(#"k=\\\,,k2=v2"#).matches(["k": #"\,"#, "k2": "v2"]))
        #expect(try FieldSelector.parse(#"x=a\=\=b"#).matches(["x": "a==b"]))
        #expect(try FieldSelector.parse(#"x=a||y\=b"#).matches(["x": "a||y=b"]))
        let complex = try FieldSelector.parse(#"foo=bar,complex=\=value\\\,\\"#)
        #expect(complex.matches(["foo": "bar", "complex": #"=value\,\"#]))
        #expect(!complex.matches(["foo": "bar", "complex": "=value"]))
    }

    @Test func escapeAndUnescapeAreInverse() throws {
        let cases = [("", ""), ("a", "a"), ("=", #"\="#), (",", #"\,"#), (#"\"#, #"\\"#), (#"\=\,\"#, #"\\\=\\\,\\"#)]
        for (literal, escaped) in cases {
            #expect(FieldSelector.escape(literal) == escaped)
            #expect(try FieldSelector.unescape(escaped) == literal)
        }
    }

    @Test func invalidEscapes() {
        #expect(fieldParseError(#"k=\"#) == #"invalid field selector: invalid escape sequence: \"#)
        #expect(fieldParseError(#"k=\\\"#) == #"invalid field selector: invalid escape sequence: \"#)
        #expect(fieldParseError(#"k=\a"#) == #"invalid field selector: invalid escape sequence: \a"#)
        #expect(fieldParseError(#"k=\a\b\"#) == #"invalid field selector: invalid escape sequence: \a"#)
        #expect(fieldParseError("x=a=b") == "invalid field selector: unescaped character in value: =")
        #expect(fieldParseError("x==a==b") == "invalid field selector: unescaped character in value: =")
        #expect(fieldParseError("x=a||y=b") == "invalid field selector: unescaped character in value: =")
        #expect(fieldParseError("a!==b") == "invalid field selector: unescaped character in value: =")
    }

    @Test func termsWithoutAnOperator() {
        #expect(fieldParseError("x") == "invalid selector: 'x'; can't understand 'x'")
        #expect(fieldParseError("x=a,b") == "invalid selector: 'x=a,b'; can't understand 'b'")
        #expect(fieldParseError("x in (a)") == "invalid selector: 'x in (a)'; can't understand 'x in (a)'")
        #expect(fieldParseError("x in (a,b,c)") == "invalid selector: 'x in (a,b,c)'; can't understand 'b'")
        #expect(fieldParseError("metadata.name!web") == "invalid selector: 'metadata.name!web'; can't understand 'metadata.name!web'")
    }

    @Test func unsupportedFieldError() {
        #expect(SelectorError.unsupportedField("spec.foo").message == "field label not supported: spec.foo")
        #expect(SelectorError.unsupportedField("spec.foo").description == "field label not supported: spec.foo")
    }

    @Test func garbageNeverCrashesAndValidSelectorsRoundTrip() throws {
        let pieces = ["a", "b", "=", "==", "!", "!=", ",", " ", "\\", "\\\\", "\\,", "\\=", "é", "\u{0301}", "\u{0}", "x.y"]
        // A fixed linear congruential generator keeps the inputs the same on every run.
        var state: UInt64 = 0xF1E1D
        var parsedCount = 0
        for _ in 0..<3000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            guard let selector = try? FieldSelector.parse(text) else { continue }
            parsedCount += 1
            let reparsed = try FieldSelector.parse(selector.description)
            #expect(reparsed == selector, "\(text.debugDescription) printed as \(selector.description.debugDescription)")
        }
        #expect(parsedCount > 0)
    }
}

@Suite struct FieldSelectorObjectFieldsTests {
    private let pod: JSONValue = [
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": ["name": "web-0", "namespace": "prod", "labels": ["app": "web"]],
        "spec": ["nodeName": "node-1", "priority": 10, "hostNetwork": false],
        "status": ["phase": "Running", "conditions": [["type": "Ready"]]],
    ]

    @Test func nameAndNamespaceAlways() {
        let fields = FieldSelector.fields(of: pod, extra: [])
        #expect(fields == ["metadata.name": "web-0", "metadata.namespace": "prod"])
    }

    @Test func extraPathsAreRead() {
        let fields = FieldSelector.fields(
            of: pod, extra: ["status.phase", "spec.nodeName", "spec.priority", "spec.hostNetwork", "spec.restartPolicy"])
        #expect(fields["status.phase"] == "Running")
        #expect(fields["spec.nodeName"] == "node-1")
        #expect(fields["spec.priority"] == "10")
        #expect(fields["spec.hostNetwork"] == "false")
        // Unset fields are present as empty strings.
        #expect(fields["spec.restartPolicy"] == "")
        #expect(fields.count == 7)
    }

    @Test func missingAndNonScalarFieldsAreEmpty() {
        let namespace: JSONValue = ["kind": "Namespace", "metadata": ["name": "prod"], "spec": .null]
        let fields = FieldSelector.fields(of: namespace, extra: ["status.phase", "spec", "metadata", "spec.finalizers"])
        #expect(fields["metadata.name"] == "prod")
        #expect(fields["metadata.namespace"] == "")
        #expect(fields["status.phase"] == "")
        #expect(fields["spec"] == "")
        #expect(fields["metadata"] == "")
        #expect(fields["spec.finalizers"] == "")
        #expect(FieldSelector.fields(of: "not an object", extra: ["a.b"]) == ["metadata.name": "", "metadata.namespace": "", "a.b": ""])
    }

    @Test func selectingAnObject() throws {
        let fields = FieldSelector.fields(of: pod, extra: ["status.phase", "spec.nodeName"])
        #expect(try FieldSelector.parse("metadata.name=web-0,status.phase=Running").matches(fields))
        #expect(try FieldSelector.parse("spec.nodeName!=node-2").matches(fields))
        #expect(!(try FieldSelector.parse("metadata.namespace=dev").matches(fields)))
    }
}
