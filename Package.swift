// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "subchain",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Consensus", targets: ["Consensus"]),
        .library(name: "ConsensusSimulation", targets: ["ConsensusSimulation"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "KubeCore", targets: ["KubeCore"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "SubChainNode", targets: ["SubChainNode"]),
        .executable(name: "subchain-node", targets: ["SubChainNodeCommand"]),
        .executable(name: "consensus-benchmark", targets: ["ConsensusBenchmark"]),
        .executable(name: "ledger-crash-writer", targets: ["LedgerCrashWriter"]),
        .executable(name: "node-benchmark", targets: ["NodeBenchmark"]),
        .library(name: "KubeSandbox", targets: ["KubeSandbox"]),
        .executable(name: "kube-sandbox", targets: ["KubeSandboxCommand"]),
        .executable(name: "kube-sandbox-benchmark", targets: ["KubeSandboxBenchmark"]),
        .library(name: "KubeRuntime", targets: ["KubeRuntime"]),
        .executable(name: "kube-runtime-benchmark", targets: ["KubeRuntimeBenchmark"]),
        .library(name: "SubChainOperator", targets: ["SubChainOperator"]),
        .executable(name: "subchain-operator", targets: ["SubChainOperatorCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
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
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Debian's libzmq (4.3.x) as a Clang module, found through pkg-config.
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // Sockets, polling and CURVE keys over libzmq; no other dependencies.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        // The durable, hash-chained block store (an append-only log, indexed in SQLite), client events and
        // the consensus state log.
        .target(
            name: "Ledger",
            dependencies: [
                "Consensus",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Signed chains for tests and the crash writer.
        .target(
            name: "LedgerTesting",
            dependencies: ["Ledger", "Consensus", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Appends blocks until killed, printing each height acknowledged; the crash-safety test kills it.
        .executableTarget(
            name: "LedgerCrashWriter",
            dependencies: ["Ledger", "LedgerTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: [
                "Ledger", "LedgerTesting", "Consensus", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // subchain-node: configuration, transport, timers, store and HTTP API around the replica.
        .target(
            name: "SubChainNode",
            dependencies: [
                "Consensus",
                "Ledger",
                "ZeroMQ",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .testTarget(
            name: "SubChainNodeTests",
            dependencies: [
                "SubChainNode", "Consensus", "Ledger", "LedgerTesting", "ZeroMQ", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // subchain-node: argument parsing and one ServiceGroup around the SubChainNode library.
        .executableTarget(
            name: "SubChainNodeCommand",
            dependencies: [
                "SubChainNode", "Ledger", "Consensus", "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Runs real subchain-node processes on 127.0.0.1 and kills and restarts them.
        .testTarget(
            name: "SubChainNodeProcessTests",
            dependencies: [
                "ZeroMQ",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The benchmarks' lean kept-alive HTTP/1.1 client: a bare channel and swift-nio's codec, loopback only.
        .target(
            name: "BenchmarkHTTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // node-benchmark: load on a local subchain-node network through its HTTP API.
        .executableTarget(
            name: "NodeBenchmark",
            dependencies: [
                "BenchmarkHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // Kubernetes object models, request building and watch-event decoding; no I/O.
        .target(name: "KubeCore"),
        .testTarget(
            name: "KubeCoreTests",
            dependencies: ["KubeCore"]
        ),
        // kubeconfig and in-cluster configuration, TLS, authentication, verbs, watch streams, rate limits
        // and retries, over AsyncHTTPClient.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The server certificate's names are read with swift-certificates to check them as client-go does.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KubeClientTests",
            dependencies: [
                "KubeClient",
                "KubeCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // The scripted server speaks HTTP/2 too, with a stream limit, as a kube-apiserver does.
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ConsensusTests",
            dependencies: ["Consensus", "ConsensusSimulation"]
        ),
        // A Kubernetes API server on loopback (storage, verbs, watches, discovery) for tests and for trying
        // the operator without a cluster. KubeCore for the object model; no KubeClient.
        .target(
            name: "KubeSandbox",
            dependencies: [
                "KubeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                // Apply bodies are YAML.
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "KubeSandboxCommand",
            dependencies: [
                "KubeSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // kube-sandbox-benchmark: writes, reads, lists and a watch from concurrent clients against an in-process
        // sandbox on 127.0.0.1, and the memory it holds afterwards.
        .executableTarget(
            name: "KubeSandboxBenchmark",
            dependencies: [
                "KubeSandbox",
                "BenchmarkHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the integration suites share: TestCluster (a fresh sandbox, or the real cluster that
        // SUBCHAIN_E2E_KUBECONFIG names, with a namespace per test) and polling helpers.
        .target(
            name: "KubeTestSupport",
            dependencies: ["KubeSandbox", "KubeClient", "KubeCore"]
        ),
        // The sandbox's own suite, through KubeClient; against a real cluster when SUBCHAIN_E2E_KUBECONFIG is set.
        .testTarget(
            name: "KubeSandboxTests",
            dependencies: ["KubeSandbox", "KubeClient", "KubeCore", "KubeTestSupport"]
        ),
        // The controller runtime over KubeClient: watcher, informer cache, work queue, controller, leader
        // election, events. Its state machines are pure; thin async shells perform their actions.
        .target(
            name: "KubeRuntime",
            dependencies: [
                "KubeCore",
                "KubeClient",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // kube-runtime-benchmark: informer sync, event rate and memory over 20,000 ConfigMaps in a kube-sandbox process,
        // work queue throughput.
        .executableTarget(
            name: "KubeRuntimeBenchmark",
            dependencies: [
                "KubeRuntime",
                "KubeClient",
                "KubeCore",
                "BenchmarkHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Pure state-machine tests, and integration tests against KubeSandbox (with its fault injection).
        .testTarget(
            name: "KubeRuntimeTests",
            dependencies: [
                "KubeRuntime", "KubeSandbox", "KubeClient", "KubeCore", "KubeTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Checks the README and docs/: every relative link names a file of the repository.
        .testTarget(name: "DocumentationTests"),
        // The operator: SubChain types and CRD, the desired state of a sub-chain's children (pure), the
        // reconciler and the operator service over KubeRuntime.
        .target(
            name: "SubChainOperator",
            dependencies: [
                "KubeCore", "KubeClient", "KubeRuntime", "Consensus", "SubChainNode", "ZeroMQ",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // subchain-operator: argument parsing around the SubChainOperator library.
        .executableTarget(
            name: "SubChainOperatorCommand",
            dependencies: [
                "SubChainOperator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The CRD against its committed copy and a sandbox; desired state without I/O.
        .testTarget(
            name: "SubChainOperatorTests",
            dependencies: ["SubChainOperator", "KubeSandbox", "KubeClient", "KubeCore", "KubeTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
