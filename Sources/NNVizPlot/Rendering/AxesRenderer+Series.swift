import NNVizSupport

// MARK: - Series

extension AxesRenderer {
    /// How far outside the frame geometry is kept before Cairo's own clip to the frame.
    private func clipRect(lineWidth: Double) -> Rect {
        let margin = 2 * lineWidth + 1
        return frame.insetBy(dx: -margin, dy: -margin)
    }

    func drawLine(_ s: LineSeries, curves: LineCurves, obstacles: inout LegendObstacles) {
        if let smoothed = curves.smoothed {
            let rawStyle = lineStyle(color: s.color, alpha: s.alpha * Theme.rawCurveAlpha, width: s.lineWidth,
                                     dash: s.lineStyle)
            strokeSeries(curves.raw, x: s.x, y: s.y, style: s.lineStyle == .none ? nil : rawStyle, series: s)
            strokeSeries(smoothed.line, x: s.x, y: smoothed.y, style: s.lineStyle == .none ? nil
                            : lineStyle(color: s.color, alpha: s.alpha, width: s.lineWidth, dash: s.lineStyle),
                         series: s)
            addObstacles(smoothed.line, to: &obstacles)
        } else {
            let style = s.lineStyle == .none ? nil
                : lineStyle(color: s.color, alpha: s.alpha, width: s.lineWidth, dash: s.lineStyle)
            strokeSeries(curves.raw, x: s.x, y: s.y, style: style, series: s)
            addObstacles(curves.raw, to: &obstacles)
        }
    }

    private func addObstacles(_ line: ThinnedLine, to obstacles: inout LegendObstacles) {
        for polyline in line.polylines {
            obstacles.points.append(contentsOf: polyline)
            obstacles.polylines.append(polyline)
        }
    }

    /// Clips and strokes one thinned curve of (`x`, `y`), then draws its markers and its infinity marks.
    private func strokeSeries(_ line: ThinnedLine, x: [Double]?, y: [Double], style: StrokeStyle?, series s: LineSeries) {
        let color = s.color.withAlpha(s.color.alpha * s.alpha)
        if let style {
            let bounds = clipRect(lineWidth: s.lineWidth)
            var path = Path()
            for polyline in line.polylines {
                for piece in Clipping.clip(polyline, to: bounds) { path.addPolyline(piece) }
            }
            if !path.isEmpty { canvas.stroke(path, style: style) }
        }
        if let marker = s.marker { drawMarkers(marker, at: markerPoints(x: x, y: y, size: s.markerSize), color: color, size: s.markerSize) }
        drawInfinities(line.infinities, color: color)
    }

    /// Data points inside the frame, skipping any that would land on the previous one's device pixel.
    private func markerPoints(x: [Double]?, y: [Double], size: Double) -> [Point] {
        let bounds = clipRect(lineWidth: size)
        let ppp = canvas.pixelsPerPoint
        var points: [Point] = []
        var previous = (Int.min, Int.min)
        for i in y.indices {
            let p = layout.point(x?[i] ?? Double(i), y[i])
            guard p.x.isFinite, p.y.isFinite, bounds.contains(p) else { continue }
            let pixel = (Int((p.x * ppp).rounded(.down)), Int((p.y * ppp).rounded(.down)))
            if pixel == previous { continue }
            previous = pixel
            points.append(p)
        }
        return points
    }

    /// A small triangle at the frame's edge pointing to where a value went to ±∞.
    private func drawInfinities(_ marks: [(point: Point, direction: ThinnedLine.Edge)], color: Color) {
        guard !marks.isEmpty else { return }
        let r = 3.5
        var path = Path()
        for (p, edge) in marks {
            switch edge {
            case .top:
                path.addPolygon([p, Point(x: p.x - r, y: p.y + 2 * r), Point(x: p.x + r, y: p.y + 2 * r)])
            case .bottom:
                path.addPolygon([p, Point(x: p.x - r, y: p.y - 2 * r), Point(x: p.x + r, y: p.y - 2 * r)])
            case .left:
                path.addPolygon([p, Point(x: p.x + 2 * r, y: p.y - r), Point(x: p.x + 2 * r, y: p.y + r)])
            case .right:
                path.addPolygon([p, Point(x: p.x - 2 * r, y: p.y - r), Point(x: p.x - 2 * r, y: p.y + r)])
            }
        }
        canvas.fill(path, color: color)
    }

    func drawScatter(_ s: ScatterSeries, obstacles: inout LegendObstacles) {
        let points = markerPoints(x: s.x, y: s.y, size: s.size)
        obstacles.points.append(contentsOf: points)
        drawMarkers(s.marker, at: points, color: s.color.withAlpha(s.color.alpha * s.alpha), size: s.size)
    }

    func drawBars(_ s: BarSeries, obstacles: inout LegendObstacles) {
        var path = Path()
        let bounds = clipRect(lineWidth: 1)
        for i in s.heights.indices {
            let bottom = s.bottom?[i] ?? 0, top = bottom + s.heights[i]
            let left = s.x[i] - s.width / 2, right = s.x[i] + s.width / 2
            let a = layout.point(left, layout.y.scale.accepts(bottom) ? bottom : layout.y.lower)
            let b = layout.point(right, top)
            guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { continue }
            let clampedA = Point(x: min(max(a.x, bounds.minX), bounds.maxX), y: min(max(a.y, bounds.minY), bounds.maxY))
            let clampedB = Point(x: min(max(b.x, bounds.minX), bounds.maxX), y: min(max(b.y, bounds.minY), bounds.maxY))
            let rect = Rect(corner: clampedA, corner: clampedB)
            guard rect.width > 0, rect.height > 0 else { continue }
            path.addRect(rect)
            obstacles.rects.append(rect)
        }
        if !path.isEmpty { canvas.fill(path, color: s.color.withAlpha(s.color.alpha * s.alpha), snap: true) }
    }

    func drawBand(_ s: BandSeries) {
        var path = Path()
        let bounds = clipRect(lineWidth: 1)
        func clamp(_ p: Point) -> Point {
            Point(x: min(max(p.x, bounds.minX), bounds.maxX), y: min(max(p.y, bounds.minY), bounds.maxY))
        }
        var run: [Int] = []
        func flush() {
            defer { run.removeAll(keepingCapacity: true) }
            guard run.count >= 2 else { return }
            let upper = run.map { clamp(layout.point(s.x[$0], s.upper[$0])) }
            let lower = run.reversed().map { clamp(layout.point(s.x[$0], s.lower[$0])) }
            path.addPolygon(upper + lower)
        }
        for i in s.x.indices {
            let p = layout.point(s.x[i], s.upper[i]), q = layout.point(s.x[i], s.lower[i])
            if p.x.isFinite && p.y.isFinite && q.y.isFinite { run.append(i) } else { flush() }
        }
        flush()
        if !path.isEmpty { canvas.fill(path, color: s.color.withAlpha(s.color.alpha * s.alpha)) }
    }

    func drawReference(_ r: ReferenceLine, obstacles: inout LegendObstacles) {
        var path = Path()
        var line: [Point]
        switch r.orientation {
        case .horizontal:
            let py = layout.y.position(r.value)
            guard py.isFinite else { return }
            line = [Point(x: frame.minX, y: py), Point(x: frame.maxX, y: py)]
        case .vertical:
            let px = layout.x.position(r.value)
            guard px.isFinite else { return }
            line = [Point(x: px, y: frame.minY), Point(x: px, y: frame.maxY)]
        }
        for piece in Clipping.clip(line, to: clipRect(lineWidth: r.lineWidth)) { path.addPolyline(piece) }
        guard !path.isEmpty else { return }
        obstacles.polylines.append(line)
        canvas.stroke(path, style: lineStyle(color: r.color, alpha: 1, width: r.lineWidth, dash: r.lineStyle))
    }

    func drawAnnotation(_ t: TextAnnotation) {
        let anchor: Point
        switch t.coordinates {
        case .data: anchor = layout.point(t.x, t.y)
        case .axes: anchor = Point(x: layout.x.position(fraction: t.x), y: layout.y.position(fraction: t.y))
        }
        guard anchor.x.isFinite, anchor.y.isFinite, abs(anchor.x) < 1e6, abs(anchor.y) < 1e6 else { return }
        let placed = TextLayout.place(StyledText(t.text), font: Font(size: t.fontSize), color: t.color, at: anchor,
                                      horizontal: t.horizontalAlignment, vertical: t.verticalAlignment,
                                      measurer: canvas)
        AxesRenderer.draw(placed, on: canvas)
    }
}

/// A line series' curves as drawn: its data and, when smoothed, the smoothed data, each thinned to pixel columns.
struct LineCurves {
    var raw: ThinnedLine
    var smoothed: (y: [Double], line: ThinnedLine)?

    /// The curves of every line series among `elements`, by element index: the curves are independent, so a
    /// figure of several large ones thins them on several threads (a million points take a few milliseconds).
    static func thin(_ elements: [PlotElement], layout: AxesLayout, pixelsPerPoint: Double) -> [Int: LineCurves] {
        var curves: [(index: Int, x: [Double]?, y: [Double], smoothed: Bool)] = []
        for (index, element) in elements.enumerated() {
            guard case .line(let s) = element else { continue }
            curves.append((index, s.x, s.y, false))
            if let weight = s.smoothing {
                curves.append((index, s.x, Smoothing.exponentialMovingAverage(s.y, weight: weight), true))
            }
        }
        let lines = UnsafeMutableBufferPointer<ThinnedLine?>.allocate(capacity: curves.count)
        lines.initialize(repeating: nil)
        defer { lines.deinitialize().deallocate() }
        // Thinning reads each point once, about 3 ns.
        let points = curves.map(\.y.count).max() ?? 0
        // Whether x ascends, read once per x array (the curves of one log, and a raw and smoothed pair, share it).
        var ascending: [UnsafeRawPointer?: Bool] = [:]
        let ascends = curves.map { curve -> Bool in
            guard let x = curve.x else { return true }
            let key = x.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
            if let known = ascending[key] { return known }
            let value = ThinnedLine.ascends(x)
            ascending[key] = value
            return value
        }
        Parallel.forEachPart(curves.count, cost: 3 * points) { _, range in
            for j in range {
                lines[j] = ThinnedLine(x: curves[j].x, y: curves[j].y, xAxis: layout.x, yAxis: layout.y,
                                       frame: layout.frame, pixelsPerPoint: pixelsPerPoint, ascending: ascends[j])
            }
        }
        var result: [Int: LineCurves] = [:]
        for (curve, line) in zip(curves, lines) {
            if curve.smoothed {
                result[curve.index]?.smoothed = (curve.y, line!)
            } else {
                result[curve.index] = LineCurves(raw: line!)
            }
        }
        return result
    }
}
