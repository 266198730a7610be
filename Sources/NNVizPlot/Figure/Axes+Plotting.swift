// MARK: - Series

extension Axes {
    /// Adds a line through `y` against `x` (default 0, 1, 2, …), matplotlib's `plot`.
    ///
    /// Non-finite values break the line (no spikes); ±∞ get a small marker at the axes edge.
    /// Series with more points than the axes is wide are drawn **thinned per pixel column**: of the
    /// consecutive points falling in one device-pixel column only the first, the minimum, the maximum and
    /// the last are kept, which draws the same picture (under 0.3 % of pixels differ for a million noisy
    /// points) hundreds of times faster. Coordinates are clipped in double precision before drawing.
    ///
    /// ```swift
    /// ax.plot(losses, label: "train", smoothing: 0.6)
    /// ax.plot(output, x: 24..<200, label: "prediction")
    /// ```
    /// - Parameters:
    ///   - smoothing: TensorBoard's debiased exponential moving average weight in 0…1; the raw curve is
    ///     drawn faintly underneath.
    public mutating func plot(_ y: any PlotData, x: (any PlotData)? = nil, label: String? = nil,
                              color: Color? = nil, lineStyle: LineStyle = .solid, lineWidth: Double = 1.5,
                              marker: Marker? = nil, markerSize: Double = 6, alpha: Double = 1,
                              smoothing: Double? = nil) {
        let ys = y.plotValues()
        let xs = x?.plotValues()
        if let xs { precondition(xs.count == ys.count, "plot: x has \(xs.count) values but y has \(ys.count)") }
        if let smoothing { precondition((0...1).contains(smoothing), "plot: smoothing \(smoothing) is outside 0…1") }
        elements.append(.line(LineSeries(
            x: xs, y: ys, label: label, color: color ?? nextLineColor(), lineStyle: lineStyle,
            lineWidth: lineWidth, marker: marker, markerSize: markerSize, alpha: alpha, smoothing: smoothing)))
    }

    /// Adds unconnected markers at (`x`, `y`), matplotlib's `scatter`.
    ///
    /// ```swift
    /// ax.scatter(inputs, targets, label: "samples", size: 4)
    /// ```
    /// - Parameter size: marker diameter in points (matplotlib's `s` is its square, default 36).
    public mutating func scatter(_ x: any PlotData, _ y: any PlotData, label: String? = nil, color: Color? = nil,
                                 marker: Marker = .circle, size: Double = 6, alpha: Double = 1) {
        let xs = x.plotValues(), ys = y.plotValues()
        precondition(xs.count == ys.count, "scatter: x has \(xs.count) values but y has \(ys.count)")
        elements.append(.scatter(ScatterSeries(x: xs, y: ys, label: label, color: color ?? nextPatchColor(),
                                               marker: marker, size: size, alpha: alpha)))
    }

    /// Adds vertical bars of `heights` centred on `x` (default 0, 1, 2, …), matplotlib's `bar`.
    ///
    /// ```swift
    /// ax.bar(maxGrads, alpha: 0.1, color: .tab(9), label: "max-gradient")
    /// ```
    public mutating func bar(_ heights: any PlotData, x: (any PlotData)? = nil, width: Double = 0.8,
                             bottom: (any PlotData)? = nil, label: String? = nil, color: Color? = nil,
                             alpha: Double = 1) {
        let hs = heights.plotValues()
        let xs = x?.plotValues() ?? hs.indices.map(Double.init)
        let bs = bottom?.plotValues()
        precondition(xs.count == hs.count, "bar: x has \(xs.count) values but heights has \(hs.count)")
        if let bs { precondition(bs.count == hs.count, "bar: bottom has \(bs.count) values but heights has \(hs.count)") }
        elements.append(.bars(BarSeries(x: xs, heights: hs, bottom: bs, width: width, label: label,
                                        color: color ?? nextPatchColor(), alpha: alpha)))
    }

    /// Adds one bar per category at x = 0, 1, 2, … and labels the x ticks with `categories`.
    ///
    /// ```swift
    /// ax.bar(meanGrads, categories: layerNames, label: "mean-gradient")
    /// ax.xTickRotation = 90
    /// ```
    public mutating func bar(_ heights: any PlotData, categories: [String], width: Double = 0.8,
                             label: String? = nil, color: Color? = nil, alpha: Double = 1) {
        let hs = heights.plotValues()
        precondition(categories.count == hs.count, "bar: \(categories.count) categories for \(hs.count) bars")
        bar(hs, width: width, label: label, color: color, alpha: alpha)
        xTicks = TickOverride(positions: hs.indices.map(Double.init), labels: categories)
    }

    /// Fills the area between `lower` and `upper` over `x`, matplotlib's `fill_between`; non-finite values leave gaps.
    ///
    /// ```swift
    /// ax.fillBetween(steps, minLoss, maxLoss, alpha: 0.2, label: "min…max")
    /// ```
    public mutating func fillBetween(_ x: any PlotData, _ lower: any PlotData, _ upper: any PlotData,
                                     label: String? = nil, color: Color? = nil, alpha: Double = 1) {
        let xs = x.plotValues(), lo = lower.plotValues(), hi = upper.plotValues()
        precondition(xs.count == lo.count && xs.count == hi.count,
                     "fillBetween: x, lower and upper have \(xs.count), \(lo.count) and \(hi.count) values")
        elements.append(.band(BandSeries(x: xs, lower: lo, upper: hi, label: label,
                                         color: color ?? nextPatchColor(), alpha: alpha)))
    }

    /// Adds a horizontal line across the axes at `y`, matplotlib's `axhline` (default colour `C0`).
    public mutating func axhline(_ y: Double, label: String? = nil, color: Color = .tab(0),
                                 lineStyle: LineStyle = .solid, lineWidth: Double = 1.5) {
        elements.append(.reference(ReferenceLine(orientation: .horizontal, value: y, label: label, color: color,
                                                 lineStyle: lineStyle, lineWidth: lineWidth)))
    }

    /// Adds a vertical line across the axes at `x`, matplotlib's `axvline` (default colour `C0`).
    public mutating func axvline(_ x: Double, label: String? = nil, color: Color = .tab(0),
                                 lineStyle: LineStyle = .solid, lineWidth: Double = 1.5) {
        elements.append(.reference(ReferenceLine(orientation: .vertical, value: x, label: label, color: color,
                                                 lineStyle: lineStyle, lineWidth: lineWidth)))
    }

    /// Writes `text` at (`x`, `y`), matplotlib's `text`: by default in data coordinates, left-aligned on the baseline.
    ///
    /// ```swift
    /// ax.text(120, 0.02, "lr drop")
    /// ax.text(0.5, 0.95, "epoch 3", in: .axes, horizontalAlignment: .center, verticalAlignment: .top)
    /// ```
    public mutating func text(_ x: Double, _ y: Double, _ text: String, in coordinates: TextCoordinates = .data,
                              fontSize: Double = 10, color: Color = .black,
                              horizontalAlignment: HorizontalAlignment = .left,
                              verticalAlignment: VerticalAlignment = .baseline) {
        elements.append(.text(TextAnnotation(x: x, y: y, text: text, coordinates: coordinates, fontSize: fontSize,
                                             color: color, horizontalAlignment: horizontalAlignment,
                                             verticalAlignment: verticalAlignment)))
    }
}
