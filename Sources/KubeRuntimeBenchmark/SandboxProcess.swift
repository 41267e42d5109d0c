import Foundation

/// A `kube-sandbox` in a process of its own, so that this process's resident memory is the client's and
/// its caches' alone. The binary is the one built beside this benchmark.
final class SandboxProcess {
    let kubeconfig: String
    private let process: Process
    private let folder: URL

    /// Starts the sandbox on a free port and waits (up to 20 s) for the kubeconfig it writes.
    init() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("kube-sandbox")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw SandboxProcessError("no kube-sandbox beside this benchmark at \(binary.path); build both with swift build -c release")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kube-runtime-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("kubeconfig")
        process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "0", "--kubeconfig", file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8), text.contains("server:") {
                kubeconfig = text
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw SandboxProcessError("kube-sandbox wrote no kubeconfig within 20 s")
    }

    /// Stops the sandbox (SIGTERM) and removes its folder.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

struct SandboxProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
