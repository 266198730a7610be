/// Paints one laid-out ``Axes``: background, patches, grid, lines, spines, ticks, text and legend.
struct AxesRenderer {
    let axes: Axes
    let layout: AxesLayout
    let canvas: Canvas
    /// The line series' curves by element index, thinned before anything is drawn.
    private let curves: [Int: LineCurves]

    init(axes: Axes, layout: AxesLayout, canvas: Canvas) {
        self.axes = axes
        self.layout = layout
        self.canvas = canvas
        curves = LineCurves.thin(axes.elements, layout: layout, pixelsPerPoint: canvas.pixelsPerPoint)
    }

    var frame: Rect { layout.frame }

    func draw() {
        var background = Path()
        background.addRect(frame)
        canvas.fill(background, color: .white)

        var obstacles = LegendObstacles()
        canvas.pushClip(frame)
        for (index, element) in axes.elements.enumerated() where element.zOrder == 0 {
            drawElement(element, at: index, obstacles: &obstacles)
        }
        for (index, element) in axes.elements.enumerated() where element.zOrder == 1 {
            drawElement(element, at: index, obstacles: &obstacles)
        }
        drawGrid()
        for (index, element) in axes.elements.enumerated() where element.zOrder == 2 {
            drawElement(element, at: index, obstacles: &obstacles)
        }
        canvas.popClip()

        drawSpines()
        drawTicks()
        for (index, element) in axes.elements.enumerated() where element.zOrder == 3 {
            drawElement(element, at: index, obstacles: &obstacles)
        }
        for text in layout.xTickLabels + layout.yTickLabels { AxesRenderer.draw(text, on: canvas) }
        for text in [layout.xOffsetText, layout.yOffsetText, layout.xLabel, layout.yLabel, layout.title, layout.note] {
            if let text { AxesRenderer.draw(text, on: canvas) }
        }
        if let colorBar = layout.colorBar { drawColorBar(colorBar) }
        if let location = axes.legendLocation,
           let legend = LegendLayout(items: legendItems(), location: location, axesFrame: frame,
                                     obstacles: obstacles, measurer: canvas) {
            drawLegend(legend)
        }
    }

    static func draw(_ text: PlacedText, on canvas: Canvas) {
        for run in text.runs where !run.text.isEmpty {
            canvas.drawText(run.text, at: run.origin, font: run.font, color: text.color, angle: text.angle)
        }
    }

    private func drawElement(_ element: PlotElement, at index: Int, obstacles: inout LegendObstacles) {
        switch element {
        case .line(let s): drawLine(s, curves: curves[index]!, obstacles: &obstacles)
        case .scatter(let s): drawScatter(s, obstacles: &obstacles)
        case .bars(let s): drawBars(s, obstacles: &obstacles)
        case .band(let s): drawBand(s)
        case .reference(let r): drawReference(r, obstacles: &obstacles)
        case .text(let t): drawAnnotation(t)
        case .heatmap(let h): drawHeatmap(h)
        }
    }

    // MARK: - Axis decorations

    private func drawGrid() {
        var path = Path()
        if axes.gridLines.contains(.x) {
            for t in layout.x.majorTicks {
                let px = layout.x.position(t)
                path.move(to: Point(x: px, y: frame.minY))
                path.line(to: Point(x: px, y: frame.maxY))
            }
        }
        if axes.gridLines.contains(.y) {
            for t in layout.y.majorTicks {
                let py = layout.y.position(t)
                path.move(to: Point(x: frame.minX, y: py))
                path.line(to: Point(x: frame.maxX, y: py))
            }
        }
        guard !path.isEmpty else { return }
        canvas.stroke(path, style: StrokeStyle(color: Theme.gridColor, width: Theme.gridWidth, cap: .projecting,
                                               join: .round, snap: true))
    }

    private func drawSpines() {
        var path = Path()
        path.addRect(frame)
        canvas.stroke(path, style: StrokeStyle(color: .black, width: Theme.spineWidth, cap: .projecting,
                                               join: .miter, snap: true))
    }

    private func drawTicks() {
        for (ticks, length, width) in [(layout.x.majorTicks, Theme.majorTickLength, Theme.majorTickWidth),
                                       (layout.x.minorTicks, Theme.minorTickLength, Theme.minorTickWidth)] {
            var path = Path()
            for t in ticks {
                let px = layout.x.position(t)
                path.move(to: Point(x: px, y: frame.maxY))
                path.line(to: Point(x: px, y: frame.maxY + length))
            }
            if !path.isEmpty {
                canvas.stroke(path, style: StrokeStyle(color: .black, width: width, cap: .butt, join: .miter, snap: true))
            }
        }
        for (ticks, length, width) in [(layout.y.majorTicks, Theme.majorTickLength, Theme.majorTickWidth),
                                       (layout.y.minorTicks, Theme.minorTickLength, Theme.minorTickWidth)] {
            var path = Path()
            for t in ticks {
                let py = layout.y.position(t)
                path.move(to: Point(x: frame.minX, y: py))
                path.line(to: Point(x: frame.minX - length, y: py))
            }
            if !path.isEmpty {
                canvas.stroke(path, style: StrokeStyle(color: .black, width: width, cap: .butt, join: .miter, snap: true))
            }
        }
    }

    // MARK: - Legend

    private func legendItems() -> [(label: String, handle: LegendHandle)] {
        var items: [(label: String, handle: LegendHandle)] = []
        var barItems: [(label: String, handle: LegendHandle)] = []
        for element in axes.elements {
            guard let label = element.label, !label.isEmpty, !label.hasPrefix("_") else { continue }
            switch element {
            case .line(let s):
                let color = s.color.withAlpha(s.color.alpha * s.alpha)
                if s.lineStyle == .none, let marker = s.marker {
                    items.append((label, .marker(marker, color: color, size: s.markerSize)))
                } else {
                    let style = s.lineStyle == .none ? nil
                        : lineStyle(color: s.color, alpha: s.alpha, width: s.lineWidth, dash: s.lineStyle)
                    items.append((label, .line(style, marker: s.marker, markerSize: s.markerSize)))
                }
            case .reference(let r):
                items.append((label, .line(lineStyle(color: r.color, alpha: 1, width: r.lineWidth, dash: r.lineStyle),
                                           marker: nil, markerSize: 0)))
            case .scatter(let s):
                items.append((label, .marker(s.marker, color: s.color.withAlpha(s.color.alpha * s.alpha), size: s.size)))
            case .band(let s):
                items.append((label, .patch(s.color.withAlpha(s.color.alpha * s.alpha))))
            case .bars(let s):
                barItems.append((label, .patch(s.color.withAlpha(s.color.alpha * s.alpha))))
            case .text, .heatmap:
                continue
            }
        }
        return items + barItems
    }

    private func drawLegend(_ legend: LegendLayout) {
        var box = Path()
        box.addRoundedRect(legend.frame, radius: Theme.legendCornerRadius * Theme.fontSize)
        canvas.fill(box, color: Theme.legendFaceColor)
        canvas.stroke(box, style: StrokeStyle(color: Theme.legendFrameColor, width: Theme.legendFrameWidth,
                                              cap: .butt, join: .miter))
        for entry in legend.entries {
            let h = entry.handleBox
            switch entry.handle {
            case .line(let style, let marker, let markerSize):
                if let style {
                    var path = Path()
                    path.move(to: Point(x: h.minX, y: h.midY))
                    path.line(to: Point(x: h.maxX, y: h.midY))
                    canvas.stroke(path, style: style)
                    if let marker { drawMarkers(marker, at: [Point(x: h.midX, y: h.midY)], color: style.color, size: markerSize) }
                }
            case .patch(let color):
                var path = Path()
                path.addRect(h)
                canvas.fill(path, color: color)
            case .marker(let marker, let color, let size):
                let y = h.maxY - Theme.legendScatterYOffset * h.height
                drawMarkers(marker, at: [Point(x: h.midX, y: y)], color: color, size: size)
            }
            AxesRenderer.draw(entry.label, on: canvas)
        }
    }

    // MARK: - Shared helpers

    func lineStyle(color: Color, alpha: Double, width: Double, dash: LineStyle) -> StrokeStyle {
        let dashes = dash.dashes(width: width)
        return StrokeStyle(color: color.withAlpha(color.alpha * alpha), width: width, dashes: dashes,
                           cap: dashes.isEmpty ? .projecting : .butt, join: .round)
    }

    /// Markers as matplotlib draws them: filled with a 1 pt edge of the same colour, or stroked for + and x.
    func drawMarkers(_ marker: Marker, at points: [Point], color: Color, size: Double) {
        guard !points.isEmpty else { return }
        var path = Path()
        for p in points { path.append(marker.path(at: p, size: size)) }
        if !marker.isStrokedOnly { canvas.fill(path, color: color) }
        canvas.stroke(path, style: StrokeStyle(color: color, width: 1, cap: .butt, join: .miter))
    }
}
