import ArgumentParser
import Foundation
import KubeSandbox
import UnixSignals

/// `kube-sandbox`: a Kubernetes API server on 127.0.0.1 for trying kubectl and the operator without a
/// cluster. Writes a kubeconfig for its admin user and serves until Ctrl-C or SIGTERM.
@main
struct KubeSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-sandbox",
        abstract: "A Kubernetes API server on 127.0.0.1, in memory, for tests and for trying the operator.")

    @Option(help: "The port to serve on, on 127.0.0.1; 0 picks a free one.")
    var port = 6443

    @Option(help: "Where to write the kubeconfig of the admin user.")
    var kubeconfig: String

    @Flag(help: "Serve plain HTTP instead of HTTPS.")
    var insecureHTTP = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        guard !kubeconfig.isEmpty else { throw ValidationError("--kubeconfig must name a file") }
    }

    func run() async throws {
        let server: SandboxServer
        do {
            server = try await SandboxServer.start(port: port, useTLS: !insecureHTTP)
        } catch {
            FileHandle.standardError.write(Data("kube-sandbox: cannot serve on 127.0.0.1:\(port): \(error)\n".utf8))
            throw ExitCode(69)
        }
        do {
            try server.kubeconfig().write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kubeconfig)
        } catch {
            await server.stop()
            throw ValidationError("--kubeconfig: cannot write \(kubeconfig): \(error)")
        }
        say("kube-sandbox serving \(server.url)")
        say("kubeconfig written to \(kubeconfig); use it with: export KUBECONFIG=\(kubeconfig)")
        for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
            say("kube-sandbox stopping (\(signal))")
            break
        }
        await server.stop()
    }
}

/// Writes a line to standard output at once (`print` is buffered when the output is a pipe, and a
/// supervisor reading it waits for the URL).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
