/// A colour bar laid out beside its axes: the bar, its axis (the norm's scale, ticks on the right) and the
/// text around it. Pure, like ``AxesLayout``.
struct ColorBarLayout {
    let frame: Rect
    let axis: AxisLayout
    /// The colormap's entries from the bottom (the first) to the top, one pixel each.
    let image: RasterImage
    var tickLabels: [PlacedText] = []
    var label: PlacedText?

    init(frame: Rect, norm: ColorNorm, colormap: Colormap, label text: String?, measurer: TextMeasuring) {
        self.frame = frame
        var axis = AxisLayout(scale: norm.scale, lower: norm.vmin, upper: norm.vmax, start: frame.maxY, end: frame.minY)
        axis.locateTicks(override: nil,
                         bins: TickLocator.binCount(axisLength: frame.height, fontSize: Theme.fontSize, vertical: true))
        self.axis = axis
        image = RasterImage(width: 1, height: colormap.colors.count, pixels: colormap.colors.reversed())

        let font = Font(size: Theme.fontSize)
        for (ticks, labels, gap) in [(axis.majorTicks, axis.majorLabels, Theme.majorTickLength + Theme.majorTickPad),
                                     (axis.minorTicks, axis.minorLabels, Theme.minorTickLength + Theme.minorTickPad)] {
            for (t, text) in zip(ticks, labels) {
                guard let text, !text.isEmpty else { continue }
                tickLabels.append(TextLayout.place(text, font: font, at: Point(x: frame.maxX + gap, y: axis.position(t)),
                                                   horizontal: .left, vertical: .centerBaseline, measurer: measurer))
            }
        }
        if let text, !text.isEmpty {
            let right = tickLabels.map(\.bounds.maxX).max().map { max($0, frame.maxX) } ?? frame.maxX
            label = TextLayout.place(StyledText(text), font: font, at: Point(x: right + Theme.labelPad, y: frame.midY),
                                     horizontal: .center, vertical: .top, angle: 90, mode: .anchor, measurer: measurer)
        }
    }
}

extension AxesRenderer {
    /// The bar's colours, its outline, its ticks on the right and their labels.
    func drawColorBar(_ bar: ColorBarLayout) {
        canvas.drawImage(bar.image, in: bar.frame)
        var outline = Path()
        outline.addRect(bar.frame)
        canvas.stroke(outline, style: StrokeStyle(color: .black, width: Theme.spineWidth, cap: .projecting,
                                                  join: .miter, snap: true))
        for (ticks, length, width) in [(bar.axis.majorTicks, Theme.majorTickLength, Theme.majorTickWidth),
                                       (bar.axis.minorTicks, Theme.minorTickLength, Theme.minorTickWidth)] {
            var path = Path()
            for t in ticks {
                let y = bar.axis.position(t)
                path.move(to: Point(x: bar.frame.maxX, y: y))
                path.line(to: Point(x: bar.frame.maxX + length, y: y))
            }
            if !path.isEmpty {
                canvas.stroke(path, style: StrokeStyle(color: .black, width: width, cap: .butt, join: .miter, snap: true))
            }
        }
        for text in bar.tickLabels { AxesRenderer.draw(text, on: canvas) }
        if let label = bar.label { AxesRenderer.draw(label, on: canvas) }
    }

    /// A heatmap's cells: one image over the whole extent when the columns are equally wide, else one image
    /// per column over its own edges.
    func drawHeatmap(_ heatmap: HeatmapSeries) {
        let top = layout.y.position(-0.5), bottom = layout.y.position(Double(heatmap.rows) - 0.5)
        let edges = heatmap.xEdges.map { layout.x.position($0) }
        guard top.isFinite, bottom.isFinite, edges.allSatisfy(\.isFinite) else { return }
        func rect(_ left: Double, _ right: Double) -> Rect {
            Rect(corner: Point(x: left, y: top), corner: Point(x: right, y: bottom))
        }
        let image = heatmap.image
        let width = edges[1] - edges[0]
        if zip(edges, edges.dropFirst()).allSatisfy({ abs(($1 - $0) - width) <= 1e-9 * abs(width) }) {
            canvas.drawImage(image, in: rect(edges[0], edges[edges.count - 1]))
            return
        }
        for column in 0..<heatmap.columns {
            let pixels = (0..<heatmap.rows).map { image[column, $0] }
            canvas.drawImage(RasterImage(width: 1, height: heatmap.rows, pixels: pixels), in: rect(edges[column], edges[column + 1]))
        }
    }
}
