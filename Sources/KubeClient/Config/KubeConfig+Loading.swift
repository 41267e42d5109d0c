import Foundation
import Yams

extension KubeConfig {
    /// Parses one kubeconfig document.
    ///
    /// Relative file paths (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`,
    /// and an exec `command` containing a `/`) are resolved against the folder of `source`, as kubectl
    /// resolves them against the kubeconfig's own folder.
    ///
    /// - Parameters:
    ///   - yaml: The file's contents.
    ///   - source: The file's path, used for relative paths and error messages.
    /// - Returns: The configuration, with each entry's ``NamedCluster/source`` set.
    /// - Throws: ``KubeError/Code/configuration`` naming the file and the YAML problem.
    public static func parse(_ yaml: String, source: String? = nil) throws(KubeError) -> KubeConfig {
        let origin = source ?? "kubeconfig"
        // An empty file is a valid, empty kubeconfig for kubectl; Yams would call it a missing value.
        if yaml.allSatisfy(\.isWhitespace) { return KubeConfig() }
        let file: FileModel
        do {
            file = try YAMLDecoder().decode(FileModel.self, from: yaml)
        } catch {
            throw .configuration("\(origin) is not a valid kubeconfig: \(Self.explain(error))", underlying: error)
        }
        let folder = source.map(LocalFile.folder(of:))
        var config = KubeConfig(currentContext: file.currentContext.flatMap { $0.isEmpty ? nil : $0 })
        for entry in file.clusters ?? [] {
            var cluster = entry.value ?? Cluster()
            cluster.certificateAuthority = cluster.certificateAuthority.map { LocalFile.resolve($0, against: folder) }
            config.clusters.append(NamedCluster(name: entry.name, cluster: cluster, source: source))
        }
        for entry in file.users ?? [] {
            var user = entry.value ?? User()
            user.clientCertificate = user.clientCertificate.map { LocalFile.resolve($0, against: folder) }
            user.clientKey = user.clientKey.map { LocalFile.resolve($0, against: folder) }
            user.tokenFile = user.tokenFile.map { LocalFile.resolve($0, against: folder) }
            // A bare command name is looked up in PATH; only a path with a separator is file-relative.
            if var exec = user.exec, exec.command.contains("/") {
                exec.command = LocalFile.resolve(exec.command, against: folder)
                user.exec = exec
            }
            config.users.append(NamedUser(name: entry.name, user: user, source: source))
        }
        for entry in file.contexts ?? [] {
            config.contexts.append(NamedContext(name: entry.name, context: entry.value ?? Context(), source: source))
        }
        return config
    }

    /// Reads and parses one kubeconfig file.
    ///
    /// - Parameter path: The file.
    /// - Returns: The configuration.
    /// - Throws: ``KubeError/Code/configuration`` when the file is missing, unreadable or malformed.
    public static func load(path: String) throws(KubeError) -> KubeConfig {
        let data = try LocalFile.read(path, for: "kubeconfig")
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// Reads several kubeconfig files and merges them as kubectl merges a `KUBECONFIG` list.
    ///
    /// The first file to define a cluster, user or context name wins, and `current-context` comes
    /// from the first file that sets it. Files that do not exist are skipped, as kubectl skips them;
    /// a file that exists but cannot be parsed is an error.
    ///
    /// - Parameter paths: The files, in priority order; empty entries are ignored.
    /// - Returns: The merged configuration.
    /// - Throws: ``KubeError/Code/configuration`` for an unreadable or malformed file.
    public static func load(mergingPaths paths: [String]) throws(KubeError) -> KubeConfig {
        var merged = KubeConfig()
        var seen = Set<String>()
        for path in paths where !path.isEmpty && seen.insert(path).inserted {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            merged = merged.merged(with: try load(path: path))
        }
        return merged
    }

    /// Merges `other` under this configuration: entries and `current-context` already set here win.
    ///
    /// - Parameter other: A configuration of lower priority.
    /// - Returns: The merged configuration.
    public func merged(with other: KubeConfig) -> KubeConfig {
        var result = self
        if result.currentContext == nil { result.currentContext = other.currentContext }
        let clusterNames = Set(clusters.map(\.name))
        result.clusters += other.clusters.filter { !clusterNames.contains($0.name) }
        let userNames = Set(users.map(\.name))
        result.users += other.users.filter { !userNames.contains($0.name) }
        let contextNames = Set(contexts.map(\.name))
        result.contexts += other.contexts.filter { !contextNames.contains($0.name) }
        return result
    }

    private static func explain(_ error: any Error) -> String {
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                return "missing \"\(key.stringValue)\" at \(path(context))"
            case .typeMismatch(let type, let context):
                return "expected \(type) at \(path(context))"
            case .valueNotFound(let type, let context):
                return "expected \(type) at \(path(context)), found nothing"
            case .dataCorrupted(let context):
                return "\(context.debugDescription) at \(path(context))"
            @unknown default:
                return String(describing: error)
            }
        }
        return String(describing: error)
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
    }

    /// The file's layout, with every list optional as kubectl allows.
    private struct FileModel: Decodable {
        var currentContext: String?
        var clusters: [Entry<Cluster, ClusterKey>]?
        var users: [Entry<User, UserKey>]?
        var contexts: [Entry<Context, ContextKey>]?

        enum CodingKeys: String, CodingKey {
            case currentContext = "current-context"
            case clusters, users, contexts
        }
    }

    private protocol EntryKey { static var key: String { get } }
    private enum ClusterKey: EntryKey { static let key = "cluster" }
    private enum UserKey: EntryKey { static let key = "user" }
    private enum ContextKey: EntryKey { static let key = "context" }

    /// `{name: ..., cluster|user|context: {...}}`.
    private struct Entry<Value: Decodable, Key: EntryKey>: Decodable {
        var name: String
        var value: Value?

        private struct DynamicKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: DynamicKey.self)
            name = try container.decode(String.self, forKey: DynamicKey(stringValue: "name"))
            value = try container.decodeIfPresent(Value.self, forKey: DynamicKey(stringValue: Key.key))
        }
    }
}
