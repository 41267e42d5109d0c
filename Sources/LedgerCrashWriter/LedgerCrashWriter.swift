import Foundation
import Ledger
import LedgerTesting
import Logging

/// Appends blocks of the fixture chain to the store in the directory given as the only argument, printing
/// each height once `append` has returned for it, until killed (or after a bounded number of blocks).
///
/// The crash-safety test kills it with SIGKILL and checks that every printed height survived.
@main
struct LedgerCrashWriter {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: ledger-crash-writer DIRECTORY\n".utf8))
            exit(2)
        }
        let fixture = try ChainFixture()
        let store = try BlockStore(configuration: fixture.configuration(directory: arguments[1]))
        var height = store.height
        var previous = store.headHash
        let eventsPerBlock = 20
        for _ in 0..<100_000 {
            let first = Int(height) * eventsPerBlock
            let block = fixture.block(height: height + 1, previousHash: previous, events: fixture.events(first..<first + eventsPerBlock))
            try store.append(block)
            height = block.height
            previous = block.hash
            // Unbuffered: the line leaves the process as soon as append has returned.
            FileHandle.standardOutput.write(Data("\(height)\n".utf8))
        }
    }
}
