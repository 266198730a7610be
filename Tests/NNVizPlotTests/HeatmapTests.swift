import Testing
@testable import NNVizPlot

/// imshow with a log colour scale and a colour bar, laid out and coloured as matplotlib 3.11 does
/// (`imshow(data, norm=LogNorm(), cmap='viridis', aspect='auto')` + `fig.colorbar(im)`).
@Suite struct HeatmapTests {
    /// The grid of the matplotlib reference: decades from 1e-3 to 100, a NaN, a negative value and a zero.
    let grid: [[Double]] = [[1e-3, 1e-2, 0.1], [1, 10, .nan], [-1, 0, 100]]

    @Test func viridisIsMatplotlibsTable() {
        let viridis = Colormap.viridis
        #expect(viridis.colors.count == 256)
        #expect(viridis.colors[0] == Color(red: 0.267004, green: 0.004874, blue: 0.329415))
        #expect(viridis.colors[255] == Color(red: 0.993248, green: 0.906157, blue: 0.143936))
        // matplotlib: cmap(0.5) is entry 128, cmap(1.0) the last, values outside 0…1 the end entries.
        #expect(viridis.color(at: 0.5) == Color(red: 0.127568, green: 0.566949, blue: 0.550556))
        #expect(viridis.color(at: 1) == viridis.colors[255] && viridis.color(at: 7) == viridis.colors[255])
        #expect(viridis.color(at: -0.1) == viridis.colors[0])
        #expect(viridis.color(at: 0.999) == viridis.colors[255] && viridis.color(at: 0.0039) == viridis.colors[0])
        #expect(viridis.color(at: .nan).alpha == 0)
    }

    @Test func logNormMasksWhatALogCannotShow() {
        let norm = ColorNorm(scale: .log, values: grid.flatMap { $0 })
        #expect(norm.vmin == 1e-3 && norm.vmax == 100)
        #expect(close(norm.fraction(0.1), 0.4) && norm.fraction(1e-3) == 0 && norm.fraction(100) == 1)
        #expect(norm.fraction(0).isNaN && norm.fraction(-1).isNaN && norm.fraction(.nan).isNaN)
        #expect(norm.fraction(.infinity).isNaN)
        #expect(ColorNorm(scale: .log, values: [5, 5]).fraction(5) == 0)
        #expect(ColorNorm(scale: .log, values: [-1, .nan]) == ColorNorm(scale: .log, vmin: 1, vmax: 10))
    }

    @Test func cellsAreColouredAndMaskedCellsTransparent() {
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.imshow(grid, colorScale: .log)
        fig.axes.colorbar()
        let canvas = record(fig)
        let image = canvas.images[0].image
        #expect(image.width == 3 && image.height == 3)
        // 1e-3 → 0 → first entry; 0.1 → 0.4 → entry 102; 100 → last.
        #expect(image[0, 0] == Colormap.viridis.colors[0])
        #expect(image[2, 0] == Colormap.viridis.colors[102])
        #expect(image[2, 2] == Colormap.viridis.colors[255])
        // NaN, −1 and 0 are bad: transparent.
        #expect(image[2, 1].alpha == 0 && image[0, 2].alpha == 0 && image[1, 2].alpha == 0)
        // The colour bar: all 256 entries, the last at the top.
        let bar = canvas.images[1].image
        #expect(bar.width == 1 && bar.height == 256 && bar[0, 0] == Colormap.viridis.colors[255])
        #expect(fig.warnings == ["heatmap: 2 value(s) ≤ 0 cannot be shown on the log colour scale; drawn blank"])
    }

    @Test func axesAndColorBarSitWhereMatplotlibPutsThem() {
        let layout = layoutOf { $0.imshow(grid, colorScale: .log); $0.colorbar(label: "norm") }
        // Figure fractions from matplotlib: ax (0.125, 0.11, 0.62, 0.77), cax (0.78375, 0.11, 0.028875, 0.77).
        #expect(close(layout.frame.minX / 576, 0.125) && close(layout.frame.width / 576, 0.62))
        #expect(close(1 - layout.frame.maxY / 432, 0.11) && close(layout.frame.height / 432, 0.77))
        let bar = layout.colorBar!
        #expect(close(bar.frame.minX / 576, 0.78375) && close(bar.frame.width / 576, 0.028875))
        #expect(close(bar.frame.minY, layout.frame.minY) && close(bar.frame.height, layout.frame.height))
        // Limits are the grid's edges, y running down: row 0 at the top.
        #expect(layout.x.lower == -0.5 && layout.x.upper == 2.5)
        #expect(layout.y.lower == 2.5 && layout.y.upper == -0.5)
        #expect(layout.y.position(0) < layout.y.position(2))
        // The bar's log axis: matplotlib's major ticks 1e-3…1e2 inside 1e-3…100, minor ticks 2…9 × each decade.
        #expect(bar.axis.majorTicks == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        #expect(bar.axis.majorLabels.map { $0?.plainText } == ["10−3", "10−2", "10−1", "100", "101", "102"])
        #expect(bar.axis.minorTicks.count == 5 * 8)
        #expect(close(bar.axis.position(1e-3), bar.frame.maxY) && close(bar.axis.position(100), bar.frame.minY))
        // Tick labels 7 pt right of the bar; the label right of them, turned upright.
        for label in bar.tickLabels { #expect(close(label.bounds.minX, bar.frame.maxX + 7)) }
        let widest = bar.tickLabels.map(\.bounds.maxX).max()!
        #expect(close(bar.label!.bounds.minX, widest + 4) && bar.label!.angle == 90)
        #expect(layout.tightBounds.maxX >= bar.label!.bounds.maxX)
    }

    @Test func columnsCentreOnTheirStepsAndIrregularStepsGetTheirOwnWidths() {
        let even = layoutOf { $0.imshow([[1, 2, 3]], x: [10, 20, 30]) }
        #expect(even.x.lower == 5 && even.x.upper == 35)
        var fig = Figure(width: 8, height: 6, dpi: 150)
        fig.axes.imshow([[1, 2, 3]], x: [0, 1, 3])
        let canvas = record(fig)
        // Edges −0.5, 0.5, 2, 4: three images, one per column.
        #expect(canvas.images.count == 3)
        let widths = canvas.images.map(\.rect.width)
        #expect(close(widths[1] / widths[0], 1.5, 1e-9) && close(widths[2] / widths[0], 2, 1e-9))
        #expect(Axes.edges(around: [7]) == [6.5, 7.5])
    }

    @Test func gradientHeatmapReadsTheMonitorsColumns() throws {
        let log = try LossLog.parse("""
            step,loss,grad_norm/fc.weight,update_ratio/fc.weight,grad_norm/fc.bias,grad_norm/unused
            1,0.9,0.5,nan,0.25,nan
            2,0.8,0.4,0.01,,nan
            4,0.7,0.3,0.02,0.125,nan
            """, name: "run")
        let heatmap = try #require(GradientHeatmap(log: log, metric: .gradientNorm))
        #expect(heatmap.parameters == ["fc.weight", "fc.bias"])
        #expect(heatmap.steps == [1, 2, 4])
        #expect(heatmap.values[0] == [0.5, 0.4, 0.3])
        #expect(heatmap.values[1][0] == 0.25 && heatmap.values[1][1].isNaN && heatmap.values[1][2] == 0.125)
        let ratios = try #require(GradientHeatmap(log: log, metric: .updateRatio))
        // Only steps where the metric has a value: the first update ratio is always missing.
        #expect(ratios.parameters == ["fc.weight"] && ratios.steps == [2, 4] && ratios.values == [[0.01, 0.02]])
        #expect(GradientHeatmap(log: try LossLog.parse("step,loss\n1,2\n", name: "plain"), metric: .gradientNorm) == nil)

        let figure = heatmap.figure(title: "run")
        let canvas = record(figure)
        let texts = canvas.texts.map(\.text)
        #expect(texts.contains("fc.weight") && texts.contains("fc.bias") && texts.contains("step"))
        #expect(texts.contains("run") && texts.contains("parameter"))
        #expect(texts.contains(GradientHeatmap.Metric.gradientNorm.title + " (log scale)"))
        #expect(figure.axes.colorBar != nil)
    }
}
