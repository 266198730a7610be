// MARK: - Heatmaps and colour bars

extension Axes {
    /// Adds `values` (rows of equal length) as a grid of coloured cells, matplotlib's
    /// `imshow(values, cmap=…, norm=…, aspect='auto', extent=…)`: row 0 at the top, row `r` at y = `r`, column
    /// `c` centred on `x[c]` (default `c`) and reaching halfway to its neighbours. The view limits become the
    /// grid's edges and the y axis runs downwards, as imshow's do.
    ///
    /// On a log colour scale (`LogNorm`) values ≤ 0 are masked; NaN and ±∞ always are. Masked cells are drawn
    /// in the colormap's "bad" colour, transparent by default, so the axes background shows.
    ///
    /// ```swift
    /// ax.imshow(gradNorms, x: steps, colorScale: .log)       // parameters × steps
    /// ax.yticks(Array(0..<names.count).map(Double.init), labels: names)
    /// ax.colorbar(label: "‖grad‖")
    /// ```
    /// - Parameters:
    ///   - vmin, vmax: The values coloured by the colormap's ends; default the data's range (positive values
    ///     only on a log scale).
    public mutating func imshow(_ values: [[Double]], x: [Double]? = nil, colorScale: Scale = .linear,
                                colormap: Colormap = .viridis, vmin: Double? = nil, vmax: Double? = nil) {
        let rows = values.count
        precondition(rows > 0 && !values[0].isEmpty, "imshow: the grid is empty")
        let columns = values[0].count
        for (index, row) in values.enumerated() {
            precondition(row.count == columns, "imshow: row \(index) has \(row.count) values but row 0 has \(columns)")
        }
        let centres = x ?? (0..<columns).map(Double.init)
        precondition(centres.count == columns, "imshow: x has \(centres.count) values for \(columns) columns")
        precondition(centres.allSatisfy(\.isFinite) && zip(centres, centres.dropFirst()).allSatisfy { $0 < $1 },
                     "imshow: x must be finite and increasing")
        let flat = values.flatMap { $0 }
        let norm = ColorNorm(scale: colorScale, values: flat, vmin: vmin, vmax: vmax)
        let edges = Self.edges(around: centres)
        elements.append(.heatmap(HeatmapSeries(values: flat, rows: rows, columns: columns, xEdges: edges,
                                               norm: norm, colormap: colormap)))
        xLimits = (edges.first, edges.last)
        yLimits = (Double(rows) - 0.5, -0.5)
    }

    /// Adds a colour bar for the last heatmap beside the axes, matplotlib's `fig.colorbar(im, ax=ax)`: the
    /// bar takes the right 15 % of the axes' place after a 5 % gap, as tall as the axes and 1/20 as wide,
    /// with the norm's ticks (decades and their minor ticks on a log scale) and `label` on its right.
    ///
    /// ```swift
    /// ax.colorbar(label: "gradient norm")
    /// ```
    public mutating func colorbar(label: String? = nil) {
        precondition(elements.contains { if case .heatmap = $0 { true } else { false } },
                     "colorbar: the axes has no heatmap (call imshow first)")
        colorBar = ColorBar(label: label)
    }

    /// Cell edges around increasing centres: midpoints between neighbours, and half a step beyond the ends
    /// (±0.5 for a single column).
    static func edges(around centres: [Double]) -> [Double] {
        guard centres.count > 1 else { return [centres[0] - 0.5, centres[0] + 0.5] }
        var edges = [centres[0] - (centres[1] - centres[0]) / 2]
        for (a, b) in zip(centres, centres.dropFirst()) { edges.append((a + b) / 2) }
        edges.append(centres[centres.count - 1] + (centres[centres.count - 1] - centres[centres.count - 2]) / 2)
        return edges
    }

    /// The norm and colormap of the last heatmap, which a colour bar shows.
    var lastHeatmap: HeatmapSeries? {
        for element in elements.reversed() { if case .heatmap(let h) = element { return h } }
        return nil
    }
}

/// A colour bar's settings (matplotlib's `colorbar` defaults: fraction 0.15, pad 0.05, aspect 20).
public struct ColorBar: Hashable, Sendable {
    public var label: String?
    /// The share of the axes' width the bar's place takes, and the gap before it.
    static let fraction = 0.15
    static let pad = 0.05
    /// Height over width.
    static let aspect = 20.0
}
