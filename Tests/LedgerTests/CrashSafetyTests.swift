import Foundation
import Ledger
import LedgerTesting
import Testing

@Suite("Block store: kill -9")
struct CrashSafetyTests {
    /// The crash writer is built beside the test bundle (`swift build`/`swift test` build every product).
    private static var writerPath: String? {
        if let path = ProcessInfo.processInfo.environment["LEDGER_CRASH_WRITER"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("ledger-crash-writer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    @Test(.timeLimit(.minutes(1)))
    func everyAcknowledgedBlockSurvivesSIGKILL() throws {
        let writer = try #require(Self.writerPath, "build the ledger-crash-writer product (swift build) or set LEDGER_CRASH_WRITER")
        let directory = try TemporaryDirectory()
        let fixture = try ChainFixture()
        var acknowledged: UInt64 = 0
        // Two rounds: the second appends on top of the recovered store and is killed again.
        for round in 0..<2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: writer)
            process.arguments = [directory.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var buffered = Data()
            let deadline = Date().addingTimeInterval(5)
            var heights: [UInt64] = []
            while heights.count < 15 + round * 10, Date() < deadline {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffered.append(chunk)
                let lines = String(decoding: buffered, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                heights = lines.dropLast().compactMap { UInt64($0) }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            // Lines written before the kill but not yet read count too.
            buffered.append(output.fileHandleForReading.readDataToEndOfFile())
            let lines = String(decoding: buffered, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            heights = lines.dropLast().compactMap { UInt64($0) }
            #expect(heights.count >= 15 + round * 10)
            acknowledged = heights.max() ?? acknowledged

            let log = CapturedLog()
            let store = try BlockStore(configuration: fixture.configuration(directory: directory.path, verification: .full, logger: log.logger))
            #expect(store.height >= acknowledged, "an acknowledged block was lost")
            for height in heights {
                let block = try #require(try store.block(atHeight: height))
                #expect(store.containsEvent(block.block.events[0].id))
            }
            #expect(!log.contains("index disagrees"))
        }
    }
}
