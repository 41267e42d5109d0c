import ArgumentParser
import Foundation
import SubChainNode

/// `subchain-node run`: starts one validator from the environment, as the operator configures it, with
/// flags of the same names (`--node-id` for `NODE_ID`, …) overriding it for local use.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one validator until SIGTERM or SIGINT.",
        discussion: SettingFlags.help
    )

    /// The setting flags. They are parsed by ``SettingFlags`` rather than declared one by one, so that the
    /// list in `NodeSettings.variables` is the only one to keep up to date.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Setting flags, listed below.", valueName: "--setting value"))
    var settingFlags: [String] = []

    func run() async throws {
        await CommandFailure.reporting {
            var environment = ProcessInfo.processInfo.environment
            let overrides: [String: String]
            do {
                overrides = try SettingFlags.parse(settingFlags)
            } catch {
                throw CommandFailure("\(error)", exitCode: CommandFailure.usage)
            }
            environment.merge(overrides) { _, flag in flag }
            let settings: NodeSettings
            do {
                settings = try NodeSettings(environment: environment)
            } catch {
                throw CommandFailure("\(error)", exitCode: CommandFailure.usage)
            }
            try await NodeRunner(settings: settings).run()
        }
    }
}
