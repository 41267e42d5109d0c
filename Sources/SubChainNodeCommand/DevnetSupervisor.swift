import Dispatch
import Foundation

/// Starts a devnet's children, reports the ones that die, and stops them all on SIGINT/SIGTERM:
/// SIGTERM first, SIGKILL for those still running after the grace period.
struct DevnetSupervisor {
    let network: LocalNetwork
    let grace: Duration

    private enum Event: Sendable {
        case signal(Int32)
        case exited(String, String)
    }

    func run() async throws {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        // The handlers keep running on a dispatch queue; the default action (exit at once, orphaning the
        // children) is switched off first.
        let signalSources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { sink.yield(.signal(number)) }
            source.resume()
            return source
        }
        defer { for source in signalSources { source.cancel() } }

        let executable = SelfExecutable.url
        var children: [ChildNode] = []
        for index in 0..<network.nodeCount {
            let child = ChildNode(name: "node-\(index)", executable: executable, environment: network.environment(index)) { child, how in
                sink.yield(.exited(child.name, how))
            }
            do {
                try child.start()
            } catch {
                await stop(children)
                throw CommandFailure("cannot start node-\(index) (\(executable.path)): \(error)", exitCode: CommandFailure.unavailable)
            }
            children.append(child)
            Console.say("node-\(index): API \(network.apiURL(index))  consensus 127.0.0.1:\(network.nodePort(index))")
        }
        Console.say("devnet: \(network.nodeCount) nodes running; Ctrl-C stops them")

        var running = network.nodeCount
        for await event in events {
            switch event {
            case .signal(let number):
                Console.say("devnet: signal \(number), stopping the nodes")
                await stop(children)
                return
            case .exited(let name, let how):
                running -= 1
                FileHandle.standardError.write(Data("subchain-node: devnet: \(name) \(how) unexpectedly; \(running) nodes still run\n".utf8))
                if running == 0 { throw CommandFailure("devnet: every node has exited") }
            }
        }
    }

    /// SIGTERM to every child, then SIGKILL to those still running after the grace period.
    private func stop(_ children: [ChildNode]) async {
        for child in children { child.signal(SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while children.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for child in children where child.isRunning {
            FileHandle.standardError.write(Data("subchain-node: devnet: \(child.name) did not stop in time, killing it\n".utf8))
            child.signal(SIGKILL)
        }
    }
}

/// Unbuffered standard output, so that a devnet's URLs show at once even when stdout is a pipe or file.
enum Console {
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}
