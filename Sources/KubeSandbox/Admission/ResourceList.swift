import KubeCore

/// Named quantities (`cpu: 500m`, `requests.memory: 1Gi`, `pods: 3`): a container's requests or
/// limits, a quota's hard limits or its usage, with the arithmetic the quota system does on them
/// (apiserver's `quota/v1` helpers).
///
/// Sums keep Kubernetes' formats: a sum takes its first non-zero operand's format, so usage starting at
/// `0` and adding `512Mi` twice prints `1Gi`, and `1 + 500m` prints `1500m`, as a real server writes
/// `status.used`.
struct ResourceList: Sendable, Equatable {
    var quantities: [String: Quantity]

    init(_ quantities: [String: Quantity] = [:]) {
        self.quantities = quantities
    }

    /// Reads a JSON object of quantities (`{"cpu": "500m", "memory": 1024}`). Members that are not
    /// quantities are skipped: validation, not arithmetic, is where they are refused.
    static func parse(_ json: JSONValue?) -> ResourceList {
        var result: [String: Quantity] = [:]
        for (name, value) in json?.objectMembers ?? [:] {
            if let quantity = quantity(value) { result[name] = quantity }
        }
        return ResourceList(result)
    }

    /// One quantity from JSON: a string as written, or a number as some clients send it.
    static func quantity(_ value: JSONValue) -> Quantity? {
        switch value {
        case .string(let text): try? Quantity(parsing: text)
        case .integer(let number): Quantity(number)
        case .double(let number): try? Quantity(parsing: String(number))
        default: nil
        }
    }

    /// The list as JSON, each quantity in the canonical form the API server writes.
    var json: JSONValue { .object(quantities.mapValues { .string($0.description) }) }

    var isEmpty: Bool { quantities.isEmpty }
    /// The quantities sorted by name, for output that does not depend on hashing.
    var sorted: [(name: String, quantity: Quantity)] { quantities.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    var names: Set<String> { Set(quantities.keys) }

    subscript(name: String) -> Quantity? {
        get { quantities[name] }
        set { quantities[name] = newValue }
    }

    /// Every quantity of both lists, summed where both have it (`quota.Add`).
    func adding(_ other: ResourceList) -> ResourceList {
        var result = quantities
        for (name, quantity) in other.quantities {
            result[name] = result[name].map { Self.sum($0, quantity) } ?? quantity
        }
        return ResourceList(result)
    }

    /// Every quantity of both lists, the larger where both have it (`quota.Max`): how init containers,
    /// which run one at a time, count against the sum of the app containers.
    func raised(to other: ResourceList) -> ResourceList {
        var result = quantities
        for (name, quantity) in other.quantities where result[name].map({ quantity > $0 }) ?? true {
            result[name] = quantity
        }
        return ResourceList(result)
    }

    /// This list less `other`, never below zero; a name only `other` has is zero
    /// (`quota.SubtractWithNonNegativeResult`): what an update adds to what its object used before.
    func subtractingClampedAtZero(_ other: ResourceList) -> ResourceList {
        var result: [String: Quantity] = [:]
        for (name, quantity) in quantities {
            let difference = other[name].map { (try? quantity.subtracting($0)) ?? .zero } ?? quantity
            result[name] = difference > .zero ? difference : .zero
        }
        for name in other.quantities.keys where result[name] == nil { result[name] = .zero }
        return ResourceList(result)
    }

    /// Only the named quantities (`quota.Mask`).
    func masked(to names: some Sequence<String>) -> ResourceList {
        var result: [String: Quantity] = [:]
        for name in names { result[name] = quantities[name] }
        return ResourceList(result)
    }

    /// The names whose quantity here is above the one in `limits`, sorted; names `limits` lacks are
    /// not limited (`quota.LessThanOrEqual`).
    func exceeding(_ limits: ResourceList) -> [String] {
        quantities.compactMap { name, quantity in
            guard let limit = limits[name], quantity > limit else { return nil }
            return name
        }.sorted()
    }

    /// Whether every quantity is zero (an empty list is).
    var isZero: Bool { quantities.values.allSatisfy(\.isZero) }

    /// The names of negative quantities, sorted.
    var negativeNames: [String] { quantities.filter { $0.value < .zero }.keys.sorted() }

    /// `limits.cpu=2,requests.cpu=500m`: sorted by name, as quota errors print a list.
    var prettyPrinted: String {
        quantities.keys.sorted().map { "\($0)=\(quantities[$0]?.description ?? "")" }.joined(separator: ",")
    }

    /// A sum that saturates instead of trapping: quantities come from clients, and a sum beyond 10²⁹
    /// units is over any limit anyway.
    private static func sum(_ a: Quantity, _ b: Quantity) -> Quantity {
        if let sum = try? a.adding(b) { return sum }
        return Quantity(nanoUnits: b.nanoUnits < 0 ? -.max : .max, format: a.isZero ? b.format : a.format)
    }
}
