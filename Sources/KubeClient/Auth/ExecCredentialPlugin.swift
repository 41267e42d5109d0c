import Dispatch
import Foundation
import KubeCore
import Synchronization

/// Runs a kubeconfig `exec` credential plugin and parses the `ExecCredential` it prints.
///
/// The plugin gets the client's environment plus the kubeconfig's `env` entries and
/// `KUBERNETES_EXEC_INFO`, which carries an `ExecCredential` whose `spec.interactive` is false
/// (this client never has a terminal to offer) and, with `provideClusterInfo`, `spec.cluster`.
struct ExecCredentialPlugin: Sendable {
    let config: ExecConfig
    let cluster: ExecCredential.Cluster?
    /// How long the plugin may run; then it is sent SIGTERM, and SIGKILL shortly after.
    let timeout: Duration

    init(config: ExecConfig, cluster: ExecCredential.Cluster?, timeout: Duration = .seconds(60)) {
        self.config = config
        self.cluster = cluster
        self.timeout = timeout
    }

    /// Runs the plugin once.
    ///
    /// - Returns: The token and/or client certificate, with their expiry.
    /// - Throws: ``KubeError/Code/credentials`` naming the command and what went wrong (not found,
    ///   non-zero exit with its standard error, unparseable output, wrong API version).
    func run() async throws(KubeError) -> ExecResult {
        if config.interactiveMode == "Always" {
            throw .credentials(
                "exec plugin \(config.command) requires interactive mode Always, but this client has no terminal; "
                    + "set interactiveMode: IfAvailable or Never, or use a plugin that can run unattended")
        }
        let executable = try resolveCommand()
        let environment = try pluginEnvironment()
        let arguments = config.args ?? []
        let output = await Self.execute(
            executable: executable, arguments: arguments, environment: environment, timeout: timeout)
        switch output {
        case .failedToStart(let error):
            throw .credentials("cannot start exec plugin \(executable): \(error)\(hint)", underlying: error)
        case .timedOut:
            throw .credentials(
                "exec plugin \(executable) did not finish within \(timeout) and was stopped; it may be waiting for "
                    + "input it cannot get without a terminal, or for a service it cannot reach. Run it by hand to see "
                    + "why, or raise ClientConfiguration.credentialPluginTimeout")
        case .exited(let status, let stdout, let stderr):
            guard status == 0 else {
                let detail = String(decoding: stderr.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw .credentials(
                    "exec plugin \(executable) exited with status \(status)\(detail.isEmpty ? "" : ": \(detail)"); "
                        + "run it by hand to see why\(hint)")
            }
            return try parse(stdout, executable: executable)
        }
    }

    private var hint: String {
        config.installHint.map { ". \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""
    }

    /// Parses the plugin's standard output.
    func parse(_ stdout: Data, executable: String) throws(KubeError) -> ExecResult {
        let credential: ExecCredential
        do {
            credential = try JSONDecoder().decode(ExecCredential.self, from: stdout)
        } catch {
            let excerpt = String(decoding: stdout.prefix(200), as: UTF8.self)
            throw .credentials(
                "exec plugin \(executable) printed something that is not an ExecCredential (\(error)): \(excerpt)",
                underlying: error)
        }
        guard credential.apiVersion == config.apiVersion else {
            throw .credentials(
                "exec plugin \(executable) answered with apiVersion \"\(credential.apiVersion ?? "")\" but the "
                    + "kubeconfig asks for \"\(config.apiVersion)\"; make them match")
        }
        guard let status = credential.status else {
            throw .credentials("exec plugin \(executable) printed an ExecCredential without status")
        }
        var result = ExecResult()
        result.token = status.token.flatMap { $0.isEmpty ? nil : $0 }
        switch (status.clientCertificateData, status.clientKeyData) {
        case (let certificate?, let key?) where !certificate.isEmpty && !key.isEmpty:
            result.identity = ClientIdentity(certificatePEM: Data(certificate.utf8), keyPEM: Data(key.utf8))
        case (nil, nil):
            break
        default:
            throw .credentials(
                "exec plugin \(executable) returned only one of clientCertificateData and clientKeyData; it must "
                    + "return both or neither")
        }
        guard result.token != nil || result.identity != nil else {
            throw .credentials("exec plugin \(executable) returned neither a token nor a client certificate")
        }
        if let timestamp = status.expirationTimestamp, !timestamp.isEmpty {
            guard let date = KubeTime(rfc3339: timestamp).date else {
                throw .credentials(
                    "exec plugin \(executable) returned expirationTimestamp \"\(timestamp)\", which is not RFC 3339")
            }
            result.expiry = date
        }
        return result
    }

    /// A command with a `/` was already resolved against the kubeconfig's folder; a bare name is
    /// looked up in `PATH`, as a shell would.
    private func resolveCommand() throws(KubeError) -> String {
        if config.command.contains("/") { return config.command }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(config.command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .credentials("exec plugin \"\(config.command)\" was not found in PATH\(hint)")
    }

    private func pluginEnvironment() throws(KubeError) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        let info = ExecCredential(
            apiVersion: config.apiVersion, kind: "ExecCredential",
            spec: .init(interactive: false, cluster: config.provideClusterInfo == true ? cluster : nil))
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            environment["KUBERNETES_EXEC_INFO"] = String(decoding: try encoder.encode(info), as: UTF8.self)
        } catch {
            throw .credentials("cannot encode KUBERNETES_EXEC_INFO: \(error)", underlying: error)
        }
        return environment
    }

    private enum Output: Sendable {
        case failedToStart(any Error)
        case timedOut
        case exited(status: Int32, stdout: Data, stderr: Data)
    }

    /// `Process` blocks while reading and waiting, so it runs on a dispatch thread rather than on
    /// the cooperative pool, which must never block.
    private static func execute(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration
    ) async -> Output {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: .failedToStart(error))
                    return
                }
                let run = PluginRun()
                let pid = process.processIdentifier
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    guard run.markTimedOut() else { return }
                    kill(pid, SIGTERM)
                    // A plugin that ignores SIGTERM still ends, so the pipes close and this thread is released.
                    DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                        if !run.isFinished { kill(pid, SIGKILL) }
                    }
                }
                // Drain stderr concurrently so a chatty plugin cannot fill one pipe while we block on the other.
                let errorData = ErrorBuffer()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorData.set(stderr.fileHandleForReading.readDataToEndOfFile())
                    group.leave()
                }
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                if run.markFinished() {
                    continuation.resume(returning: .timedOut)
                    return
                }
                continuation.resume(
                    returning: .exited(status: process.terminationStatus, stdout: output, stderr: errorData.get()))
            }
        }
    }
}

/// Hands the standard-error bytes from the thread that reads them to the one that waits.
private final class ErrorBuffer: Sendable {
    private let data = Mutex(Data())
    func set(_ data: Data) { self.data.withLock { $0 = data } }
    func get() -> Data { data.withLock { $0 } }
}

/// Whether a plugin run timed out and whether it has been waited for, so that a process already reaped
/// is never signalled.
private final class PluginRun: Sendable {
    private struct State {
        var timedOut = false
        var finished = false
    }

    private let state = Mutex(State())

    /// Marks the run timed out; `false` when it already finished, so there is nothing to stop.
    func markTimedOut() -> Bool {
        state.withLock { state in
            guard !state.finished else { return false }
            state.timedOut = true
            return true
        }
    }

    /// Marks the run finished; returns whether it had timed out first.
    func markFinished() -> Bool {
        state.withLock { state in
            state.finished = true
            return state.timedOut
        }
    }

    var isFinished: Bool { state.withLock { $0.finished } }
}
