import NIOCore
import NIOHTTP1

/// One request a benchmark client sends.
struct LoadRequest: Sendable {
    let method: HTTPMethod
    let path: String
    var body: ByteBuffer?
}

/// The ConfigMaps the benchmark writes and reads, and the requests for them.
///
/// Each object has ten data keys and a label, about the size of the configuration the operator keeps per
/// sub-chain, so a request costs the server what the operator's requests will.
struct ConfigMapRequests: Sendable {
    /// Where the objects preloaded for the get, update and list phases live.
    static let readNamespace = "bench"
    /// Where the create phase writes, apart from the preloaded objects so the watch sees only its creations
    /// and the list phase pages the same `--objects` objects whatever the create phase managed.
    static let createNamespace = "bench-create"

    /// How many objects were preloaded into ``readNamespace``.
    let preloaded: Int

    static func namespaceBody(_ name: String) -> ByteBuffer {
        ByteBuffer(string: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)"}}"#)
    }

    static func collectionPath(_ namespace: String) -> String { "/api/v1/namespaces/\(namespace)/configmaps" }

    /// The `index`th preloaded object's name.
    static func preloadedName(_ index: Int) -> String { "object-\(index)" }

    /// A POST of preloaded object `index`.
    func preload(_ index: Int) -> LoadRequest {
        Self.create(Self.readNamespace, name: Self.preloadedName(index), revision: "0")
    }

    /// A POST of a new object: the name is unique by client and the client's sequence number.
    func create(client: Int, sequence: Int) -> LoadRequest {
        Self.create(Self.createNamespace, name: "client-\(client)-\(sequence)", revision: "0")
    }

    /// A GET of a preloaded object picked pseudo-randomly from the client and its sequence number.
    func get(client: Int, sequence: Int) -> LoadRequest {
        let name = Self.preloadedName(pick(client: client, sequence: sequence))
        return LoadRequest(method: .GET, path: Self.collectionPath(Self.readNamespace) + "/" + name)
    }

    /// A PUT of a preloaded object with one data value changed and no `resourceVersion`: an
    /// unconditional update, as the operator does when it owns the object.
    func update(client: Int, sequence: Int) -> LoadRequest {
        let name = Self.preloadedName(pick(client: client, sequence: sequence))
        return LoadRequest(
            method: .PUT, path: Self.collectionPath(Self.readNamespace) + "/" + name,
            body: Self.body(Self.readNamespace, name: name, revision: "\(client)-\(sequence + 1)"))
    }

    /// The first page of 100 of the preloaded namespace's collection.
    func list() -> LoadRequest {
        LoadRequest(method: .GET, path: Self.collectionPath(Self.readNamespace) + "?limit=100")
    }

    private static func create(_ namespace: String, name: String, revision: String) -> LoadRequest {
        LoadRequest(method: .POST, path: collectionPath(namespace), body: body(namespace, name: name, revision: revision))
    }

    /// The object; `revision` is its first data value. Updates make it unique to the request, so every PUT
    /// changes the object (an unchanged object would be a no-op write, which measures less).
    private static func body(_ namespace: String, name: String, revision: String) -> ByteBuffer {
        var data = [#""revision":"\#(revision)""#]
        for key in 1..<10 { data.append(#""setting-\#(key)":"value \#(key) of the sub-chain's configuration""#) }
        return ByteBuffer(
            string: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"\#(namespace)","#
                + #""labels":{"app.kubernetes.io/part-of":"kube-sandbox-benchmark"}},"data":{\#(data.joined(separator: ","))}}"#)
    }

    /// A preloaded object's index, spread evenly by SplitMix64's finalizer: stateless, so each client's task
    /// needs no generator of its own, and the same on every run.
    private func pick(client: Int, sequence: Int) -> Int {
        var mixed = (UInt64(truncatingIfNeeded: client) << 40) ^ UInt64(truncatingIfNeeded: sequence)
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        mixed ^= mixed >> 31
        return Int(mixed % UInt64(max(preloaded, 1)))
    }
}
