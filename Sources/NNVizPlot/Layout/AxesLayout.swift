import Foundation

/// An ``Axes`` laid out in a frame: limits, ticks, and every piece of text placed. Pure: it needs only a
/// ``TextMeasuring`` to size text, so it is computed and tested without Cairo.
struct AxesLayout {
    /// The axes' box, where data is drawn.
    let frame: Rect
    /// The place the figure gave the axes: the frame, and the colour bar's slot when it has one.
    let outerFrame: Rect
    /// The colour bar beside the frame, if the axes has one.
    var colorBar: ColorBarLayout?
    let x: AxisLayout
    let y: AxisLayout
    var xTickLabels: [PlacedText] = []
    var yTickLabels: [PlacedText] = []
    var xOffsetText: PlacedText?
    var yOffsetText: PlacedText?
    var xLabel: PlacedText?
    var yLabel: PlacedText?
    var title: PlacedText?
    /// Shown in the middle of an axes whose series hold no finite data.
    var note: PlacedText?
    var warnings: [String] = []

    init(axes: Axes, frame outer: Rect, measurer: TextMeasuring) {
        outerFrame = outer
        var frame = outer
        var barFrame: Rect?
        if axes.colorBar != nil, axes.lastHeatmap != nil {
            // matplotlib's make_axes: the axes keeps the left 80 %, the bar's slot is the right 15 %, and the bar
            // (20 times as tall as wide) sits at the slot's left, centred vertically.
            frame.width = outer.width * (1 - ColorBar.fraction - ColorBar.pad)
            let slotWidth = outer.width * ColorBar.fraction
            let width = min(outer.height / ColorBar.aspect, slotWidth)
            let height = width * ColorBar.aspect
            barFrame = Rect(x: outer.maxX - slotWidth, y: outer.midY - height / 2, width: width, height: height)
        }
        self.frame = frame
        let (extents, dataWarnings) = axes.scanData()
        let (x0, x1) = extents.x.limits(scale: axes.xscale, margin: axes.margins.x, fixed: axes.xLimits)
        let (y0, y1) = extents.y.limits(scale: axes.yscale, margin: axes.margins.y, fixed: axes.yLimits)
        var x = AxisLayout(scale: axes.xscale, lower: x0, upper: x1, start: frame.minX, end: frame.maxX)
        var y = AxisLayout(scale: axes.yscale, lower: y0, upper: y1, start: frame.maxY, end: frame.minY)
        x.locateTicks(override: axes.xTicks,
                      bins: TickLocator.binCount(axisLength: frame.width, fontSize: Theme.fontSize, vertical: false))
        y.locateTicks(override: axes.yTicks,
                      bins: TickLocator.binCount(axisLength: frame.height, fontSize: Theme.fontSize, vertical: true))
        self.x = x
        self.y = y
        warnings = dataWarnings
        for (bound, name, scale) in [(axes.xLimits.lower, "x", axes.xscale), (axes.xLimits.upper, "x", axes.xscale),
                                     (axes.yLimits.lower, "y", axes.yscale), (axes.yLimits.upper, "y", axes.yscale)] {
            if let bound, !(bound.isFinite && scale.accepts(bound)) {
                warnings.append("\(name) limit \(bound) cannot be used on this axis; autoscaled instead")
            }
        }
        placeText(axes: axes, hasData: !extents.x.isEmpty || !extents.y.isEmpty, measurer: measurer)
        if let barFrame, let heatmap = axes.lastHeatmap, let bar = axes.colorBar {
            colorBar = ColorBarLayout(frame: barFrame, norm: heatmap.norm, colormap: heatmap.colormap,
                                      label: bar.label, measurer: measurer)
        }
    }

    /// The frame and every piece of text around it (matplotlib's tight bounding box).
    var tightBounds: Rect {
        var texts = xTickLabels + yTickLabels + [xOffsetText, yOffsetText, xLabel, yLabel, title].compactMap { $0 }
        var bounds = frame
        if let colorBar {
            texts += colorBar.tickLabels + [colorBar.label].compactMap { $0 }
            bounds = bounds.union(colorBar.frame)
        }
        return texts.reduce(bounds) { $0.union($1.bounds) }
    }

    /// The canvas point of a data point (NaN coordinates when a scale cannot show it).
    func point(_ dx: Double, _ dy: Double) -> Point { Point(x: x.position(dx), y: y.position(dy)) }

    private mutating func placeText(axes: Axes, hasData: Bool, measurer: TextMeasuring) {
        let font = Font(size: Theme.fontSize)
        let majorGap = Theme.majorTickLength + Theme.majorTickPad
        let minorGap = Theme.minorTickLength + Theme.minorTickPad

        // Tick labels.
        for (ticks, labels, gap) in [(x.majorTicks, x.majorLabels, majorGap), (x.minorTicks, x.minorLabels, minorGap)] {
            for (t, label) in zip(ticks, labels) {
                guard let label, !label.isEmpty else { continue }
                xTickLabels.append(TextLayout.place(label, font: font, at: Point(x: x.position(t), y: frame.maxY + gap),
                                                    horizontal: .center, vertical: .top, angle: axes.xTickRotation,
                                                    measurer: measurer))
            }
        }
        for (ticks, labels, gap) in [(y.majorTicks, y.majorLabels, majorGap), (y.minorTicks, y.minorLabels, minorGap)] {
            for (t, label) in zip(ticks, labels) {
                guard let label, !label.isEmpty else { continue }
                yTickLabels.append(TextLayout.place(label, font: font, at: Point(x: frame.minX - gap, y: y.position(t)),
                                                    horizontal: .right, vertical: .centerBaseline, measurer: measurer))
            }
        }
        let xLabelsBottom = xTickLabels.map(\.bounds.maxY).max().map { max($0, frame.maxY) } ?? frame.maxY
        let yLabelsLeft = yTickLabels.map(\.bounds.minX).min().map { min($0, frame.minX) } ?? frame.minX

        // Offset texts (ScalarFormatter's `1e6`, `+1e3`).
        if !x.offsetText.isEmpty {
            xOffsetText = TextLayout.place(StyledText(x.offsetText), font: font,
                                           at: Point(x: frame.maxX, y: xLabelsBottom + Theme.offsetTextPad),
                                           horizontal: .right, vertical: .top, measurer: measurer)
        }
        if !y.offsetText.isEmpty {
            yOffsetText = TextLayout.place(StyledText(y.offsetText), font: font,
                                           at: Point(x: frame.minX, y: frame.minY - Theme.offsetTextPad),
                                           horizontal: .left, vertical: .baseline, measurer: measurer)
        }

        // Axis labels and title.
        if let text = axes.xLabel, !text.isEmpty {
            xLabel = TextLayout.place(StyledText(text), font: font,
                                      at: Point(x: frame.midX, y: xLabelsBottom + Theme.labelPad),
                                      horizontal: .center, vertical: .top, measurer: measurer)
        }
        if let text = axes.yLabel, !text.isEmpty {
            yLabel = TextLayout.place(StyledText(text), font: font,
                                      at: Point(x: yLabelsLeft - Theme.labelPad, y: frame.midY),
                                      horizontal: .center, vertical: .bottom, angle: 90, mode: .anchor,
                                      measurer: measurer)
        }
        if let text = axes.title, !text.isEmpty {
            let titleFont = Font(size: Theme.titleSize)
            var placed = TextLayout.place(StyledText(text), font: titleFont,
                                          at: Point(x: frame.midX, y: frame.minY - Theme.titlePad),
                                          horizontal: .center, vertical: .baseline, measurer: measurer)
            if let offset = yOffsetText, offset.bounds.intersects(placed.bounds) {
                placed = TextLayout.place(StyledText(text), font: titleFont,
                                          at: Point(x: frame.midX, y: offset.bounds.minY - Theme.titlePad),
                                          horizontal: .center, vertical: .baseline, measurer: measurer)
            }
            title = placed
        }
        if !axes.elements.isEmpty && !hasData {
            note = TextLayout.place(StyledText("no finite data to plot"), font: font, color: Theme.noteColor,
                                    at: Point(x: frame.midX, y: frame.midY), horizontal: .center, vertical: .center,
                                    measurer: measurer)
        }
    }
}
