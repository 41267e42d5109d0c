import KubeCore
import Testing

@testable import KubeSandbox

@Suite struct StructuralSchemaTests {
    typealias S = SchemaTestSupport

    // MARK: Keywords

    @Test func parsesEveryKeyword() throws {
        let json: JSONValue = [
            "type": "object",
            "description": "A sub-chain.",
            "properties": [
                "spec": [
                    "type": "object",
                    "title": "Spec",
                    "required": ["image"],
                    "minProperties": 1,
                    "maxProperties": 10,
                    "properties": [
                        "image": ["type": "string", "minLength": 1, "maxLength": 253, "pattern": "^[a-z]+$"],
                        "replicas": [
                            "type": "integer", "format": "int32", "minimum": 1, "maximum": 31,
                            "exclusiveMinimum": false, "exclusiveMaximum": true, "multipleOf": 1, "default": 4,
                        ],
                        "ratio": ["type": "number", "minimum": 0.5, "nullable": true],
                        "enabled": ["type": "boolean", "default": true],
                        "mode": ["type": "string", "enum": ["fast", "safe"]],
                        "tags": [
                            "type": "array", "minItems": 1, "maxItems": 5, "items": ["type": "string"],
                            "x-kubernetes-list-type": "set",
                        ],
                        "ports": [
                            "type": "array",
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                            "items": [
                                "type": "object", "required": ["name"],
                                "properties": ["name": ["type": "string"], "port": ["type": "integer"]],
                            ],
                        ],
                        "labels": [
                            "type": "object", "additionalProperties": ["type": "string"],
                            "x-kubernetes-map-type": "atomic",
                        ],
                        "port": [
                            "x-kubernetes-int-or-string": true, "anyOf": [["type": "integer"], ["type": "string"]],
                        ],
                        "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                        "template": [
                            "type": "object", "x-kubernetes-embedded-resource": true,
                            "x-kubernetes-preserve-unknown-fields": true,
                        ],
                        "created": ["type": "string", "format": "date-time"],
                    ],
                ]
            ],
        ]
        let schema = try S.parse(json)
        #expect(schema.type == .object)
        #expect(schema.description == "A sub-chain.")
        let spec = try #require(schema.properties["spec"])
        #expect(spec.title == "Spec")
        #expect(spec.required == ["image"])
        #expect(spec.minProperties == 1 && spec.maxProperties == 10)

        let image = try #require(spec.properties["image"])
        #expect(image.type == .string && image.minLength == 1 && image.maxLength == 253 && image.pattern == "^[a-z]+$")

        let replicas = try #require(spec.properties["replicas"])
        #expect(replicas.type == .integer && replicas.format == "int32")
        #expect(replicas.minimum == 1 && replicas.maximum == 31 && replicas.multipleOf == 1)
        #expect(!replicas.exclusiveMinimum && replicas.exclusiveMaximum)
        #expect(replicas.defaultValue == 4)

        #expect(spec.properties["ratio"]?.nullable == true)
        #expect(spec.properties["ratio"]?.minimum == 0.5)
        #expect(spec.properties["enabled"]?.defaultValue == true)
        #expect(spec.properties["mode"]?.enumValues == ["fast", "safe"])

        let tags = try #require(spec.properties["tags"])
        #expect(tags.listType == .set && tags.items?.type == .string && tags.minItems == 1 && tags.maxItems == 5)

        let ports = try #require(spec.properties["ports"])
        #expect(ports.listType == .map && ports.listMapKeys == ["name"])
        #expect(ports.items?.properties["port"]?.type == .integer)

        let labels = try #require(spec.properties["labels"])
        #expect(labels.mapType == .atomic)
        #expect(labels.additionalProperties == .schema(StructuralSchema(type: .string)))

        let port = try #require(spec.properties["port"])
        #expect(port.isIntOrString && port.type == nil && port.anyOf.count == 2)

        #expect(spec.properties["extra"]?.preservesUnknownFields == true)
        #expect(spec.properties["template"]?.isEmbeddedResource == true)
        #expect(spec.properties["created"]?.format == "date-time")
    }

    @Test func ignoresUnknownKeywordsAndKeepsValidationRules() throws {
        let schema = try S.parse([
            "type": "object", "example": ["a": 1], "x-vendor": "whatever",
            "x-kubernetes-validations": [["rule": "self.a > 0"]],
        ])
        #expect(schema.validationRules == [["rule": "self.a > 0"]])
    }

    @Test func nullDefaultMeansNoDefault() throws {
        let schema = try S.parse(S.root(spec: ["x": ["type": "string", "nullable": true, "default": nil]]))
        #expect(schema.properties["spec"]?.properties["x"]?.defaultValue == nil)
    }

    // MARK: Structural rules

    @Test func propertyWithoutTypeIsNotStructural() {
        #expect(
            S.parseProblems(S.root(spec: ["replicas": ["minimum": 1]])) == [
                "openAPIV3Schema.properties[spec].properties[replicas].type: Required value: must not be empty for specified object fields"
            ])
    }

    @Test func problemsArePrefixedWithTheGivenPath() {
        let problems = S.parseProblems(S.root(spec: ["replicas": [:]]), path: "spec.versions[0].schema.openAPIV3Schema")
        #expect(
            problems == [
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].type: Required value: must not be empty for specified object fields"
            ])
    }

    @Test func itemsNeedATypeAndArraysNeedItems() {
        let problems = S.parseProblems(
            S.root(spec: [
                "a": ["type": "array"],
                "b": ["type": "array", "items": ["maxLength": 3]],
            ]))
        #expect(
            problems == [
                "openAPIV3Schema.properties[spec].properties[a].items: Required value: must be specified",
                "openAPIV3Schema.properties[spec].properties[b].items.type: Required value: must not be empty for specified array items",
            ])
    }

    @Test func intOrStringAndPreservedFieldsNeedNoType() throws {
        _ = try S.parse(
            S.root(spec: [
                "port": ["x-kubernetes-int-or-string": true],
                "blob": ["x-kubernetes-preserve-unknown-fields": true],
            ]))
    }

    @Test func rootMustBeAnObject() {
        #expect(
            S.parseProblems(["type": "string"]) == [
                "openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"
            ])
        #expect(S.parseProblems([:]) == ["openAPIV3Schema.type: Required value: must not be empty at the root"])
        #expect(
            S.parseProblems(["type": "object", "nullable": true]) == [
                "openAPIV3Schema.nullable: Forbidden: nullable cannot be true at the root"
            ])
    }

    @Test func rootMustNotHaveAdditionalProperties() {
        #expect(
            S.parseProblems(["type": "object", "additionalProperties": ["type": "string"]]) == [
                "openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root"
            ])
    }

    @Test func unsupportedTypeName() {
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "strin"]])) == [
                "openAPIV3Schema.properties[spec].properties[a].type: Required value: must not be empty for specified object fields",
                "openAPIV3Schema.properties[spec].properties[a].type: Unsupported value: \"strin\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"",
            ])
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "null"]])).contains(
                "openAPIV3Schema.properties[spec].properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative"
            ))
    }

    @Test func forbiddenKeywords() {
        let problems = S.parseProblems(
            S.root(spec: [
                "a": ["type": "array", "items": ["type": "string"], "uniqueItems": true],
                "b": ["type": "object", "$ref": "#/definitions/x"],
                "c": ["type": "object", "patternProperties": ["^x": ["type": "string"]]],
                "d": ["type": "array", "items": [["type": "string"]]],
            ]))
        #expect(
            problems.contains(
                "openAPIV3Schema.properties[spec].properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
            ))
        #expect(
            problems.contains("openAPIV3Schema.properties[spec].properties[b].$ref: Forbidden: $ref is not supported"))
        #expect(
            problems.contains(
                "openAPIV3Schema.properties[spec].properties[c].patternProperties: Forbidden: patternProperties is not supported"
            ))
        #expect(
            problems.contains(
                "openAPIV3Schema.properties[spec].properties[d].items: Forbidden: items must be a schema object and not an array"
            ))
    }

    @Test func propertiesAndAdditionalPropertiesAreExclusive() {
        #expect(
            S.parseProblems(
                S.root(spec: [
                    "a": [
                        "type": "object", "properties": ["x": ["type": "string"]],
                        "additionalProperties": ["type": "string"],
                    ]
                ])) == [
                    "openAPIV3Schema.properties[spec].properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"
                ])
    }

    @Test func keywordsOfTheWrongJSONType() {
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "integer", "minimum": "one", "maxLength": 1.5]])) == [
                "openAPIV3Schema.properties[spec].properties[a].maxLength: Invalid value: 1.5: must be an integer",
                "openAPIV3Schema.properties[spec].properties[a].minimum: Invalid value: \"one\": must be a number",
            ])
        #expect(
            S.parseProblems(["type": "object", "properties": ["spec": "object"]]) == [
                // Sorted bytewise, as Go sorts: "." comes before ":".
                "openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
                "openAPIV3Schema.properties[spec]: Invalid value: \"object\": must be an object",
            ])
    }

    @Test func preserveUnknownFieldsMustBeTrueOrAbsent() {
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "object", "x-kubernetes-preserve-unknown-fields": false]])) == [
                "openAPIV3Schema.properties[spec].properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"
            ])
    }

    @Test func intOrStringExcludesOtherExtensions() {
        #expect(
            S.parseProblems(
                S.root(spec: [
                    "a": ["x-kubernetes-int-or-string": true, "x-kubernetes-preserve-unknown-fields": true]
                ])) == [
                    "openAPIV3Schema.properties[spec].properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true"
                ])
    }

    // MARK: Patterns

    @Test func compilesECMAStylePatterns() throws {
        let schema = try S.parse(
            S.root(spec: ["name": ["type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"]]))
        #expect(schema.properties["spec"]?.properties["name"]?.pattern == "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        _ = try S.parse(S.root(spec: ["v": ["type": "string", "pattern": #"^\d+(\.\d+){0,2}$"#]]))
    }

    @Test func refusesPatternsThatDoNotCompile() {
        let problems = S.parseProblems(S.root(spec: ["name": ["type": "string", "pattern": "[a-"]]))
        #expect(problems.count == 1)
        #expect(
            problems.first?.hasPrefix(
                "openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: \"[a-\": must be a valid regular expression, but isn't: "
            ) == true)
    }

    @Test func refusesLookaroundAndBackreferencesAsGoDoes() {
        let problems = S.parseProblems(
            S.root(spec: [
                "a": ["type": "string", "pattern": "^(?!x)"],
                "b": ["type": "string", "pattern": #"(a)\1"#],
            ]))
        #expect(
            problems == [
                "openAPIV3Schema.properties[spec].properties[a].pattern: Invalid value: \"^(?!x)\": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?!`",
                "openAPIV3Schema.properties[spec].properties[b].pattern: Invalid value: \"(a)\\\\1\": must be a valid regular expression, but isn't: error parsing regexp: invalid escape sequence: `\\1`",
            ])
    }

    // MARK: Metadata

    @Test func rootMetadataMayOnlyRestrictNames() throws {
        _ = try S.parse([
            "type": "object",
            "properties": [
                "metadata": ["type": "object", "properties": ["name": ["type": "string", "maxLength": 20]]]
            ],
        ])
        #expect(
            S.parseProblems([
                "type": "object",
                "properties": ["metadata": ["type": "object", "properties": ["labels": ["type": "object"]]]],
            ]) == [
                "openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"
            ])
        #expect(
            S.parseProblems(["type": "object", "properties": ["kind": ["type": "integer"]]]) == [
                "openAPIV3Schema.properties[kind].type: Invalid value: \"integer\": must be string"
            ])
    }

    @Test func noDefaultsInTopLevelMetadata() {
        #expect(
            S.parseProblems([
                "type": "object", "properties": ["metadata": ["type": "object", "default": ["name": "x"]]],
            ]) == [
                "openAPIV3Schema.properties[metadata].default: Forbidden: must not be set in top-level metadata"
            ])
    }

    // MARK: Embedded resources

    @Test func embeddedResourcesNeedPropertiesOrPreservedFields() {
        #expect(
            S.parseProblems(S.root(spec: ["template": ["type": "object", "x-kubernetes-embedded-resource": true]])) == [
                "openAPIV3Schema.properties[spec].properties[template].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
            ])
        #expect(
            S.parseProblems(
                S.root(spec: [
                    "template": [
                        "type": "string", "x-kubernetes-embedded-resource": true,
                        "x-kubernetes-preserve-unknown-fields": true,
                    ]
                ])) == [
                    "openAPIV3Schema.properties[spec].properties[template].type: Invalid value: \"string\": must be object if x-kubernetes-embedded-resource is true"
                ])
    }

    // MARK: Value validations

    @Test func nestedValueValidationsMustNotBeStructural() {
        let problems = S.parseProblems(
            S.root(spec: [
                "a": [
                    "type": "string",
                    "anyOf": [["type": "string", "maxLength": 3], ["description": "x", "pattern": "^a"]],
                ]
            ]))
        #expect(
            problems == [
                "openAPIV3Schema.properties[spec].properties[a].anyOf[0].type: Forbidden: must be empty to be structural",
                "openAPIV3Schema.properties[spec].properties[a].anyOf[1].description: Forbidden: must be empty to be structural",
            ])
    }

    @Test func intOrStringAnyOfMayNameTypes() throws {
        _ = try S.parse(
            S.root(spec: [
                "a": ["x-kubernetes-int-or-string": true, "anyOf": [["type": "integer"], ["type": "string"]]],
                "b": [
                    "x-kubernetes-int-or-string": true,
                    "allOf": [["anyOf": [["type": "integer"], ["type": "string"]]], ["pattern": "^[0-9]+%?$"]],
                ],
            ]))
    }

    // MARK: List and map types

    @Test func listTypeRules() {
        let problems = S.parseProblems(
            S.root(spec: [
                "a": ["type": "object", "x-kubernetes-list-type": "set"],
                "b": ["type": "array", "items": ["type": "object"], "x-kubernetes-list-type": "map"],
                "c": [
                    "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"],
                    "items": ["type": "object", "properties": ["name": ["type": "string"]]],
                ],
                "d": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "bag"],
                "e": ["type": "array", "items": ["type": "string"], "x-kubernetes-list-map-keys": ["x"]],
            ]))
        #expect(
            problems == [
                "openAPIV3Schema.properties[spec].properties[a].type: Invalid value: \"object\": must be array if x-kubernetes-list-type is specified",
                "openAPIV3Schema.properties[spec].properties[b].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map",
                "openAPIV3Schema.properties[spec].properties[c].x-kubernetes-list-map-keys: Invalid value: [\"id\"]: entries must all be names of item properties",
                "openAPIV3Schema.properties[spec].properties[d].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"",
                "openAPIV3Schema.properties[spec].properties[e].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            ])
    }

    @Test func mapKeysMustBeRequiredOrDefaultedScalars() {
        let problems = S.parseProblems(
            S.root(spec: [
                "ports": [
                    "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "meta"],
                    "items": [
                        "type": "object",
                        "properties": ["name": ["type": "string", "nullable": true], "meta": ["type": "object"]],
                    ],
                ]
            ]))
        #expect(
            problems == [
                "openAPIV3Schema.properties[spec].properties[ports].items.properties[meta].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                "openAPIV3Schema.properties[spec].properties[ports].items.properties[meta].type: Invalid value: \"object\": must be a scalar type if parent array's x-kubernetes-list-type is map",
                "openAPIV3Schema.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
                "openAPIV3Schema.properties[spec].properties[ports].items.properties[name].nullable: Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
            ])
    }

    @Test func setItemsMustBeAtomic() {
        #expect(
            S.parseProblems(
                S.root(spec: [
                    "a": [
                        "type": "array", "x-kubernetes-list-type": "set",
                        "items": ["type": "object", "properties": ["x": ["type": "string"]]],
                    ]
                ])) == [
                    "openAPIV3Schema.properties[spec].properties[a].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set"
                ])
    }

    @Test func mapTypeRules() {
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "string", "x-kubernetes-map-type": "atomic"]])) == [
                "openAPIV3Schema.properties[spec].properties[a].type: Invalid value: \"string\": must be object if x-kubernetes-map-type is specified"
            ])
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "object", "x-kubernetes-map-type": "deep"]])) == [
                "openAPIV3Schema.properties[spec].properties[a].x-kubernetes-map-type: Unsupported value: \"deep\": supported values: \"atomic\", \"granular\""
            ])
    }

    // MARK: Defaults

    @Test func defaultsMustBeValid() throws {
        let json = S.root(spec: ["replicas": ["type": "integer", "maximum": 31, "default": 40]])
        let error = try #require(throws: SchemaError.self) { try StructuralSchema.parse(json) }
        #expect(error.violations.count == 1)
        let violation = try #require(error.violations.first)
        #expect(violation.path == "openAPIV3Schema.properties[spec].properties[replicas].default")
        #expect(violation.reason == .invalid)
        #expect(violation.message.hasPrefix("Invalid value: 40: "))
        #expect(violation.message.hasSuffix("in body should be less than or equal to 31"))
    }

    @Test func defaultsMustBePruned() {
        #expect(
            S.parseProblems(
                S.root(spec: [
                    "template": [
                        "type": "object", "properties": ["a": ["type": "string"]], "default": ["a": "x", "b": "y"],
                    ]
                ])) == [
                    "openAPIV3Schema.properties[spec].properties[template].default: Invalid value: {\"a\":\"x\",\"b\":\"y\"}: must not have unknown fields"
                ])
    }

    @Test func defaultsOfTheWrongType() {
        #expect(
            S.parseProblems(S.root(spec: ["a": ["type": "integer", "default": "x"]])) == [
                "openAPIV3Schema.properties[spec].properties[a].default: Invalid value: \"string\":  in body must be of type integer: \"string\""
            ])
    }

    // MARK: Errors

    @Test func errorsAreSortedAndAggregated() throws {
        let json = S.root(spec: ["b": [:], "a": [:]])
        let error = try #require(throws: SchemaError.self) { try StructuralSchema.parse(json) }
        #expect(
            error.violations.map(\.path) == [
                "openAPIV3Schema.properties[spec].properties[a].type",
                "openAPIV3Schema.properties[spec].properties[b].type",
            ])
        #expect(error.violations.allSatisfy { $0.reason == .required })
        #expect(
            error.description
                == "[openAPIV3Schema.properties[spec].properties[a].type: Required value: must not be empty for specified object fields, openAPIV3Schema.properties[spec].properties[b].type: Required value: must not be empty for specified object fields]"
        )
    }
}
