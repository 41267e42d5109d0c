import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sub-chain of real `subchain-node run` processes on 127.0.0.1, made with `subchain-node genesis`.
///
/// Every node's output goes to `<dir>/node-i.log`, printed (tail) by ``dumpLogs()`` when a test fails.
/// Call ``stopAll()`` in a `defer`: it SIGKILLs every child still running and removes the directory, so
/// that no process outlives a failed test.
final class TestCluster: @unchecked Sendable {
    // @unchecked: a cluster belongs to one test, which drives it from one task at a time.
    let directory: URL
    let nodeCount: Int
    let apiBasePort: Int
    let nodePortBase: Int
    private let extraEnvironment: [String: String]
    private var processes: [Int: Process] = [:]

    /// Writes keys, genesis and env files for `nodes` validators on free ports; starts nothing.
    /// - Parameter environment: settings every node gets on top of its env file (short timeouts).
    init(nodes: Int = 4, curve: Bool = true, environment: [String: String] = TestCluster.fastSettings) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-process-test-\(UUID().uuidString.prefix(8))")
        nodeCount = nodes
        let base = FreePorts.run(of: 2 * nodes)
        nodePortBase = base
        apiBasePort = base + nodes
        extraEnvironment = environment
        var arguments = [
            "genesis", "--nodes", "\(nodes)", "--chain-id", "process-test", "--out", directory.path,
            "--base-port", "\(base)", "--api-base-port", "\(apiBasePort)",
        ]
        if !curve { arguments.append("--no-curve") }
        let result = try Self.runToCompletion(arguments, environment: [:], timeout: .seconds(20))
        guard result.status == 0 else { throw ClusterError("genesis failed (\(result.status)): \(result.stderr)") }
    }

    /// Settings that keep failover quick in tests.
    static let fastSettings = ["VIEW_CHANGE_TIMEOUT_MS": "300", "BATCH_WAIT_MS": "2", "LOG_LEVEL": "info"]

    /// Node `index`'s API base URL.
    func api(_ index: Int) -> String { "http://127.0.0.1:\(apiBasePort + index)" }

    /// Node `index`'s settings from its env file.
    func environment(of index: Int) throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("node-\(index).env"), encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    /// Starts node `index` (again, after a kill: same keys and data directory).
    func start(_ index: Int) throws {
        precondition(processes[index]?.isRunning != true, "node-\(index) is already running")
        let log = directory.appendingPathComponent("node-\(index).log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = NodeBinary.url
        process.arguments = ["run"]
        var environment = ProcessInfo.processInfo.environment
        environment.merge(try self.environment(of: index)) { _, new in new }
        environment.merge(extraEnvironment) { _, new in new }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[index] = process
    }

    /// Starts every node.
    func startAll() throws { for index in 0..<nodeCount { try start(index) } }

    /// Sends `signal` to node `index` and, for SIGKILL, waits (bounded) until it is gone.
    func kill(_ index: Int, signal: Int32 = SIGKILL) async throws {
        guard let process = processes[index], process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        try await waitUntil("node-\(index) exits", timeout: .seconds(15)) { !process.isRunning }
    }

    /// Whether node `index` runs.
    func isRunning(_ index: Int) -> Bool { processes[index]?.isRunning == true }

    /// SIGKILLs every child still running and waits for each (bounded); keeps the directory when
    /// `keepFiles` (a failed test's logs).
    func stopAll(keepFiles: Bool = false) {
        for process in processes.values where process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        let deadline = Date().addingTimeInterval(10)
        while processes.values.contains(where: \.isRunning), Date() < deadline { usleep(20_000) }
        processes.removeAll()
        if !keepFiles { try? FileManager.default.removeItem(at: directory) }
    }

    /// The last lines of every node's log, for a failure message.
    func dumpLogs(lines: Int = 30) -> String {
        (0..<nodeCount).map { index in
            let text = (try? String(contentsOf: directory.appendingPathComponent("node-\(index).log"), encoding: .utf8)) ?? ""
            return "--- node-\(index) ---\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Runs `subchain-node arguments…` to completion (killed after `timeout`).
    static func runToCompletion(
        _ arguments: [String], environment: [String: String], inheritEnvironment: Bool = true, timeout: Duration
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = NodeBinary.url
        process.arguments = arguments
        var merged = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Outputs here are small; reading after exit cannot deadlock on a full pipe below 64 KiB.
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ClusterError("subchain-node \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        process.waitUntilExit()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }
}

/// A test setup step that failed.
struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes.
/// - Throws: ``ClusterError`` naming `what` on timeout.
func waitUntil(
    _ what: String, timeout: Duration, every interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: interval)
    }
    if try await condition() { return }
    throw ClusterError("timed out after \(timeout) waiting until \(what)")
}
