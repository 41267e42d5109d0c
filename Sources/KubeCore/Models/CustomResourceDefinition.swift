/// Declares a custom resource type (`apiextensions.k8s.io/v1 CustomResourceDefinition`); cluster-scoped.
/// Schemas are kept as opaque JSON.
public struct CustomResourceDefinition: KubeResource, Hashable {
    public static let group = "apiextensions.k8s.io"
    public static let version = "v1"
    public static let kind = "CustomResourceDefinition"
    public static let plural = "customresourcedefinitions"
    public static let namespaced = false

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Fields read from the server that this type does not model; written back on update.
    public var unmodelledFields = UnmodelledFields()
    public var spec: CustomResourceDefinitionSpec?
    public var status: CustomResourceDefinitionStatus?

    /// Creates an object with `apiVersion` and `kind` set from the type.
    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: CustomResourceDefinitionSpec? = nil,
        status: CustomResourceDefinitionStatus? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The group, names, scope and versions of a custom resource.
public struct CustomResourceDefinitionSpec: Codable, Hashable, Sendable {
    public var group: String?
    public var names: CustomResourceDefinitionNames?
    /// `Namespaced` or `Cluster`.
    public var scope: String?
    public var versions: [CustomResourceDefinitionVersion]?
    public var conversion: JSONValue?
    public var preserveUnknownFields: Bool?

    public init(
        group: String? = nil,
        names: CustomResourceDefinitionNames? = nil,
        scope: String? = nil,
        versions: [CustomResourceDefinitionVersion]? = nil,
        conversion: JSONValue? = nil,
        preserveUnknownFields: Bool? = nil
    ) {
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
        self.conversion = conversion
        self.preserveUnknownFields = preserveUnknownFields
    }
}

/// How a custom resource is named in URLs and by kubectl.
public struct CustomResourceDefinitionNames: Codable, Hashable, Sendable {
    public var plural: String?
    public var singular: String?
    public var kind: String?
    public var listKind: String?
    public var shortNames: [String]?
    public var categories: [String]?

    public init(
        plural: String? = nil,
        singular: String? = nil,
        kind: String? = nil,
        listKind: String? = nil,
        shortNames: [String]? = nil,
        categories: [String]? = nil
    ) {
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.listKind = listKind
        self.shortNames = shortNames
        self.categories = categories
    }
}

/// One served version of a custom resource.
public struct CustomResourceDefinitionVersion: Codable, Hashable, Sendable {
    public var name: String?
    public var served: Bool?
    /// Exactly one version must be the storage version.
    public var storage: Bool?
    public var deprecated: Bool?
    public var deprecationWarning: String?
    public var schema: CustomResourceValidation?
    public var subresources: CustomResourceSubresources?
    public var additionalPrinterColumns: [CustomResourceColumnDefinition]?

    public init(
        name: String? = nil,
        served: Bool? = nil,
        storage: Bool? = nil,
        deprecated: Bool? = nil,
        deprecationWarning: String? = nil,
        schema: CustomResourceValidation? = nil,
        subresources: CustomResourceSubresources? = nil,
        additionalPrinterColumns: [CustomResourceColumnDefinition]? = nil
    ) {
        self.name = name
        self.served = served
        self.storage = storage
        self.deprecated = deprecated
        self.deprecationWarning = deprecationWarning
        self.schema = schema
        self.subresources = subresources
        self.additionalPrinterColumns = additionalPrinterColumns
    }
}

/// The structural schema of a version.
public struct CustomResourceValidation: Codable, Hashable, Sendable {
    public var openAPIV3Schema: JSONValue?

    public init(
        openAPIV3Schema: JSONValue? = nil
    ) {
        self.openAPIV3Schema = openAPIV3Schema
    }
}

/// Subresources a version serves. Each is an object; enable `status` with `.object([:])`.
public struct CustomResourceSubresources: Codable, Hashable, Sendable {
    public var status: JSONValue?
    public var scale: JSONValue?

    public init(
        status: JSONValue? = nil,
        scale: JSONValue? = nil
    ) {
        self.status = status
        self.scale = scale
    }
}

/// An extra column for `kubectl get`.
public struct CustomResourceColumnDefinition: Codable, Hashable, Sendable {
    public var name: String?
    /// `integer`, `number`, `string`, `boolean` or `date`.
    public var type: String?
    public var format: String?
    public var description: String?
    /// 0 shows the column by default; higher only with `-o wide`.
    public var priority: Int32?
    /// Path into the object, such as `.status.phase`.
    public var jsonPath: String?

    public init(
        name: String? = nil,
        type: String? = nil,
        format: String? = nil,
        description: String? = nil,
        priority: Int32? = nil,
        jsonPath: String? = nil
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }
}

/// Whether the definition is established and which versions are stored.
public struct CustomResourceDefinitionStatus: Codable, Hashable, Sendable {
    public var conditions: [CustomResourceDefinitionCondition]?
    public var acceptedNames: CustomResourceDefinitionNames?
    public var storedVersions: [String]?

    public init(
        conditions: [CustomResourceDefinitionCondition]? = nil,
        acceptedNames: CustomResourceDefinitionNames? = nil,
        storedVersions: [String]? = nil
    ) {
        self.conditions = conditions
        self.acceptedNames = acceptedNames
        self.storedVersions = storedVersions
    }
}

/// A condition such as `Established` or `NamesAccepted`.
public struct CustomResourceDefinitionCondition: Codable, Hashable, Sendable {
    public var type: String?
    public var status: String?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(
        type: String? = nil,
        status: String? = nil,
        lastTransitionTime: KubeTime? = nil,
        reason: String? = nil,
        message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
