import Foundation

/// Finds the relative links of Markdown documents that do not resolve inside a repository.
///
/// A link is broken when its file does not exist, when it leads out of the repository (a reader of a
/// clone has nothing beside it), or when its `#fragment` names no heading of the Markdown file it points
/// at. Links with a scheme (`https:`, `mailto:`) are not checked.
struct RelativeLinkCheck {
    /// One broken link, described for a test failure.
    struct Problem: Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var target: String
        var reason: String
        var description: String { "\(file):\(line): \(target): \(reason)" }
    }

    let root: URL

    /// The README and every Markdown file under `docs/`, as paths relative to the root.
    func documentationFiles() -> [String] {
        var files = ["README.md"]
        let docs = root.appendingPathComponent("docs")
        if let walker = FileManager.default.enumerator(atPath: docs.path) {
            for case let path as String in walker where path.hasSuffix(".md") { files.append("docs/" + path) }
        }
        return files.sorted()
    }

    /// The broken links of the given files (paths relative to the root).
    func problems(in files: [String]) throws -> [Problem] {
        var problems: [Problem] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for link in MarkdownLinks(text).links {
                if let reason = try problem(with: link.target, from: file, text: text) {
                    problems.append(Problem(file: file, line: link.line, target: link.target, reason: reason))
                }
            }
        }
        return problems
    }

    private func problem(with target: String, from file: String, text: String) throws -> String? {
        if Self.hasScheme(target) { return nil }
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0].removingPercentEncoding ?? String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : nil
        if path.isEmpty {
            guard let fragment else { return "an empty link" }
            return MarkdownLinks(text).anchors.contains(fragment) ? nil : "no heading of this file has the anchor #\(fragment)"
        }
        if path.hasPrefix("/") { return "an absolute path; links must be relative to the file" }
        let base = root.appendingPathComponent(file).deletingLastPathComponent()
        let resolved = base.appendingPathComponent(path).standardizedFileURL
        let rootPath = root.standardizedFileURL.path
        guard resolved.path == rootPath || resolved.path.hasPrefix(rootPath + "/") else {
            return "leads out of the repository"
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
            return "no such file"
        }
        if let fragment, !isDirectory.boolValue, resolved.pathExtension == "md" {
            let targetText = try String(contentsOf: resolved, encoding: .utf8)
            if !MarkdownLinks(targetText).anchors.contains(fragment) { return "\(path) has no heading with the anchor #\(fragment)" }
        }
        return nil
    }

    /// Whether the target starts with a URL scheme such as `https:`.
    private static func hasScheme(_ target: String) -> Bool {
        guard let colon = target.firstIndex(of: ":") else { return false }
        let scheme = target[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }
}
