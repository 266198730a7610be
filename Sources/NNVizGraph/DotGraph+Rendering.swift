import Foundation

extension DotGraph {
    // MARK: - Preparing

    /// The graph as ``render(format:options:)`` draws it: repeats folded (per ``RenderOptions/collapse``),
    /// shared leaves copied per use, anomalies and gradients marked, modules boxed, the main chain
    /// straightened, a legend when asked, the rank direction set, and Graphviz's work limits set for
    /// big graphs.
    ///
    /// ```swift
    /// print(graph.prepared(for: RenderOptions(collapse: .always)).dotSource)
    /// ```
    public func prepared(for options: RenderOptions = RenderOptions()) -> DotGraph {
        var graph = self
        switch options.collapse {
        case .always: graph = graph.collapsingRepeats(minimumRepeats: options.minimumRepeats)
        case .auto where nodes.count > options.autoCollapseNodeCount:
            graph = graph.collapsingRepeats(minimumRepeats: options.minimumRepeats)
        case .auto, .none: break
        }
        if options.splitSharedLeaves { graph = graph.splittingSharedLeaves() }
        if options.highlightAnomalies { graph = graph.highlightingAnomalies() }
        if options.gradientTint { graph = graph.tintingByGradient() }
        if options.clusterModules { graph = graph.clusteredByModule() }
        if options.straightenMainChain { graph = graph.straighteningMainChain() }
        if options.legend { graph = graph.withLegend() }
        if options.rankDirection != .topToBottom {
            graph.graphAttributes["rankdir"] = .text(options.rankDirection.rawValue)
        }
        if graph.edges.contains(where: { $0.displayedLabel != nil }) {
            if graph.edgeDefaults["fontname"] == nil { graph.edgeDefaults["fontname"] = "monospace" }
            if graph.edgeDefaults["fontsize"] == nil { graph.edgeDefaults["fontsize"] = 10 }
        }
        graph.applyWorkLimits()
        return graph
    }

    /// Bounds Graphviz's work on big graphs, leaving small ones at Graphviz's defaults.
    ///
    /// Measured with libgvc 2.43 on the synthetic torchviz graph of an RNN cell unrolled T steps,
    /// shared leaves split and the main chain straightened (CPU seconds for layout):
    /// - T = 100 (1,408 nodes): 0.3 s with the defaults; nothing to gain.
    /// - T = 300 (4,208 nodes): 5.8 s with the defaults, of which 3.4 s in the x-coordinate network
    ///   simplex (906 iterations) and 0.9 s in ranking; `nslimit=nslimit1=0.02` (84 iterations)
    ///   gives 3.9 s with the same drawing size.
    /// - T = 1000 (14,008 nodes): see ``largeGraphNodeCount``.
    /// `mclimit` and `searchsize` changed nothing measurable here (the split graph is a tree with no
    /// crossings to remove) and `remincross` only adds a pass, so they keep their defaults.
    mutating func applyWorkLimits() {
        guard nodes.count > DotGraph.largeGraphNodeCount else { return }
        for key in ["nslimit", "nslimit1"] where graphAttributes[key] == nil {
            graphAttributes[key] = 0.02
        }
    }

    /// Above this many nodes Graphviz's network-simplex passes are capped (see ``applyWorkLimits()``).
    static let largeGraphNodeCount = 2_000

    // MARK: - Rendering

    /// The prepared graph (see ``prepared(for:)``) drawn by Graphviz in process.
    ///
    /// Bitmaps are drawn at ``RenderOptions/dpi`` and shrunk so that width × height stays within
    /// ``RenderOptions/pixelBudget`` and no side passes 32,000 pixels. `.dot` gives the prepared
    /// graph's DOT text.
    ///
    /// ```swift
    /// let png = try graph.render(format: .png)
    /// let svg = try graph.render(format: .svg, options: RenderOptions(legend: true))
    /// ```
    /// - Throws: ``GraphvizError`` with Graphviz's message when it cannot lay out or draw.
    public func render(format: GraphFormat, options: RenderOptions = RenderOptions()) throws -> [UInt8] {
        precondition(options.dpi > 0 && options.dpi.isFinite, "dpi must be a positive number, got \(options.dpi)")
        precondition(options.pixelBudget > 0, "the pixel budget must be positive, got \(options.pixelBudget)")
        let dot = prepared(for: options).dotSource
        return try Graphviz.render(dot: dot, format: format, dpi: options.dpi, pixelBudget: options.pixelBudget)
    }

    /// Renders to a file, the format taken from its extension (`.png`, `.svg`, `.pdf`, `.dot`, `.jpg`, …).
    ///
    /// The bytes go to a temporary file in the same directory, which is then renamed over `path`,
    /// so `path` never holds a partial drawing.
    ///
    /// ```swift
    /// try graph.render(to: "runs/model.svg")
    /// ```
    /// - Throws: ``GraphvizError/unknownExtension(path:)``, ``GraphvizError/missingDirectory(path:directory:)``,
    ///   ``GraphvizError/writeFailed(path:reason:)``, or what ``render(format:options:)`` throws.
    public func render(to path: String, options: RenderOptions = RenderOptions()) throws {
        let url = URL(fileURLWithPath: path)
        guard let format = GraphFormat(pathExtension: url.pathExtension) else {
            throw GraphvizError.unknownExtension(path: path)
        }
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GraphvizError.missingDirectory(path: path, directory: directory)
        }
        let bytes = try render(format: format, options: options)
        try AtomicFile.write(bytes, to: url.path)
    }
}
