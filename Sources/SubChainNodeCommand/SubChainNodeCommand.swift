import ArgumentParser

/// `subchain-node`: one PBFT validator of a sub-chain, plus the tools to make keys, a genesis and a local
/// network, and to talk to a node's HTTP API.
@main
struct SubChainNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subchain-node",
        abstract: "A PBFT validator of a HieraChain sub-chain, and tools around it.",
        subcommands: [
            RunCommand.self, KeygenCommand.self, GenesisCommand.self, DevnetCommand.self,
            SubmitCommand.self, BlocksCommand.self, StatusCommand.self,
        ]
    )
}
