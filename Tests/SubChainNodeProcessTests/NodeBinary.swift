import Foundation

/// Where the `subchain-node` executable under test is.
///
/// In order: `SUBCHAIN_NODE_BINARY` if set; `subchain-node` next to the test bundle (SwiftPM puts both in
/// `.build/<triple>/<config>/`, and `swift test` builds every product first); `.build/debug/subchain-node`
/// relative to this source file.
enum NodeBinary {
    static let url: URL = {
        let files = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SUBCHAIN_NODE_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        candidates.append(packageRoot.appendingPathComponent(".build/release"))
        for directory in candidates {
            let binary = directory.appendingPathComponent("subchain-node")
            if files.isExecutableFile(atPath: binary.path) { return binary }
        }
        return packageRoot.appendingPathComponent(".build/debug/subchain-node")
    }()
}
