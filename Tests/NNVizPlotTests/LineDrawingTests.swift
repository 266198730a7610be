import Foundation
import Testing
@testable import NNVizPlot

/// Recorded drawing of line series: gaps, infinities, clipping and thinning.
@Suite struct LineDrawingTests {
    private func seriesStrokes(_ canvas: RecordingCanvas, _ color: Color = .tab(0)) -> [Path] {
        canvas.strokes.filter { $0.style.color == color && $0.style.width == 1.5 }.map(\.path)
    }

    @Test func nanBreaksTheLineWithoutSpikes() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot([1, 2, .nan, 3, 4, .nan, .nan, 5, 6] as [Double])
        let canvas = record(fig)
        let paths = seriesStrokes(canvas)
        #expect(paths.count == 1)
        #expect(paths[0].subpathCount == 3)
        let frame = fig.frame(ofSubplot: 0)
        #expect(paths[0].vertices.allSatisfy { frame.contains($0) })
    }

    @Test func infinitiesGetEdgeMarkersNotLines() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot([1, 2, .infinity, 3, -.infinity, 4] as [Double])
        let canvas = record(fig)
        let frame = fig.frame(ofSubplot: 0)
        let path = seriesStrokes(canvas)[0]
        #expect(path.subpathCount == 3)
        #expect(path.vertices.allSatisfy { frame.contains($0) })
        // Two filled triangles in the series colour: one touching the top edge, one the bottom.
        let marks = canvas.fills.filter { $0.color == .tab(0) }
        #expect(marks.count == 1)
        let tips = marks[0].path.vertices
        #expect(tips.contains { close($0.y, frame.minY) })
        #expect(tips.contains { close($0.y, frame.maxY) })
        #expect(tips.allSatisfy { frame.contains($0) })
    }

    @Test func hugeValuesAreClippedBeforeCairo() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot([0, 1, 1e300, 2, -1e300, 3], x: [0, 1, 2, 3, 4, 5])
        fig.axes.ylim(0, 4)
        let canvas = record(fig)
        let frame = fig.frame(ofSubplot: 0)
        let path = seriesStrokes(canvas)[0]
        let margin = 2 * 1.5 + 1
        let bounds = frame.insetBy(dx: -margin, dy: -margin)
        #expect(path.vertices.allSatisfy { bounds.contains($0) }, "\(path.vertices) \(bounds)")
        // The spikes still leave the frame: some vertices sit on the clip edges.
        #expect(path.vertices.contains { close($0.y, bounds.minY, 1e-9) })
        #expect(path.vertices.contains { close($0.y, bounds.maxY, 1e-9) })
    }

    @Test func zoomingIntoAHugeSeriesKeepsFewPoints() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot((0..<100_000).map { sin(Double($0) / 10) })
        fig.axes.xlim(1000, 1100)
        let canvas = record(fig)
        let path = seriesStrokes(canvas)[0]
        #expect(path.vertices.count < 200)
    }

    @Test func thinningKeepsFirstMinMaxLastPerColumn() {
        var axes = Axes()
        axes.plot([0])
        let frame = Rect(x: 0, y: 0, width: 10, height: 100)
        let x = AxisLayout(scale: .linear, lower: 0, upper: 10, start: 0, end: 10)
        let y = AxisLayout(scale: .linear, lower: 0, upper: 100, start: 100, end: 0)
        // Ten points per unit column: values 5, 9, 1, 7, … in column 0.
        let ys: [Double] = [5, 9, 1, 7, 6, 50, 60, 40, 55, 45]
        let xs: [Double] = [0.0, 0.1, 0.2, 0.3, 0.4, 1.0, 1.2, 1.4, 1.6, 1.8]
        let line = ThinnedLine(x: xs, y: ys, xAxis: x, yAxis: y, frame: frame, pixelsPerPoint: 1)
        #expect(line.polylines.count == 1)
        let kept = line.polylines[0].map { 100 - $0.y }
        #expect(kept == [5, 9, 1, 6, 50, 60, 40, 45])
    }

    @Test func thinningBoundsThePointCount() {
        var rng = TestRandom(state: 7)
        let ys = (0..<1_000_000).map { _ in rng.next() }
        let frame = Rect(x: 72, y: 51.84, width: 446.4, height: 332.64)
        let x = AxisLayout(scale: .linear, lower: -50_000, upper: 1_050_000, start: frame.minX, end: frame.maxX)
        let y = AxisLayout(scale: .linear, lower: 0, upper: 1, start: frame.maxY, end: frame.minY)
        let line = ThinnedLine(x: nil, y: ys, xAxis: x, yAxis: y, frame: frame, pixelsPerPoint: 150.0 / 72)
        let columns = Int((frame.width * 150 / 72).rounded(.up)) + 1
        #expect(line.pointCount <= 4 * columns)
        #expect(line.pointCount > 3 * columns)
    }

    @Test func thinningWithGivenXMatchesPointByPointReduction() {
        // x given, mostly increasing with jumps back and gaps: runs of one column are scanned in one loop,
        // which must keep exactly the first, lowest, highest and last point of each run, as point by point.
        var rng = TestRandom(state: 11)
        var xs: [Double] = [], ys: [Double] = []
        var position = 0.0
        for i in 0..<20_000 {
            position += rng.next() < 0.001 ? -300 : rng.next() * 0.2
            xs.append(i % 997 == 5 ? .nan : position)
            ys.append(i % 1_511 == 7 ? .nan : rng.next() * 10 - (i % 2_003 == 3 ? 20 : 0))
        }
        let frame = Rect(x: 72, y: 51.84, width: 446.4, height: 332.64)
        let ppp = 150.0 / 72
        let x = AxisLayout(scale: .linear, lower: -100, upper: 1_500, start: frame.minX, end: frame.maxX)
        for scale in [Scale.linear, .log] {
            let y = AxisLayout(scale: scale, lower: scale == .log ? 0.1 : -20, upper: 10, start: frame.maxY,
                               end: frame.minY)
            let line = ThinnedLine(x: xs, y: ys, xAxis: x, yAxis: y, frame: frame, pixelsPerPoint: ppp)
            // The reference: group consecutive drawable points by device column, keep first/min/max/last.
            let first = Int((frame.minX * ppp).rounded(.down)) - 1, last = Int((frame.maxX * ppp).rounded(.up)) + 1
            var expected: [[Point]] = [], current: [Point] = [], group: [Int] = [], groupColumn = Int.min
            func flushGroup() {
                guard let head = group.first, let tail = group.last else { return }
                let low = group.min { ys[$0] < ys[$1] }!, high = group.min { ys[$0] > ys[$1] }!
                var kept = [head]
                for index in [min(low, high), max(low, high), tail] where !kept.contains(index) { kept.append(index) }
                current += kept.map { Point(x: x.position(xs[$0]), y: y.position(ys[$0])) }
                group = []
            }
            for i in xs.indices {
                guard xs[i].isFinite, ys[i].isFinite, scale == .linear || ys[i] > 0 else {
                    flushGroup()
                    if !current.isEmpty { expected.append(current) }
                    current = []
                    groupColumn = Int.min
                    continue
                }
                let px = x.position(xs[i]) * ppp
                let column = px < Double(first) ? first : px > Double(last) ? last : Int(px.rounded(.down))
                if column != groupColumn { flushGroup() }
                groupColumn = column
                group.append(i)
            }
            flushGroup()
            if !current.isEmpty { expected.append(current) }
            #expect(line.polylines == expected, "\(scale)")
            #expect(line.pointCount < xs.count / 4)
        }
    }

    @Test func logAxisDropsNonPositiveValues() {
        var fig = Figure()
        fig.axes.plot([1, 10, 0, 100, -5, 1000])
        fig.axes.yscale = .log
        let path = seriesStrokes(record(fig))[0]
        #expect(path.subpathCount == 3)
        #expect(path.vertices.count == 4)
    }

    @Test func smoothingDrawsFaintRawCurveUnderneath() {
        var fig = Figure()
        fig.axes.plot([1, 3, 2, 4, 3, 5], label: "loss", smoothing: 0.6)
        let canvas = record(fig)
        let strokes = canvas.strokes.filter { $0.style.width == 1.5 && $0.style.color.red == Color.tab(0).red }
        #expect(strokes.count >= 2)
        #expect(close(strokes[0].style.color.alpha, 0.25))
        #expect(strokes[1].style.color.alpha == 1)
        let raw = strokes[0].path.vertices.map(\.y), smooth = strokes[1].path.vertices.map(\.y)
        #expect(raw != smooth)
        #expect(raw.first == smooth.first)
    }

    @Test func markersAndDashesFollowMatplotlib() {
        var fig = Figure()
        fig.axes.plot([1, 2, 3], lineStyle: .dashed, marker: .circle)
        let canvas = record(fig)
        let line = canvas.strokes.first { $0.style.color == .tab(0) && $0.style.width == 1.5 }!
        #expect(line.style.dashes == [3.7 * 1.5, 1.6 * 1.5])
        #expect(line.style.cap == .butt)
        let markers = canvas.fills.filter { $0.color == .tab(0) }
        #expect(markers.count == 1 && markers[0].path.subpathCount == 3)
    }

    @Test func everyKindOfElementDraws() {
        var fig = Figure()
        fig.axes.scatter([1, 2, 3], [3, 1, 2], label: "points")
        fig.axes.bar([1, 2, 3], label: "bars")
        fig.axes.fillBetween([0, 1, 2], [0, 0.5, .nan] as [Double], [1, 1.5, 2], label: "band", alpha: 0.3)
        fig.axes.axhline(1.5, color: .black, lineStyle: .dotted)
        fig.axes.axvline(1, color: .red)
        fig.axes.text(1, 2, "note")
        fig.axes.grid()
        let canvas = record(fig)
        #expect(canvas.texts.contains { $0.text == "note" })
        #expect(canvas.strokes.contains { $0.style.color == .red })
        #expect(canvas.strokes.contains { $0.style.color == .black && $0.style.dashes == [1.5, 1.65 * 1.5] })
        #expect(canvas.strokes.contains { $0.style.color == Color(hex: "#b0b0b0")! })
        // Scatter C0, bars C1, band C2 at 30 %: each a fill.
        #expect(canvas.fills.contains { $0.color == .tab(0) && $0.path.subpathCount == 3 })
        #expect(canvas.fills.contains { $0.color == .tab(1) && $0.path.subpathCount == 3 })
        #expect(canvas.fills.contains { $0.color == Color.tab(2).withAlpha(0.3) && $0.path.subpathCount == 1 })
    }

    @Test func patchesDrawUnderGridUnderLines() {
        var fig = Figure()
        fig.axes.plot([1, 2])
        fig.axes.bar([1, 2])
        fig.axes.grid()
        let canvas = record(fig)
        let order = canvas.commands.compactMap { command -> String? in
            switch command {
            case .fill(_, let c) where c == .tab(0): return "bars"
            case .stroke(_, let s) where s.color == Color(hex: "#b0b0b0")!: return "grid"
            case .stroke(_, let s) where s.color == .tab(0): return "line"
            default: return nil
            }
        }
        #expect(order == ["bars", "grid", "line"])
    }
}
