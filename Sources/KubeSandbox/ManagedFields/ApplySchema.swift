import KubeCore

/// How server-side apply treats the fields of a kind: which lists are associative (and by which key
/// fields), which are sets, which lists and maps are atomic, and which maps declare their fields.
///
/// kube-apiserver reads this from the OpenAPI schema of a kind (`x-kubernetes-list-type`,
/// `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`, `x-kubernetes-patch-merge-key`). The sandbox
/// has no full schemas for built-in kinds: their nodes come from the strategic-merge-patch table
/// (``PatchSchema``), which names the same lists, with the few places where apply keys differ from patch
/// merge keys corrected. Custom resources use their CRD's structural schema; fields no schema describes
/// are deduced (maps merge, lists are atomic), as for `x-kubernetes-preserve-unknown-fields`.
indirect enum ApplySchema: Sendable {
    /// An explicit node (built-in kinds, and the metadata of every kind).
    case node(Node)
    /// A node of a CRD's structural schema.
    case structural(StructuralSchema)
    /// No schema: maps merge and every key is a member, lists are atomic.
    case deduced

    /// How a list at a node combines.
    enum ListType: Sendable, Hashable {
        case atomic
        /// Scalars that are unique.
        case set
        /// Maps identified by the values of `keys`.
        case map(keys: [String])
    }

    /// An explicit schema node. A list's node also describes the fields of its elements.
    struct Node: Sendable {
        var list: ListType = .atomic
        /// Replaced whole by apply (`x-kubernetes-map-type: atomic`, `+structType=atomic`).
        var atomic = false
        /// Values used for absent key fields of associative list elements (`protocol: TCP`).
        var keyDefaults: [String: JSONValue] = [:]
        var fields: [String: ApplySchema] = [:]
        /// Where fields not in ``fields`` are looked up.
        var fallback: ApplySchema?
    }

    /// The node of a map's field or of a list's elements' field `name`.
    func child(_ name: String) -> ApplySchema {
        switch self {
        case .node(let node):
            if let field = node.fields[name] { return field }
            return node.fallback?.child(name) ?? .node(Node())
        case .structural(let schema):
            if let property = schema.properties[name] { return .structural(property) }
            if let items = schema.items { return ApplySchema.structural(items).child(name) }
            if let additional = schema.additionalProperties?.schema { return .structural(additional) }
            return .deduced
        case .deduced: return .deduced
        }
    }

    /// The node of a list's elements: the same node for explicit schemas (they describe element fields
    /// in place), the `items` schema for structural ones.
    var elements: ApplySchema {
        switch self {
        case .node: return self
        case .structural(let schema): return schema.items.map { .structural($0) } ?? .deduced
        case .deduced: return .deduced
        }
    }

    var listType: ListType {
        switch self {
        case .node(let node): return node.list
        case .structural(let schema):
            switch schema.listType {
            case .set?: return .set
            case .map?: return .map(keys: schema.listMapKeys)
            case .atomic?, nil: return .atomic
            }
        case .deduced: return .atomic
        }
    }

    /// Whether a map (or struct) at this node is replaced whole.
    var isAtomicMap: Bool {
        switch self {
        case .node(let node): return node.atomic
        case .structural(let schema): return schema.mapType == .atomic
        case .deduced: return false
        }
    }

    /// Whether the map at this node declares its fields (a struct). A key of a map that does not (labels,
    /// `additionalProperties`, unknown fields) is owned as a member even when its value has fields below.
    func declares(_ name: String) -> Bool {
        switch self {
        case .node(let node):
            // Built-in kinds are Go structs throughout, except where their fields fall back to a schema.
            if node.fields[name] != nil { return true }
            return node.fallback?.declares(name) ?? true
        case .structural(let schema):
            if schema.properties[name] != nil { return true }
            if let items = schema.items { return ApplySchema.structural(items).declares(name) }
            return false
        case .deduced: return false
        }
    }

    /// The value an associative list element gets for an absent key field, if the schema has one.
    func keyDefault(_ name: String) -> JSONValue? {
        switch self {
        case .node(let node): return node.keyDefaults[name]
        case .structural(let schema):
            return schema.items?.properties[name]?.defaultValue
        case .deduced: return nil
        }
    }
}

// MARK: - Kinds

extension ApplySchema {
    /// The schema of a kind: its CRD's structural schema for a custom resource (metadata as every
    /// kind's), the built-in table otherwise.
    static func of(_ resource: ResourceType, customSchema: StructuralSchema?) -> ApplySchema {
        if resource.isCustom {
            return .node(Node(fields: ["metadata": objectMeta], fallback: customSchema.map { .structural($0) } ?? .deduced))
        }
        return builtins[resource.group + "/" + resource.kind] ?? .node(Node(fields: ["metadata": objectMeta]))
    }

    /// The built-in kinds' schemas, built once.
    private static let builtins: [String: ApplySchema] = {
        var schemas: [String: ApplySchema] = [:]
        for resource in BuiltinResources.all {
            guard let patch = PatchSchema.builtin(group: resource.group, kind: resource.kind) else { continue }
            var root = convert(patch)
            for (path, node) in corrections(group: resource.group, kind: resource.kind) {
                root.replace(path.split(separator: ".").map(String.init)[...], with: node)
            }
            schemas[resource.group + "/" + resource.kind] = .node(root)
        }
        return schemas
    }()

    private static let objectMeta: ApplySchema = .node(
        convert(PatchSchema(paths: ["finalizers": .merge(key: nil), "ownerReferences": .merge(key: "uid")])))

    /// A strategic-merge-patch node as an apply node: a merge key makes an associative list keyed by it,
    /// a merge without a key a set.
    private static func convert(_ patch: PatchSchema) -> Node {
        var node = Node()
        switch patch.list {
        case .atomic: node.list = .atomic
        case .merge(let key?): node.list = .map(keys: [key])
        case .merge(nil): node.list = .set
        }
        node.fields = patch.fields.mapValues { .node(convert($0)) }
        return node
    }

    /// Where the Go types' apply markers differ from their patch tags: ports are keyed by number and
    /// protocol (defaulting to TCP), label selectors and a Service's selector are atomic.
    private static func corrections(group: String, kind: String) -> [(String, Node)] {
        let containerPorts = Node(list: .map(keys: ["containerPort", "protocol"]), keyDefaults: ["protocol": "TCP"])
        let atomic = Node(atomic: true)
        func podSpec(_ prefix: String) -> [(String, Node)] {
            ["containers", "initContainers", "ephemeralContainers"].map { ("\(prefix).\($0).ports", containerPorts) }
        }
        switch (group, kind) {
        case ("", "Pod"): return podSpec("spec")
        case ("apps", "Deployment"), ("apps", "ReplicaSet"): return podSpec("spec.template.spec") + [("spec.selector", atomic)]
        case ("", "Service"):
            return [
                ("spec.ports", Node(list: .map(keys: ["port", "protocol"]), keyDefaults: ["protocol": "TCP"])),
                ("spec.selector", atomic),
            ]
        case ("policy", "PodDisruptionBudget"): return [("spec.selector", atomic)]
        case ("networking.k8s.io", "NetworkPolicy"): return [("spec.podSelector", atomic)]
        default: return []
        }
    }
}

extension ApplySchema.Node {
    /// Replaces the node at a dotted path, keeping the fields already declared below it.
    fileprivate mutating func replace(_ path: ArraySlice<String>, with replacement: ApplySchema.Node) {
        guard let first = path.first else {
            let fields = self.fields
            self = replacement
            self.fields.merge(fields) { kept, _ in kept }
            return
        }
        var child: ApplySchema.Node
        if case .node(let existing)? = fields[first] { child = existing } else { child = ApplySchema.Node() }
        child.replace(path.dropFirst(), with: replacement)
        fields[first] = .node(child)
    }
}
