import Foundation

/// Reads the local files a configuration names, with errors that say which file and why.
enum LocalFile {
    /// Reads a whole file.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - purpose: What the file is for and where it was named, such as
    ///     `client-key of user "alice" in /home/a/.kube/config`.
    /// - Throws: ``KubeError/Code/configuration`` naming the file and the purpose.
    static func read(_ path: String, for purpose: String) throws(KubeError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .configuration("\(purpose): file \(path) does not exist; create it or fix the path")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .configuration("\(purpose): cannot read file \(path): \(error.localizedDescription)", underlying: error)
        }
    }

    /// Resolves `path` against `folder` unless it is absolute, as kubectl does for kubeconfig paths;
    /// a leading `~/` is the home folder.
    static func resolve(_ path: String, against folder: String?, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        if path == "~" || path.hasPrefix("~/"), let home, !home.isEmpty {
            return home + path.dropFirst()
        }
        guard let folder, !path.hasPrefix("/"), !path.isEmpty else { return path }
        return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
    }

    /// The folder holding `path`.
    static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
    }

    /// Decodes base64 data, naming the field and its origin on failure.
    static func decodeBase64(_ text: String, field: String) throws(KubeError) -> Data {
        // Kubeconfigs written by hand often wrap long base64 lines.
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw .configuration("\(field) is not valid base64; encode the PEM file with `base64 -w0`")
        }
        return data
    }
}
