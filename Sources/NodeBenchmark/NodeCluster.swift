import BenchmarkHTTP
import Foundation

/// A local network of `subchain-node run` processes on 127.0.0.1, set up by `subchain-node genesis`.
final class NodeCluster {
    struct Node {
        let index: Int
        let environment: [String: String]
        var process: Process?
        var apiEndpoint: BenchmarkHTTPClient.Endpoint { .init(host: "127.0.0.1", port: Int(environment["API_PORT"] ?? "") ?? 2661) }
    }

    let binary: String
    let directory: URL
    private(set) var nodes: [Node] = []

    /// Writes keys, genesis and per-node settings for `count` nodes.
    init(binary: String, count: Int, basePort: Int, apiBasePort: Int, viewChangeTimeoutMilliseconds: Int) throws {
        self.binary = binary
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("subchain-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.runToCompletion(binary, [
            "genesis", "--nodes", "\(count)", "--chain-id", "bench", "--out", directory.path,
            "--base-port", "\(basePort)", "--api-base-port", "\(apiBasePort)",
        ])
        for index in 0..<count {
            let file = directory.appendingPathComponent("node-\(index).env")
            var environment = try Self.parseEnvironmentFile(file)
            environment["VIEW_CHANGE_TIMEOUT_MS"] = "\(viewChangeTimeoutMilliseconds)"
            nodes.append(Node(index: index, environment: environment, process: nil))
        }
    }

    func start(_ index: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run"]
        process.environment = ProcessInfo.processInfo.environment.merging(nodes[index].environment) { $1 }
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile(index))
        try process.run()
        nodes[index].process = process
    }

    func kill(_ index: Int) {
        guard let process = nodes[index].process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        nodes[index].process = nil
    }

    func stopAll() {
        for node in nodes {
            guard let process = node.process, process.isRunning else { continue }
            process.terminate()
        }
        for node in nodes { node.process?.waitUntilExit() }
    }

    /// Resident memory of a running node, from /proc.
    func residentBytes(_ index: Int) -> Int? {
        guard let pid = nodes[index].process?.processIdentifier,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1_024
    }

    func removeFiles() { try? FileManager.default.removeItem(at: directory) }

    private func logFile(_ index: Int) throws -> URL {
        let url = directory.appendingPathComponent("node-\(index).log")
        if !FileManager.default.fileExists(atPath: url.path), !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw BenchmarkFailure("cannot create \(url.path)")
        }
        return url
    }

    private static func parseEnvironmentFile(_ url: URL) throws -> [String: String] {
        var environment: [String: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    private static func runToCompletion(_ binary: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("\(binary) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
