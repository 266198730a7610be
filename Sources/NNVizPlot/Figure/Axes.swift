/// One plotting area of a ``Figure``: its series, scales, limits, ticks, labels and legend.
///
/// `Axes` is a value; you change it through its figure:
/// ```swift
/// var fig = Figure(width: 8, height: 6, dpi: 150)
/// fig.axes.plot(losses, label: "naive update")
/// fig.axes.plot(lossesSGD, label: "SGD with Nesterov and momentum")
/// fig.axes.legend(.upperRight)
/// fig.axes.xlabel("epochs")
/// fig.axes.ylabel("loss (log scale)")
/// fig.axes.yscale = .log
/// try fig.save(to: "loss_transition.png")
/// ```
public struct Axes {
    /// Which coordinate system a text annotation's position is in.
    public enum TextCoordinates: Hashable, Sendable {
        /// Data values on the axes' scales.
        case data
        /// Fractions of the axes box: (0, 0) lower left, (1, 1) upper right.
        case axes
    }

    /// Explicit tick positions, optionally labelled (matplotlib's `set_xticks(ticks, labels)`).
    public struct TickOverride: Hashable, Sendable {
        public var positions: [Double]
        public var labels: [String]?
    }

    /// Which axes draw grid lines.
    public struct GridLines: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let x = GridLines(rawValue: 1)
        public static let y = GridLines(rawValue: 2)
        public static let both: GridLines = [.x, .y]
    }

    var elements: [PlotElement] = []
    var lineColorIndex = 0
    var patchColorIndex = 0

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xscale: Scale = .linear
    public var yscale: Scale = .linear
    /// Fixed lower and upper x limits; a nil bound is autoscaled.
    public var xLimits: (lower: Double?, upper: Double?) = (nil, nil)
    /// Fixed lower and upper y limits; a nil bound is autoscaled.
    public var yLimits: (lower: Double?, upper: Double?) = (nil, nil)
    /// Padding added to the data range on each side of autoscaled axes, as a fraction of the range.
    public var margins: (x: Double, y: Double) = (0.05, 0.05)
    public var gridLines: GridLines = []
    /// The legend's place; nil draws no legend.
    public var legendLocation: LegendLocation?
    public var xTicks: TickOverride?
    public var yTicks: TickOverride?
    /// Rotation of the x tick labels in degrees, counter-clockwise (90 for long category names).
    public var xTickRotation: Double = 0
    /// The colour bar of the last heatmap, set by ``colorbar(label:)``; nil draws none.
    public var colorBar: ColorBar?

    public init() {}

    /// Whether anything has been added.
    public var isEmpty: Bool { elements.isEmpty }

    mutating func nextLineColor() -> Color {
        defer { lineColorIndex += 1 }
        return Color.tab(lineColorIndex)
    }

    mutating func nextPatchColor() -> Color {
        defer { patchColorIndex += 1 }
        return Color.tab(patchColorIndex)
    }
}
