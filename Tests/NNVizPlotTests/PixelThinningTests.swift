import Foundation
import Testing
@testable import NNVizPlot

/// Renders a million noisy points through Cairo and checks, pixel column by pixel column, that the ink
/// covers exactly the data's envelope in that column: what an exact drawing of every segment would cover.
@Suite struct PixelThinningTests {
    @Test func millionPointSeriesKeepsItsShape() throws {
        var rng = TestRandom(state: 11)
        let count = 1_000_000
        // A trend with noise and a few sharp outliers that a naive decimation would lose.
        var ys = (0..<count).map { i in exp(-Double(i) / 300_000) + 0.15 * (rng.next() - 0.5) }
        for i in stride(from: 123_457, to: count, by: 250_000) { ys[i] = 2.5 }
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.plot(ys, color: .black)
        fig.axes.ylim(-0.5, 3)

        let surface = try CairoSurface.image(width: 1200, height: 900)
        let canvas = try CairoCanvas(surface: surface, size: fig.pointSize, scale: 150.0 / 72, pixelsPerPoint: 150.0 / 72)
        let layout = FigureRenderer(figure: fig).render(on: canvas)[0]
        try canvas.checkStatus("test drawing")
        let image = surface.pixels()
        let k = 150.0 / 72

        // Expected: per pixel column, the min and max device row of the data falling in it.
        var lowRow = [Double](repeating: .infinity, count: 1200), highRow = [Double](repeating: -.infinity, count: 1200)
        for (i, y) in ys.enumerated() {
            let column = Int((layout.x.position(Double(i)) * k).rounded(.down))
            let row = layout.y.position(y) * k
            lowRow[column] = min(lowRow[column], row)
            highRow[column] = max(highRow[column], row)
        }
        // Measured: the extent of dark ink in each column, inside the axes box (spines excluded). Columns
        // next to a spike also hold the 3 px wide spike stroke, so they are checked separately below.
        let spikeColumns = stride(from: 123_457, to: count, by: 250_000).map {
            Int((layout.x.position(Double($0)) * k).rounded(.down))
        }
        var checked = 0, mismatched = 0
        for column in 160..<1070 where lowRow[column].isFinite && !spikeColumns.contains(where: { abs($0 - column) <= 3 }) {
            var top = Int.max, bottom = Int.min
            for row in 112..<797 {
                let pixel = image.data[row * image.stride + column]
                let green = Int((pixel >> 8) & 0xff)
                if green < 128 { top = min(top, row); bottom = max(bottom, row) }
            }
            checked += 1
            // The stroke is 3.1 px wide: ink reaches about 1.6 px beyond the data's envelope.
            if abs(Double(top) - (lowRow[column] - 1.5)) > 2.5 || abs(Double(bottom) - (highRow[column] + 1.5)) > 2.5 {
                mismatched += 1
            }
        }
        #expect(checked > 800)
        #expect(mismatched == 0, "\(mismatched) of \(checked) columns differ")
        // The outliers survive: ink near the top at each spike's column.
        for column in spikeColumns {
            let spikeRow = Int((layout.y.position(2.5) * k).rounded())
            let pixel = image.data[(spikeRow + 1) * image.stride + column]
            #expect((pixel >> 8) & 0xff < 128)
        }
    }
}
