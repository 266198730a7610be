import Testing
@testable import NNVizPlot

@Suite struct LegendTests {
    private func legendTexts(_ canvas: RecordingCanvas, _ labels: [String]) -> [(text: String, origin: Point, font: Font)] {
        canvas.texts.filter { labels.contains($0.text) }
    }

    @Test func upperRightLegendFrameAndEntries() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot([1, 2, 3], label: "naive update")
        fig.axes.plot([3, 2, 1], label: "SGD")
        fig.axes.legend(.upperRight)
        let canvas = record(fig)
        let frame = fig.frame(ofSubplot: 0)
        // The frame: a rounded box filled white at 80 % and stroked #cccccc at 80 %.
        let box = canvas.strokes.first { $0.style.color == Color(gray: 0.8, alpha: 0.8) }!
        let bounds = box.path.bounds!
        #expect(close(bounds.maxX, frame.maxX - 5, 1e-6))
        #expect(close(bounds.minY, frame.minY + 5, 1e-6))
        // Two rows 10 pt tall, 5 pt apart, inside a 4 pt border: 33 pt.
        #expect(close(bounds.height, 33, 1e-6))
        // Labels in order, 20 pt handle + 8 pt gap after the 4 pt border.
        let texts = legendTexts(canvas, ["naive update", "SGD"])
        #expect(texts.map(\.text) == ["naive update", "SGD"])
        let left = bounds.minX
        #expect(close(texts[0].origin.x, left + 4 + 20 + 8, 1e-6))
        #expect(close(texts[1].origin.y - texts[0].origin.y, 15, 1e-6))
        // Handles: the series' colours, 3.5 pt above each baseline.
        let handles = canvas.strokes.filter { $0.path.vertices.count == 2 && close($0.path.vertices[0].x, left + 4, 1e-6) }
        #expect(handles.map(\.style.color) == [Color.tab(0), Color.tab(1)])
        #expect(close(handles[0].path.vertices[0].y, texts[0].origin.y - 3.5, 1e-6))
    }

    @Test func bestAvoidsTheData() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        // Data crowding the upper right and upper left: best should go lower down.
        fig.axes.plot(Array(stride(from: 0.0, through: 1.0, by: 0.01)).map { _ in 1.0 }, label: "flat top")
        fig.axes.plot([0.0, 0.0], x: [0.0, 100.0])
        fig.axes.legend(.best)
        let canvas = record(fig)
        let frame = fig.frame(ofSubplot: 0)
        let box = canvas.strokes.first { $0.style.color == Color(gray: 0.8, alpha: 0.8) }!
        let bounds = box.path.bounds!
        // Lines at the very top and bottom of the data: the centre-right is the first free place.
        #expect(close(bounds.midY, frame.midY, 1e-6))
        #expect(close(bounds.maxX, frame.maxX - 5, 1e-6))
    }

    @Test func bestPrefersUpperRightWhenFree() {
        var fig = Figure()
        fig.axes.plot([10, 5, 2, 1, 0.5], label: "decreasing")
        fig.axes.legend(.best)
        let canvas = record(fig)
        let frame = fig.frame(ofSubplot: 0)
        let box = canvas.strokes.first { $0.style.color == Color(gray: 0.8, alpha: 0.8) }!
        #expect(close(box.path.bounds!.minY, frame.minY + 5, 1e-6))
        #expect(close(box.path.bounds!.maxX, frame.maxX - 5, 1e-6))
    }

    @Test func unlabelledAndUnderscoreSeriesAreLeftOut() {
        var fig = Figure()
        fig.axes.plot([1, 2])
        fig.axes.plot([2, 1], label: "_hidden")
        fig.axes.bar([1, 2], label: "bars")
        fig.axes.plot([1, 1], label: "line")
        fig.axes.legend()
        let canvas = record(fig)
        // Bars come after the lines, as in matplotlib.
        #expect(canvas.texts.filter { ["bars", "line", "_hidden"].contains($0.text) }.map(\.text) == ["line", "bars"])
    }

    @Test func noLegendWithoutLabels() {
        var fig = Figure()
        fig.axes.plot([1, 2])
        fig.axes.legend()
        let canvas = record(fig)
        #expect(!canvas.strokes.contains { $0.style.color == Color(gray: 0.8, alpha: 0.8) })
    }

    @Test func locationCodesFollowMatplotlib() {
        #expect(LegendLocation(code: 0) == .best)
        #expect(LegendLocation(code: 1) == .upperRight)
        #expect(LegendLocation(code: 10) == .center)
        #expect(LegendLocation(code: 11) == nil)
        #expect(LegendLocation(matplotlib: "lower left") == .lowerLeft)
        #expect(LegendLocation(matplotlib: "nowhere") == nil)
    }
}
