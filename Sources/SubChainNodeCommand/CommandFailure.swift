import Foundation

/// An error the command reports as one line on stderr before exiting with `exitCode`, instead of
/// ArgumentParser's usage dump or a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong, without the `subchain-node:` prefix.
    let description: String
    let exitCode: Int32

    /// sysexits.h: a setting or argument is wrong.
    static let usage: Int32 = 64
    /// sysexits.h: a service (the node's API, a child node) is unavailable.
    static let unavailable: Int32 = 69
    /// sysexits.h: an internal software error, such as a storage failure.
    static let software: Int32 = 70

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }

    /// Prints the line and exits. `Never` returns, so that nothing after a failure runs.
    func exit() -> Never {
        FileHandle.standardError.write(Data("subchain-node: \(description)\n".utf8))
        Foundation.exit(exitCode)
    }
}

extension CommandFailure {
    /// Runs `body`, turning any ``CommandFailure`` into its line and exit code; other errors exit 1 with
    /// their description on one line.
    static func reporting(_ body: () async throws -> Void) async {
        do {
            try await body()
        } catch let failure as CommandFailure {
            failure.exit()
        } catch {
            CommandFailure(String(describing: error).replacingOccurrences(of: "\n", with: " ")).exit()
        }
    }
}
