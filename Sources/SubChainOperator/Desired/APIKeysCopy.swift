import Foundation
import KubeCore

/// `spec.apiKeysSecret`: a Secret in the operator's namespace whose `apiKeys` entry lists the keys clients
/// send in `X-API-Key`, copied into the sub-chain's namespace (pods can only mount Secrets of their own).
public enum APIKeysCopy {
    /// The entry of both the source and the copy, mounted as `API_KEYS_FILE`.
    public static let entry = "apiKeys"

    /// Why `source` cannot be copied, or `nil`.
    public static func problem(with source: Secret) -> String? {
        guard let keys = source.data?[entry] else {
            return "Secret \(source.metadata.namespace ?? "")/\(source.metadata.name ?? "") has no \(entry) entry (one key per line)"
        }
        let lines = String(decoding: keys, as: UTF8.self).split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        return lines.isEmpty ? "the \(entry) entry of Secret \(source.metadata.namespace ?? "")/\(source.metadata.name ?? "") lists no key" : nil
    }
}

extension SubChainBlueprint {
    /// The copy of the API keys `source` holds.
    public func apiKeysSecret(copying source: Secret) -> Secret {
        var meta = ObjectMeta(name: SubChainNames.apiKeysSecret, namespace: names.namespace, labels: names.labels, ownerReferences: [owner])
        meta.annotations = ["hierachain.io/copied-from": "\(source.metadata.namespace ?? "")/\(source.metadata.name ?? "")"]
        return Secret(metadata: meta, type: "Opaque", data: [APIKeysCopy.entry: source.data?[APIKeysCopy.entry] ?? Data()])
    }
}
