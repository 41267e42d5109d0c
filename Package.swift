// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "subchain",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Consensus", targets: ["Consensus"]),
        .library(name: "ConsensusSimulation", targets: ["ConsensusSimulation"]),
        .library(name: "KubeCore", targets: ["KubeCore"]),
        .executable(name: "consensus-benchmark", targets: ["ConsensusBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // The PBFT replica as a deterministic state machine: no sockets, clocks or randomness.
        .target(
            name: "Consensus",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // A seeded in-memory network that drives real replicas; shared by tests and the benchmark.
        .target(
            name: "ConsensusSimulation",
            dependencies: ["Consensus", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "ConsensusBenchmark",
            dependencies: [
                "Consensus",
                "ConsensusSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Kubernetes object models, request building and watch-event decoding; no I/O.
        .target(name: "KubeCore"),
        .testTarget(
            name: "KubeCoreTests",
            dependencies: ["KubeCore"]
        ),
        .testTarget(
            name: "ConsensusTests",
            dependencies: ["Consensus", "ConsensusSimulation"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
