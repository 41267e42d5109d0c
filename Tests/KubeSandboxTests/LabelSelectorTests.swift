import KubeCore
import Testing

@testable import KubeSandbox

// KubeCore has a `LabelSelector` model too; the sandbox's parsed selector is the one under test.
private typealias Selector = KubeSandbox.LabelSelector

/// Parses a selector that must be valid, failing the test otherwise.
private func parsed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Selector? {
    do throws(SelectorError) {
        return try Selector.parse(text)
    } catch {
        Issue.record("\(text.debugDescription) did not parse: \(error.message)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The message of the error parsing `text` throws, or `nil` when it parses.
private func parseError(_ text: String) -> String? {
    do throws(SelectorError) {
        _ = try Selector.parse(text)
        return nil
    } catch {
        return error.message
    }
}

/// The message of the error building a selector from the object form throws, or `nil` when it builds.
private func objectError(matchLabels: JSONValue? = nil, matchExpressions: JSONValue? = nil) -> String? {
    do throws(SelectorError) {
        _ = try Selector(matchLabels: matchLabels, matchExpressions: matchExpressions)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct LabelSelectorParsingTests {
    @Test func emptyAndBlankSelectEverything() throws {
        for text in ["", "   ", "\t\r\n"] {
            let selector = try #require(parsed(text))
            #expect(selector.isEverything)
            #expect(selector == .everything)
            #expect(selector.matches([:]))
            #expect(selector.matches(["app": "web"]))
            #expect(selector.description == "")
        }
    }

    @Test func equalityOperators() throws {
        let equals = try #require(parsed("app=web"))
        #expect(equals.matches(["app": "web"]))
        #expect(equals.matches(["app": "web", "tier": "front"]))
        #expect(!equals.matches(["app": "db"]))
        #expect(!equals.matches([:]))
        #expect(equals.requirements.map(\.operator) == [.equals])

        let doubleEquals = try #require(parsed("app==web"))
        #expect(doubleEquals == equals)
        #expect(doubleEquals.description == "app=web")

        let notEquals = try #require(parsed("app!=web"))
        #expect(!notEquals.matches(["app": "web"]))
        #expect(notEquals.matches(["app": "db"]))
        // An absent label is "not equal" too.
        #expect(notEquals.matches([:]))
        #expect(notEquals.matches(["tier": "web"]))
    }

    @Test func setOperators() throws {
        let included = try #require(parsed("env in (prod,dev)"))
        #expect(included.matches(["env": "prod"]))
        #expect(included.matches(["env": "dev"]))
        #expect(!included.matches(["env": "qa"]))
        #expect(!included.matches([:]))
        #expect(included.requirements.first?.values == ["dev", "prod"])

        let excluded = try #require(parsed("env notin (prod,dev)"))
        #expect(!excluded.matches(["env": "prod"]))
        #expect(!excluded.matches(["env": "dev"]))
        #expect(excluded.matches(["env": "qa"]))
        // An absent label is not in any set.
        #expect(excluded.matches([:]))
    }

    @Test func existenceOperators() throws {
        let exists = try #require(parsed("managed"))
        #expect(exists.matches(["managed": ""]))
        #expect(exists.matches(["managed": "yes"]))
        #expect(!exists.matches(["other": "yes"]))
        #expect(exists.requirements.map(\.operator) == [.exists])

        let absent = try #require(parsed("!managed"))
        #expect(!absent.matches(["managed": ""]))
        #expect(absent.matches([:]))
        #expect(absent.matches(["other": "yes"]))
        #expect(absent.requirements.map(\.operator) == [.doesNotExist])
        #expect(try #require(parsed("! managed")) == absent)
    }

    @Test func numericComparisons() throws {
        let greater = try #require(parsed("replicas>3"))
        #expect(greater.matches(["replicas": "4"]))
        #expect(greater.matches(["replicas": "+10"]))
        #expect(!greater.matches(["replicas": "3"]))
        #expect(!greater.matches(["replicas": "many"]))
        #expect(!greater.matches([:]))

        let less = try #require(parsed("replicas<2"))
        #expect(less.matches(["replicas": "1"]))
        #expect(less.matches(["replicas": "-7"]))
        #expect(!less.matches(["replicas": "2"]))
        #expect(!less.matches([:]))
    }

    @Test func requirementsAreAndedAndWhitespaceIsIgnored() throws {
        let selector = try #require(parsed(" app = web ,\ttier in ( front , back ) ,\n!canary, zone "))
        #expect(selector.requirements.count == 4)
        #expect(selector.matches(["app": "web", "tier": "front", "zone": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "front"]))
        #expect(!selector.matches(["app": "web", "tier": "front", "zone": "a", "canary": "true"]))
        #expect(!selector.matches(["app": "web", "tier": "db", "zone": "a"]))
        #expect(!selector.matches(["app": "db", "tier": "front", "zone": "a"]))
    }

    @Test func keywordsAreOrdinaryWordsOutsideTheOperatorPosition() throws {
        let selector = try #require(parsed("in in (in,notin)"))
        #expect(selector.matches(["in": "notin"]))
        #expect(!selector.matches(["in": "x"]))
        #expect(try #require(parsed("notin=in")).matches(["notin": "in"]))
        #expect(try #require(parsed("notin")).matches(["notin": "x"]))
    }

    @Test func emptyValues() throws {
        let equalsEmpty = try #require(parsed("a="))
        #expect(equalsEmpty.matches(["a": ""]))
        #expect(!equalsEmpty.matches([:]))
        #expect(!equalsEmpty.matches(["a": "x"]))
        #expect(try #require(parsed("a=,b")).requirements.map(\.values) == [[""], []])
        #expect(try #require(parsed("a in ()")).requirements.first?.values == [""])
        #expect(try #require(parsed("a in (,)")).requirements.first?.values == [""])
        #expect(try #require(parsed("a in (,b)")).requirements.first?.values == ["", "b"])
        #expect(try #require(parsed("a in (b,)")).requirements.first?.values == ["", "b"])
        #expect(try #require(parsed("a in (b,,c)")).requirements.first?.values == ["", "b", "c"])
    }

    @Test func prefixedKeys() throws {
        let selector = try #require(parsed("app.kubernetes.io/name=subchain,hierachain.io/role notin (validator)"))
        #expect(selector.matches(["app.kubernetes.io/name": "subchain"]))
        #expect(!selector.matches(["app.kubernetes.io/name": "subchain", "hierachain.io/role": "validator"]))
    }

    @Test func canonicalFormIsSortedAndReparses() throws {
        let selector = try #require(parsed("zone,b==1,a notin (y,x,y),!c,d>5,e<7,f!=g,a in (q)"))
        #expect(selector.description == "a in (q),a notin (x,y),b=1,!c,d>5,e<7,f!=g,zone")
        #expect(try Selector.parse(selector.description) == selector)
        // The same requirements in another order are the same selector.
        #expect(try Selector.parse("a in (q), b=1, a notin (x,y), zone, f!=g, e<7, d>5, !c") == selector)
    }

    @Test func requiredValue() throws {
        let selector = try #require(parsed("app=web,tier in (front),zone in (a,b),canary!=true"))
        #expect(selector.requiredValue(forKey: "app") == "web")
        #expect(selector.requiredValue(forKey: "tier") == "front")
        #expect(selector.requiredValue(forKey: "zone") == nil)
        #expect(selector.requiredValue(forKey: "canary") == nil)
        #expect(selector.requiredValue(forKey: "missing") == nil)
    }
}

@Suite struct LabelSelectorParseErrorTests {
    @Test(arguments: [
        ("a in", "unable to parse requirement: found '' expected: '('"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a notin", "unable to parse requirement: found '' expected: '('"),
        ("a in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
        ("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("a (b)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a=b)", "found ')', expected: ',' or 'end of string'"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!!a", "unable to parse requirement: found '!', expected: identifier"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("=a", "found '=', expected: !, identifier, or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("a,,b", "found ',', expected: identifier after ','"),
        ("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("a<", "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ])
    func syntaxErrors(text: String, message: String) {
        #expect(parseError(text) == message)
    }

    @Test func invalidKeys() {
        let qualifiedName =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        #expect(parseError("-app=web") == "unable to parse requirement: <nil>: Invalid value: \"-app\": name part \(qualifiedName)")
        #expect(
            parseError("a/b/c")
                == "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name \(qualifiedName) "
                + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
        #expect(parseError("/app") == "unable to parse requirement: <nil>: Invalid value: \"/app\": prefix part must be non-empty")
        #expect(
            parseError("app/")
                == "unable to parse requirement: <nil>: Invalid value: \"app/\": name part must be non-empty; name part \(qualifiedName)")
        let longName = String(repeating: "k", count: 64)
        #expect(
            parseError(longName)
                == "unable to parse requirement: <nil>: Invalid value: \"\(longName)\": name part must be no more than 63 characters")
        #expect(parseError(String(repeating: "k", count: 63)) == nil)
        let prefixMessage = parseError("Example.com/app")
        #expect(
            prefixMessage
                == "unable to parse requirement: <nil>: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain "
                + "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
        #expect(parseError("example..com/app")?.contains("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(parseError(String(repeating: "a", count: 254) + "/app")?.contains("prefix part must be no more than 253 characters") == true)
        #expect(parseError("é=x")?.hasPrefix("unable to parse requirement: <nil>: Invalid value: \"é\": name part must consist") == true)
    }

    @Test func invalidValues() {
        let labelValue =
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            + "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        #expect(parseError("app=web$") == "unable to parse requirement: values[0][app]: Invalid value: \"web$\": \(labelValue)")
        // Values are validated in sorted order, so the index is the position among the sorted values.
        #expect(parseError("app in (x,-y)") == "unable to parse requirement: values[0][app]: Invalid value: \"-y\": \(labelValue)")
        let longValue = String(repeating: "v", count: 64)
        #expect(
            parseError("app=\(longValue)")
                == "unable to parse requirement: values[0][app]: Invalid value: \"\(longValue)\": must be no more than 63 characters")
        #expect(parseError("app=\(String(repeating: "v", count: 63))") == nil)
        // Several problems in one requirement are listed together in brackets.
        #expect(
            parseError("a>-")
                == "unable to parse requirement: [values[0]: Invalid value: \"-\": for 'Gt', 'Lt' operators, the value must be an integer, "
                + "values[0][a]: Invalid value: \"-\": \(labelValue)]")
    }

    @Test func garbageNeverCrashesAndValidSelectorsRoundTrip() throws {
        let pieces = [
            "a", "b", "=", "==", "!", "!=", "(", ")", ",", " ", "in", "notin", "x/y", "-", "\u{0}", "é", ">", "<", "1", "\\",
            "\t", "a.b", "_",
        ]
        // A fixed linear congruential generator keeps the inputs the same on every run.
        var state: UInt64 = 0x5EED
        var parsedCount = 0
        for _ in 0..<3000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            guard let selector = try? Selector.parse(text) else { continue }
            parsedCount += 1
            let reparsed = try Selector.parse(selector.description)
            #expect(reparsed == selector, "\(text.debugDescription) printed as \(selector.description.debugDescription)")
        }
        #expect(parsedCount > 0)
    }
}

@Suite struct LabelSelectorObjectFormTests {
    @Test func matchLabelsAndExpressions() throws {
        let selector = try Selector(
            matchLabels: ["app": "web"],
            matchExpressions: [
                ["key": "tier", "operator": "In", "values": ["front", "back"]],
                ["key": "track", "operator": "NotIn", "values": ["canary"]],
                ["key": "zone", "operator": "Exists"],
                ["key": "legacy", "operator": "DoesNotExist", "values": []],
            ])
        #expect(selector.matches(["app": "web", "tier": "front", "zone": "a"]))
        #expect(selector.matches(["app": "web", "tier": "back", "zone": "a", "track": "stable"]))
        #expect(!selector.matches(["app": "web", "tier": "front", "zone": "a", "track": "canary"]))
        #expect(!selector.matches(["app": "web", "tier": "front", "zone": "a", "legacy": "1"]))
        #expect(!selector.matches(["app": "web", "tier": "front"]))
        #expect(!selector.matches(["app": "db", "tier": "front", "zone": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "db", "zone": "a"]))
        #expect(try selector == Selector.parse("app=web,tier in (back,front),track notin (canary),zone,!legacy"))
    }

    @Test func emptyAbsentAndNullSelectors() throws {
        #expect(try Selector(matchLabels: nil, matchExpressions: nil) == .everything)
        #expect(try Selector(matchLabels: .null, matchExpressions: .null) == .everything)
        #expect(try Selector(matchLabels: [:], matchExpressions: []) == .everything)
        #expect(try Selector(selectorObject: [:]) == .everything)
        #expect(try Selector(selectorObject: ["matchLabels": ["a": "b"]]).matches(["a": "b"]))

        // A missing selector selects nothing, unlike an empty one.
        let nothing = try Selector(selectorObject: nil)
        #expect(nothing == .nothing)
        #expect(try Selector(selectorObject: .null) == .nothing)
        #expect(!nothing.matches([:]))
        #expect(!nothing.matches(["a": "b"]))
        #expect(!nothing.isEverything)
    }

    @Test func nullMembersReadAsEmptyStrings() throws {
        let selector = try Selector(matchLabels: ["app": .null], matchExpressions: nil)
        #expect(selector.matches(["app": ""]))
        #expect(!selector.matches([:]))
    }

    @Test func unknownOperator() {
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "Matches", "values": ["x"]]])
                == "\"Matches\" is not a valid label selector operator")
        // Operators are case-sensitive, and the query spellings are not accepted here.
        #expect(objectError(matchExpressions: [["key": "a", "operator": "in", "values": ["x"]]]) == "\"in\" is not a valid label selector operator")
        #expect(objectError(matchExpressions: [["key": "a", "operator": "Gt", "values": ["1"]]]) == "\"Gt\" is not a valid label selector operator")
        #expect(objectError(matchExpressions: [["key": "a"]]) == "\"\" is not a valid label selector operator")
    }

    @Test func valuesMustSuitTheOperator() {
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "In"]])
                == "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty")
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "NotIn", "values": []]])
                == "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty")
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "Exists", "values": ["x"]]])
                == "values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist")
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "DoesNotExist", "values": ["x", "y"]]])
                == "values: Invalid value: [\"x\",\"y\"]: values set must be empty for exists and does not exist")
    }

    @Test func invalidKeysAndValues() {
        #expect(objectError(matchLabels: ["Bad Key": "v"])?.hasPrefix("key: Invalid value: \"Bad Key\": name part must consist") == true)
        #expect(
            objectError(matchLabels: ["app": "bad value"])?.hasPrefix("values[0][app]: Invalid value: \"bad value\": a valid label must be")
                == true)
        #expect(objectError(matchExpressions: [["operator": "Exists"]]) != nil)
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "In", "values": ["ok", "not ok"]]])?
                .hasPrefix("values[1][a]: Invalid value: \"not ok\"") == true)
        // A bad key and a bad value are reported together.
        let both = objectError(matchExpressions: [["key": "-a", "operator": "In", "values": ["-"]]])
        #expect(both?.hasPrefix("[key: Invalid value: \"-a\"") == true)
        #expect(both?.contains(", values[0][-a]: Invalid value: \"-\"") == true)
    }

    @Test func wrongJSONTypesAreErrors() {
        #expect(objectError(matchLabels: ["a", "b"]) == "matchLabels: Invalid value: an array: must be an object")
        #expect(objectError(matchLabels: ["a": 1]) == "matchLabels[a]: Invalid value: a number: must be a string")
        #expect(objectError(matchExpressions: ["key": "a"]) == "matchExpressions: Invalid value: an object: must be an array")
        #expect(objectError(matchExpressions: ["a"]) == "matchExpressions[0]: Invalid value: a string: must be an object")
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "In", "values": [true]]])
                == "matchExpressions[0].values[0]: Invalid value: a boolean: must be a string")
        #expect(
            objectError(matchExpressions: [["key": "a", "operator": "In", "values": "x"]])
                == "matchExpressions[0].values: Invalid value: a string: must be an array")
        #expect(throws: SelectorError.self) { try Selector(selectorObject: "app=web") }
    }

    @Test func validationHelpers() {
        #expect(Selector.keyProblems("app").isEmpty)
        #expect(Selector.keyProblems("app.kubernetes.io/managed-by").isEmpty)
        #expect(Selector.keyProblems("A_b.C-9").isEmpty)
        #expect(Selector.keyProblems("") == [
            "name part must be non-empty",
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ])
        #expect(Selector.valueProblems("").isEmpty)
        #expect(Selector.valueProblems("v1.2_beta-3").isEmpty)
        #expect(Selector.valueProblems("_v").count == 1)
        #expect(Selector.valueProblems(String(repeating: "-", count: 64)).count == 2)
    }
}
