import Foundation

/// One `subchain-node run` child process of a devnet.
final class ChildNode: @unchecked Sendable {
    // @unchecked: `process` is set up once before `start()` and then only read; Foundation's Process is
    // itself thread-safe for signalling and status reads.
    let name: String
    let process: Process

    /// Prepares (does not start) `executable run` with `environment` laid over this process's environment.
    /// `onExit` gets the child and how it ended ("exited with status 1", "was killed by signal 9").
    init(name: String, executable: URL, environment: [(String, String)], onExit: @escaping @Sendable (ChildNode, String) -> Void) {
        self.name = name
        process = Process()
        process.executableURL = executable
        process.arguments = ["run"]
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.terminationHandler = { [weak self] process in
            if let self {
                let how = process.terminationReason == .uncaughtSignal
                    ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
                onExit(self, how)
            }
        }
    }

    func start() throws { try process.run() }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` if the child still runs.
    func signal(_ signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }
}

/// The path of this very executable, so that devnet children run the same build.
enum SelfExecutable {
    static var url: URL {
        // /proc/self/exe names the binary even when argv[0] was a bare name found on PATH.
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: resolved)
        }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }
}
