// swift-tools-version:6.0
import PackageDescription

/// nnviz: an autograd core with PyTorch's numbers and names, torchviz-style graphs drawn
/// through Graphviz in process, and matplotlib-style charts drawn with Cairo.
let package = Package(
    name: "nnviz",
    products: [
        .library(name: "NNViz", targets: ["NNViz"]),
        .executable(name: "nnviz", targets: ["nnviz"]),
        .executable(name: "nnviz-bench", targets: ["nnviz-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGraphviz", path: "Sources/CGraphviz", pkgConfig: "libgvc",
                       providers: [.apt(["libgraphviz-dev"])]),
        // glibc's mallopt, for the opt-in heap setting of training executables (no library to link).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        // NNVizCore's vector kernels wider than Swift's x86-64 baseline, picked at run time.
        .target(name: "CKernels"),

        // What several targets share: whole-file writes, "did you mean" suggestions, intra-op threads.
        .target(name: "NNVizSupport"),

        // Tensor, autograd and PyTorch's random generator. No C library but BLAS.
        .target(name: "NNVizCore", dependencies: [
            "CBLAS", "CMalloc", "CKernels", "NNVizSupport", .product(name: "RealModule", package: "swift-numerics"),
        ], swiftSettings: [
            // Tensors and graph nodes are classes touched on every op; dynamic exclusivity checks cost
            // about 11 % of a scalar op (measured with callgrind), so release builds skip them.
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        // Modules, losses, optimizers, data loading.
        .target(name: "NNVizNN", dependencies: ["NNVizCore", "NNVizSupport"]),
        // makeDot, the DOT graph model and the Graphviz renderer.
        .target(name: "NNVizGraph", dependencies: ["NNVizCore", "NNVizSupport", "CGraphviz"]),
        // Charts: model, layout, canvas, Cairo.
        .target(name: "NNVizPlot", dependencies: ["NNVizSupport", "CCairo"]),
        // The umbrella a training script imports.
        .target(name: "NNViz", dependencies: ["NNVizCore", "NNVizNN", "NNVizGraph", "NNVizPlot"]),
        // The command's logic (model files, CSV logs, subcommands), kept apart from `main` for tests.
        .target(name: "NNVizCLI", dependencies: [
            "NNViz", "NNVizSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "nnviz", dependencies: ["NNVizCLI", "NNViz"]),
        .executableTarget(name: "nnviz-bench", dependencies: ["NNViz", "NNVizCLI"]),

        // The tutorials as training scripts (`swift run sine-rnn`).
        .executableTarget(name: "sine-rnn", dependencies: ["NNViz"], path: "samples/sine-rnn"),
        .executableTarget(name: "neural-network-flow", dependencies: ["NNViz"], path: "samples/neural-network-flow"),
        .executableTarget(name: "single-neuron", dependencies: ["NNViz"], path: "samples/single-neuron"),
        .executableTarget(name: "tensor-basics", dependencies: ["NNViz"], path: "samples/tensor-basics"),
        .executableTarget(name: "manual-vs-autograd", dependencies: ["NNViz"], path: "samples/manual-vs-autograd"),

        .testTarget(name: "NNVizCoreTests", dependencies: ["NNVizCore", "NNVizSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNVizNNTests", dependencies: ["NNVizNN"], resources: [.copy("Fixtures")]),
        // The graph tests build their networks with NNVizNN; model files' pages are NNVizCLITests'.
        .testTarget(name: "NNVizGraphTests", dependencies: ["NNVizGraph", "NNVizNN"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNVizPlotTests", dependencies: ["NNVizPlot", "NNVizSupport"]),
        .testTarget(name: "NNVizSupportTests", dependencies: ["NNVizSupport"]),
        .testTarget(name: "NNVizTests", dependencies: ["NNViz"]),
        .testTarget(name: "NNVizCLITests", dependencies: ["NNVizCLI"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
