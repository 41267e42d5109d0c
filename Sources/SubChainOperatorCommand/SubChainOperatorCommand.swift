import ArgumentParser
import SubChainOperator

/// `subchain-operator`: the Kubernetes operator for BFT sub-chains.
@main
struct SubChainOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subchain-operator",
        abstract: "The Kubernetes operator for HieraChain BFT sub-chains (hierachain.io/v1alpha1 SubChain).",
        discussion: """
            Install the CustomResourceDefinition with:
              subchain-operator crd | kubectl apply -f -
            """,
        subcommands: [CRDCommand.self])
}

/// `subchain-operator crd`: prints the SubChain CustomResourceDefinition.
struct CRDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crd",
        abstract: "Print the SubChain CustomResourceDefinition as YAML (the content of crds/subchain.yaml).")

    func run() throws {
        print(try SubChainDefinition.yaml(), terminator: "")
    }
}
