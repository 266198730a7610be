import Foundation
import Testing
@testable import NNVizPlot

/// Data that breaks naive plotters draws a readable chart instead of trapping.
@Suite struct RobustnessTests {
    static let nasty: [[Double]] = [
        [],
        [.nan],
        [.infinity, -.infinity],
        [1e308, -1e308, 0],
        [5e-324, 1e-320, 2e-320],
        [1, 1 + 1e-15, 1 + 2e-15],
        [-1, -2, -3],
        [0, 0, 0],
        [1e-300, 1e300],
        [.nan, 3, .nan, 4, .infinity, 5],
    ]

    @Test(arguments: nasty.indices)
    func drawsOnEveryScale(_ index: Int) throws {
        let ys = RobustnessTests.nasty[index]
        for (xscale, yscale) in [(Scale.linear, Scale.linear), (.linear, .log), (.log, .log)] {
            var fig = Figure(width: 3, height: 2, dpi: 50, rows: 1, cols: 2)
            fig[0, 0].plot(ys, label: "y", smoothing: 0.5)
            fig[0, 0].scatter(ys, ys, label: "s")
            fig[0, 0].xscale = xscale
            fig[0, 0].yscale = yscale
            fig[0, 0].legend(.best)
            fig[0, 1].bar(ys.isEmpty ? [] : ys, categories: ys.map { "\($0)" })
            fig[0, 1].fillBetween(Array(ys.indices), ys, ys.map { $0 + 1 })
            fig[0, 1].axhline(ys.first ?? 0)
            fig[0, 1].yscale = yscale
            let png = try fig.pngData()
            #expect(png.count > 100)
        }
    }

    @Test func invertedAndDegenerateLimits() throws {
        var fig = Figure(width: 3, height: 2, dpi: 50)
        fig.axes.plot([1, 2, 3])
        fig.axes.xlim(10, 0)
        fig.axes.ylim(2, 2)
        let layout = AxesLayout(axes: fig.axes, frame: fig.frame(ofSubplot: 0), measurer: RecordingCanvas(size: fig.pointSize))
        #expect(layout.x.lower == 10 && layout.x.upper == 0)
        #expect(layout.x.position(10) < layout.x.position(0))
        #expect(layout.y.lower < 2 && layout.y.upper > 2)
        #expect(try fig.pngData().count > 100)
    }

    @Test func logLimitsThatCannotBeShownWarn() {
        var fig = Figure()
        fig.axes.plot([1, 10, 100])
        fig.axes.yscale = .log
        fig.axes.ylim(-1, nil)
        let layout = AxesLayout(axes: fig.axes, frame: fig.frame(ofSubplot: 0), measurer: RecordingCanvas(size: fig.pointSize))
        #expect(layout.y.lower > 0)
        #expect(layout.warnings.contains { $0.contains("y limit -1.0 cannot be used") })
    }
}
