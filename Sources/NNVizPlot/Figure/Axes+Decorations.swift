// MARK: - Titles, limits, ticks, grid and legend

extension Axes {
    /// Sets the title above the axes (12 pt).
    public mutating func title(_ text: String) { title = text }

    /// Sets the x axis label.
    public mutating func xlabel(_ text: String) { xLabel = text }

    /// Sets the y axis label.
    public mutating func ylabel(_ text: String) { yLabel = text }

    /// Fixes the x limits; a nil bound stays autoscaled. `xlim(100, 0)` inverts the axis.
    public mutating func xlim(_ lower: Double? = nil, _ upper: Double? = nil) { xLimits = (lower, upper) }

    /// Fixes the y limits; a nil bound stays autoscaled.
    public mutating func ylim(_ lower: Double? = nil, _ upper: Double? = nil) { yLimits = (lower, upper) }

    /// Places x ticks at `positions`, optionally labelled, optionally rotated.
    ///
    /// ```swift
    /// ax.xticks(Array(0..<layers.count).map(Double.init), labels: layers, rotation: 90)
    /// ```
    public mutating func xticks(_ positions: [Double], labels: [String]? = nil, rotation: Double? = nil) {
        if let labels { precondition(labels.count == positions.count, "xticks: \(labels.count) labels for \(positions.count) ticks") }
        xTicks = TickOverride(positions: positions, labels: labels)
        if let rotation { xTickRotation = rotation }
    }

    /// Places y ticks at `positions`, optionally labelled.
    public mutating func yticks(_ positions: [Double], labels: [String]? = nil) {
        if let labels { precondition(labels.count == positions.count, "yticks: \(labels.count) labels for \(positions.count) ticks") }
        yTicks = TickOverride(positions: positions, labels: labels)
    }

    /// Turns grid lines at the major ticks on or off (matplotlib's `grid`): #b0b0b0, 0.8 pt, under the lines.
    public mutating func grid(_ on: Bool = true, axis: GridLines = .both) {
        if on { gridLines.formUnion(axis) } else { gridLines.subtract(axis) }
    }

    /// Shows a legend of the labelled series at `location` (matplotlib's `legend(loc=…)`).
    public mutating func legend(_ location: LegendLocation = .best) { legendLocation = location }
}
