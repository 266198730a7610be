/// When ``DotGraph/prepared(for:)`` folds repeated steps (see ``DotGraph/collapsingRepeats(minimumRepeats:)``).
public enum CollapseMode: String, CaseIterable, Hashable, Sendable {
    /// Fold when the graph has more nodes than ``RenderOptions/autoCollapseNodeCount``.
    case auto
    /// Never fold.
    case none
    /// Always fold.
    case always
}

/// Which way a graph's edges run: Graphviz's `rankdir`.
public enum RankDirection: String, CaseIterable, Hashable, Sendable {
    /// Top to bottom, as torchviz draws.
    case topToBottom = "TB"
    /// Left to right.
    case leftToRight = "LR"
}

/// How ``DotGraph/render(format:options:)`` prepares and draws a graph.
///
/// The defaults keep small graphs as torchviz draws them (apart from a straight main chain) and
/// make big ones readable and quick: shared leaves copied per use, repeated steps folded above
/// ``autoCollapseNodeCount`` nodes, bitmaps within ``pixelBudget``.
///
/// ```swift
/// var options = RenderOptions()
/// options.dpi = 150
/// options.rankDirection = .leftToRight
/// options.collapse = .none
/// options.legend = true
/// try graph.render(to: "model.png", options: options)
/// ```
public struct RenderOptions: Hashable, Sendable {
    /// Resolution of bitmaps, in dots per inch (Graphviz's own default is 96).
    public var dpi: Double
    /// Largest bitmap, width × height in pixels; the drawing shrinks to fit.
    public var pixelBudget: Int
    /// Which way edges run (torchviz: top to bottom).
    public var rankDirection: RankDirection
    /// When to fold repeated steps.
    public var collapse: CollapseMode
    /// Node count above which ``CollapseMode/auto`` folds repeats.
    public var autoCollapseNodeCount: Int
    /// Fewest identical steps folded (the first and last stay drawn).
    public var minimumRepeats: Int
    /// Copy shared leaves per use (see ``DotGraph/splittingSharedLeaves()``).
    public var splitSharedLeaves: Bool
    /// Box nodes by module path (see ``DotGraph/clusteredByModule()``). Off by default: boxes
    /// whose ranks overlap are set side by side, which bends the main chain of deep or unrolled graphs.
    public var clusterModules: Bool
    /// Draw the main chain straight (see ``DotGraph/straighteningMainChain()``).
    public var straightenMainChain: Bool
    /// Draw anomalies red (see ``DotGraph/highlightingAnomalies()``).
    public var highlightAnomalies: Bool
    /// Tint nodes by gradient norm (see ``DotGraph/tintingByGradient()``).
    public var gradientTint: Bool
    /// Add a legend (see ``DotGraph/withLegend()``).
    public var legend: Bool

    /// Options with every setting given or left at its default.
    public init(dpi: Double = 96, pixelBudget: Int = Graphviz.defaultPixelBudget,
                rankDirection: RankDirection = .topToBottom, collapse: CollapseMode = .auto,
                autoCollapseNodeCount: Int = 100, minimumRepeats: Int = 4, splitSharedLeaves: Bool = true,
                clusterModules: Bool = false, straightenMainChain: Bool = true, highlightAnomalies: Bool = true,
                gradientTint: Bool = true, legend: Bool = false)
    {
        self.dpi = dpi
        self.pixelBudget = pixelBudget
        self.rankDirection = rankDirection
        self.collapse = collapse
        self.autoCollapseNodeCount = autoCollapseNodeCount
        self.minimumRepeats = minimumRepeats
        self.splitSharedLeaves = splitSharedLeaves
        self.clusterModules = clusterModules
        self.straightenMainChain = straightenMainChain
        self.highlightAnomalies = highlightAnomalies
        self.gradientTint = gradientTint
        self.legend = legend
    }
}
