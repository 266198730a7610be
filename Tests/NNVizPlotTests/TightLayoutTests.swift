import Testing
@testable import NNVizPlot

/// `tightLayout` against matplotlib 3.11's `fig.tight_layout()` on a 6.4×4.8 in figure.
@Suite struct TightLayoutTests {
    /// Lays out `figure` measuring text with Cairo's DejaVu Sans, as the PNG writer does.
    private func frames(_ figure: Figure) throws -> [Rect] {
        let surface = try CairoSurface.image(width: figure.pixelSize.width, height: figure.pixelSize.height)
        let canvas = try CairoCanvas(surface: surface, size: figure.pointSize, scale: figure.dpi / 72,
                                     pixelsPerPoint: figure.dpi / 72)
        return FigureRenderer(figure: figure).render(on: canvas).map(\.frame)
    }

    @Test func singleAxesMatchesMatplotlib() throws {
        var fig = Figure()
        fig.axes.plot(Array(0..<100))
        fig.axes.xlabel("epochs")
        fig.axes.ylabel("loss")
        fig.axes.title("Title")
        fig.tightLayout = true
        let frame = try frames(fig)[0]
        // matplotlib: left 0.11190, right 0.97656, bottom 0.12188, top 0.92431.
        #expect(abs(frame.minX / 460.8 - 0.11190) < 0.0001)
        #expect(abs(frame.maxX / 460.8 - 0.97656) < 0.0001)
        #expect(abs(1 - frame.maxY / 345.6 - 0.12188) < 0.0001)
        #expect(abs(1 - frame.minY / 345.6 - 0.92431) < 0.0001)
    }

    @Test func gridMatchesMatplotlib() throws {
        var fig = Figure(rows: 2, cols: 2)
        for i in fig.subplots.indices {
            fig.subplots[i].plot(Array(0..<100))
            fig.subplots[i].title("Title")
        }
        fig.tightLayout = true
        let frames = try frames(fig)
        // matplotlib: left 0.08082, right 0.96825, bottom 0.08044, top 0.92431, wspace 0.2233, hspace 0.3474.
        #expect(abs(frames[0].minX / 460.8 - 0.08082) < 0.0001)
        #expect(abs(frames[1].maxX / 460.8 - 0.96825) < 0.0001)
        #expect(abs(1 - frames[2].maxY / 345.6 - 0.08044) < 0.0001)
        #expect(abs(1 - frames[0].minY / 345.6 - 0.92431) < 0.0001)
        let wspace = (frames[1].minX - frames[0].maxX) / frames[0].width
        let hspace = (frames[2].minY - frames[0].maxY) / frames[0].height
        #expect(abs(wspace - 0.2233) < 0.0001 && abs(hspace - 0.3474) < 0.0001)
    }

    @Test func rotatedCategoryLabelsFitOnThePage() {
        var fig = Figure(width: 8, height: 6, dpi: 100)
        fig.axes.bar([0.1, 0.2, 0.05], categories: ["a.very.long.layer.name.weight", "b.bias", "c.weight"])
        fig.axes.xTickRotation = 90
        fig.axes.xlabel("Layers")
        fig.tightLayout = true
        let canvas = record(fig)
        for text in canvas.texts {
            #expect(text.origin.y <= fig.pointSize.height - 10.8 + 1e-9)
            #expect(text.origin.x >= 0)
        }
        var plain = fig
        plain.tightLayout = false
        #expect(record(plain).texts.contains { $0.text == "Layers" && $0.origin.y > fig.pointSize.height })
    }
}
