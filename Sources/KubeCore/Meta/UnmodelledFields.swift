/// The fields of an object's JSON that its Swift type does not model, kept so that writing the
/// object back loses nothing.
///
/// KubeCore models a subset of each kind (``PodSpec`` has no `tolerations`, for example). Without
/// this, reading a Deployment, changing one label and replacing it would remove from the server
/// every field the model lacks, including fields other controllers or users set. Every
/// ``KubeResource`` therefore carries the fields it was decoded with but could not hold, at any
/// depth, and KubeCore's request builders write them back beside the typed fields
/// (``KubeResource/encodedJSON()``).
///
/// Guarantees:
/// - A field the type does not model is written back as it was read, unless the typed value that
///   contained it was removed (set to `nil`): then it goes with its parent.
/// - A typed field always wins: a field set in Swift is never overwritten.
/// - In arrays, unmodelled fields follow their element by its `name` when every element has a
///   distinct one (containers, volumes, env, ports), otherwise by position while the array keeps
///   its length.
///
/// Caveats: only KubeCore's own decoding paths record these fields (``KubeResource/decodingPreserved(from:)``,
/// lists and watch events); a plain `JSONDecoder` does not. An element added to or removed from an
/// unnamed array drops the unmodelled fields of that array's elements.
public struct UnmodelledFields: Hashable, Sendable {
    fileprivate var residue: Residue?

    /// No unmodelled fields: an object built in Swift rather than read from a server.
    public init() {}

    fileprivate init(residue: Residue?) {
        self.residue = residue
    }

    /// Whether the object was decoded with no field its type lacks.
    public var isEmpty: Bool { residue == nil }

    /// The unmodelled fields as a JSON tree: objects hold the unmodelled members at each level,
    /// arrays are keyed by element name or position. For inspection and debugging.
    public var json: JSONValue? { residue?.json }

    /// Computes what `raw` holds beyond what the type encoded back.
    ///
    /// - Parameters:
    ///   - raw: The JSON the object was decoded from.
    ///   - modelled: The decoded object encoded again: exactly the fields its type models.
    /// - Returns: The difference.
    public static func difference(between raw: JSONValue, and modelled: JSONValue) -> UnmodelledFields {
        UnmodelledFields(residue: Residue(raw: raw, modelled: modelled))
    }

    /// Puts the unmodelled fields back into an encoded object.
    ///
    /// - Parameter encoded: The typed object's JSON.
    /// - Returns: The JSON with the unmodelled fields merged in.
    public func merged(into encoded: JSONValue) -> JSONValue {
        residue?.merged(into: encoded) ?? encoded
    }
}

/// The tree of unmodelled fields, mirroring the object's own tree where it has something to keep.
private indirect enum Residue: Hashable, Sendable {
    /// Members the type lacks (kept whole), and modelled members that hold unmodelled fields deeper down.
    case object(unknown: [String: JSONValue], nested: [String: Residue])
    /// Element residues by element name, when every element of the array read had a distinct name.
    case namedElements([String: Residue])
    /// Element residues by position, valid while the array keeps `count` elements.
    case positionalElements([Int: Residue], count: Int)

    init?(raw: JSONValue, modelled: JSONValue) {
        switch (raw, modelled) {
        case (.object(let rawMembers), .object(let modelledMembers)):
            var unknown: [String: JSONValue] = [:]
            var nested: [String: Residue] = [:]
            for (key, value) in rawMembers {
                guard let modelledValue = modelledMembers[key] else {
                    unknown[key] = value
                    continue
                }
                if let residue = Residue(raw: value, modelled: modelledValue) { nested[key] = residue }
            }
            guard !unknown.isEmpty || !nested.isEmpty else { return nil }
            self = .object(unknown: unknown, nested: nested)
        case (.array(let rawElements), .array(let modelledElements)) where rawElements.count == modelledElements.count:
            var byPosition: [Int: Residue] = [:]
            for (index, (rawElement, modelledElement)) in zip(rawElements, modelledElements).enumerated() {
                if let residue = Residue(raw: rawElement, modelled: modelledElement) { byPosition[index] = residue }
            }
            guard !byPosition.isEmpty else { return nil }
            if let names = Self.distinctNames(rawElements) {
                self = .namedElements(Dictionary(uniqueKeysWithValues: byPosition.map { (names[$0.key], $0.value) }))
            } else {
                self = .positionalElements(byPosition, count: rawElements.count)
            }
        default:
            // Scalars, and a value the type models differently (which it then owns), hold nothing unmodelled.
            return nil
        }
    }

    func merged(into encoded: JSONValue) -> JSONValue {
        switch (self, encoded) {
        case (.object(let unknown, let nested), .object(var members)):
            for (key, value) in unknown where members[key] == nil {
                members[key] = value
            }
            for (key, residue) in nested {
                if let value = members[key] { members[key] = residue.merged(into: value) }
            }
            return .object(members)
        case (.namedElements(let byName), .array(let elements)):
            return .array(
                elements.map { element in
                    guard let name = element["name"]?.stringValue, let residue = byName[name] else { return element }
                    return residue.merged(into: element)
                })
        case (.positionalElements(let byPosition, let count), .array(let elements)) where elements.count == count:
            return .array(
                elements.enumerated().map { index, element in
                    byPosition[index].map { $0.merged(into: element) } ?? element
                })
        default:
            return encoded
        }
    }

    var json: JSONValue {
        switch self {
        case .object(let unknown, let nested):
            return .object(unknown.merging(nested.mapValues(\.json)) { unknownValue, _ in unknownValue })
        case .namedElements(let byName):
            return .object(byName.mapValues(\.json))
        case .positionalElements(let byPosition, _):
            return .object(Dictionary(uniqueKeysWithValues: byPosition.map { (String($0.key), $0.value.json) }))
        }
    }

    /// The elements' `name` members, when every element has one and no two are equal.
    private static func distinctNames(_ elements: [JSONValue]) -> [String]? {
        let names = elements.compactMap { $0["name"]?.stringValue }
        guard names.count == elements.count, Set(names).count == names.count else { return nil }
        return names
    }
}
