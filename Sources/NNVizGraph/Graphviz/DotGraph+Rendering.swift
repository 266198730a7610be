import Foundation
import NNVizSupport

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

    /// Speeds up and bounds Graphviz's work on big graphs, leaving small ones at Graphviz's defaults.
    ///
    /// Measured with libgvc 2.43 (CPU seconds for layout) on the torchviz graph of an RNN cell
    /// unrolled T steps, not folded, shared leaves split and the main chain straightened:
    /// - T = 100 (1,408 nodes): 0.3 s with the defaults.
    /// - T = 300 (4,208 nodes): 3.1 s with the defaults (x-coordinate network simplex 1.6 s for 906
    ///   iterations); `newrank=true` 1.6 s with the identical layout.
    /// - T = 1000 (14,008 nodes): 82 s with the defaults (ranking 14 s in network simplex plus about
    ///   20 s elsewhere in the old ranking pass; x coordinates 47 s for 3,006 iterations);
    ///   `newrank=true` 54 s with the identical layout.
    /// - `nslimit=0.02` stopped the x-coordinate pass at 280 iterations (23 s at T = 1000) but left
    ///   the main chain crooked and the drawing four times wider: rejected. These graphs need about
    ///   0.11 × nodes iterations, so `nslimit=nslimit1=1` (at most one iteration per node) only
    ///   stops pathological inputs.
    /// - `mincross` took at most 0.07 s (the split graphs have no crossings left) and `searchsize=10`
    ///   changed nothing measurable, so `mclimit`, `searchsize` and `remincross` keep their defaults.
    /// On graphs without clusters `newrank` gives the same layout (checked on the torchviz reference
    /// and the 100-step graph); with clusters it ranks across them, which suits big graphs.
    mutating func applyWorkLimits() {
        guard nodes.count > DotGraph.largeGraphNodeCount else { return }
        let limits: DotAttributes = ["newrank": "true", "nslimit": 1, "nslimit1": 1]
        for entry in limits where graphAttributes[entry.key] == nil {
            graphAttributes[entry.key] = entry.value
        }
    }

    /// Above this many nodes Graphviz gets the settings of ``applyWorkLimits()``.
    static let largeGraphNodeCount = 1_000

    // MARK: - Rendering

    /// The prepared graph (see ``prepared(for:)``) drawn by Graphviz in process.
    ///
    /// Bitmaps are drawn at ``RenderOptions/dpi`` and shrunk so that width × height stays within
    /// ``RenderOptions/pixelBudget`` and no side passes 32,000 pixels. `.dot` gives the prepared
    /// graph's DOT text, `.html` the interactive page of ``page(options:title:)``, `.json` the prepared
    /// graph's ``pageData``.
    ///
    /// ```swift
    /// let png = try graph.render(format: .png)
    /// let svg = try graph.render(format: .svg, options: RenderOptions(legend: true))
    /// ```
    /// - Throws: ``GraphvizError`` with Graphviz's message when it cannot lay out or draw.
    public func render(format: GraphFormat, options: RenderOptions = RenderOptions()) throws -> [UInt8] {
        if format == .html { return Array(try page(options: options).html.utf8) }
        if format == .json { return Array(prepared(for: options).pageData.utf8) }
        let dot = prepared(for: options).dotSource
        return try Graphviz.render(dot: dot, format: format, dpi: options.dpi, pixelBudget: options.pixelBudget)
    }

    /// Renders to a file, the format taken from its extension (`.png`, `.svg`, `.pdf`, `.dot`, `.html`,
    /// `.json`, `.jpg`, …).
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
        try Self.checkDirectory(of: path)
        let bytes = try render(format: format, options: options)
        try Self.writeWhole(bytes, to: url.path)
    }
}

extension DotGraph {
    /// Writes ``dotSource`` — the graph exactly as built, not prepared for drawing — to `path`, through a
    /// temporary file and a rename, so `path` never holds a partial file.
    ///
    /// ```swift
    /// try makeDot(loss, params: model.namedParameters()).writeSource(to: "output/model.dot")
    /// ```
    /// - Throws: ``GraphvizError/writeFailed(path:reason:)``.
    public func writeSource(to path: String) throws {
        try Self.writeWhole(Array(dotSource.utf8), to: path)
    }

    /// Throws ``GraphvizError/missingDirectory(path:directory:)`` unless the directory `path` goes into exists
    /// (checked before a render, so a slow layout is not wasted on an output that cannot be written).
    static func checkDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GraphvizError.missingDirectory(path: path, directory: directory)
        }
    }

    /// ``AtomicFile/write(_:to:)`` with its error reported as ``GraphvizError/writeFailed(path:reason:)``.
    static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch let error as AtomicFileError {
            throw GraphvizError.writeFailed(path: path, reason: error.reason)
        }
    }
}
