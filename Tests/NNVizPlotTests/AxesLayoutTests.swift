import Testing
@testable import NNVizPlot

@Suite struct AxesLayoutTests {
    @Test func axesBoxSitsWhereMatplotlibPutsIt() {
        let fig = Figure(width: 8, height: 6, dpi: 150)
        #expect(fig.pixelSize == (1200, 900))
        let frame = fig.frame(ofSubplot: 0)
        let k = 150.0 / 72
        #expect(close(frame.minX * k, 150) && close(frame.maxX * k, 1080))
        #expect(close(frame.minY * k, 108) && close(frame.maxY * k, 801))
    }

    @Test func subplotGridMatchesMatplotlib() {
        let fig = Figure(width: 8, height: 6, rows: 2, cols: 3)
        // matplotlib's fig.subplots(2, 3) positions (left, bottom, width, height) in figure fractions.
        let expected: [(Double, Double)] = [(0.125, 0.53), (0.398529, 0.53), (0.672059, 0.53),
                                            (0.125, 0.11), (0.398529, 0.11), (0.672059, 0.11)]
        for (i, (left, bottom)) in expected.enumerated() {
            let frame = fig.frame(ofSubplot: i)
            #expect(close(frame.minX / 576, left, 1e-5))
            #expect(close(1 - frame.maxY / 432, bottom, 1e-5))
            #expect(close(frame.width / 576, 0.227941, 1e-5) && close(frame.height / 432, 0.35, 1e-5))
        }
    }

    @Test func subscriptReachesEachAxes() {
        var fig = Figure(rows: 2, cols: 2)
        fig[1, 0].title("bottom left")
        fig[0, 1].plot([1, 2, 3])
        #expect(fig.subplots[2].title == "bottom left")
        #expect(fig.subplots[1].elements.count == 1)
        #expect(fig.axes.isEmpty)
    }

    @Test func textSitsAtMatplotlibsPads() {
        let layout = layoutOf { $0.plot(Array(0..<100)); $0.xlabel("epochs"); $0.ylabel("loss"); $0.title("Title") }
        let frame = layout.frame
        // x tick labels: top 3.5 pt tick + 3.5 pt pad below the axes; box at least 10 pt tall.
        for label in layout.xTickLabels {
            #expect(close(label.bounds.minY, frame.maxY + 7))
            #expect(close(label.bounds.height, 10, 1e-6))
        }
        // x label: 4 pt below the tick labels.
        #expect(close(layout.xLabel!.bounds.minY, frame.maxY + 7 + 10 + 4))
        // y tick labels end 7 pt left of the axes; the y label is 4 pt left of the widest.
        for label in layout.yTickLabels { #expect(close(label.bounds.maxX, frame.minX - 7)) }
        let widest = layout.yTickLabels.map(\.bounds.minX).min()!
        #expect(close(layout.yLabel!.bounds.maxX, widest - 4))
        #expect(layout.yLabel!.angle == 90)
        // Title: baseline 6 pt above the axes, 12 pt.
        #expect(close(layout.title!.runs[0].origin.y, frame.minY - 6))
        #expect(layout.title!.runs[0].font.size == 12)
    }

    @Test func yTickLabelsCentreHalfTheAscentOnTheTick() {
        let layout = layoutOf { $0.plot([0, 1]) }
        let ascent = TextLayout.minimumAscent * 10
        for (tick, label) in zip(layout.y.majorTicks, layout.yTickLabels) {
            #expect(close(label.runs[0].origin.y, layout.y.position(tick) + ascent / 2))
        }
    }

    @Test func positionsMapLimitsToTheFrame() {
        let layout = layoutOf { $0.plot([0.01, 100]); $0.yscale = .log }
        #expect(close(layout.y.position(layout.y.lower), layout.frame.maxY))
        #expect(close(layout.y.position(layout.y.upper), layout.frame.minY))
        let mid = (layout.frame.minY + layout.frame.maxY) / 2
        #expect(close(layout.y.position(1), mid, 1e-9))
        #expect(layout.y.position(-1).isNaN)
    }

    @Test func constantSeriesGetsARange() {
        let layout = layoutOf { $0.plot([3, 3, 3]) }
        #expect(layout.y.lower < 3 && layout.y.upper > 3)
        #expect(!layout.y.majorTicks.isEmpty)
    }

    @Test func allNaNSeriesShowsANote() {
        let layout = layoutOf { $0.plot([Double.nan, .nan], label: "loss") }
        #expect(layout.note?.plainText == "no finite data to plot")
        #expect(layout.warnings.contains("no finite data to plot"))
    }

    @Test func emptyAxesHaveNoNote() {
        let layout = layoutOf { _ in }
        #expect(layout.note == nil)
        #expect(layout.warnings.isEmpty)
    }

    @Test func nonPositiveValuesOnLogAxisWarn() {
        var fig = Figure()
        fig.axes.plot([1, 0, -2, 10], label: "loss")
        fig.axes.yscale = .log
        #expect(fig.warnings == ["'loss': 2 value(s) ≤ 0 dropped from the log y axis"])
        let layout = AxesLayout(axes: fig.axes, frame: fig.frame(ofSubplot: 0), measurer: RecordingCanvas(size: fig.pointSize))
        #expect(close(layout.y.lower, pow(10, -0.05), 1e-12) && close(layout.y.upper, pow(10, 1.05), 1e-12))
    }

    @Test func categoricalBarsLabelTheirTicks() {
        let layout = layoutOf { $0.bar([0.1, 0.02, 0.3], categories: ["fc1.weight", "fc1.bias", "fc2.weight"]); $0.xTickRotation = 90 }
        #expect(layout.x.majorTicks == [0, 1, 2])
        #expect(layout.xTickLabels.map(\.plainText) == ["fc1.weight", "fc1.bias", "fc2.weight"])
        for label in layout.xTickLabels {
            #expect(label.angle == 90)
            // Rotated labels hang below the ticks: taller than wide, top edge at the pad.
            #expect(label.bounds.height > label.bounds.width)
            #expect(close(label.bounds.minY, layout.frame.maxY + 7))
        }
    }

    @Test func offsetTextSitsAboveTheYAxis() {
        let layout = layoutOf { $0.plot([0, 3e7]) }
        #expect(layout.yOffsetText?.plainText == "1e7")
        #expect(close(layout.yOffsetText!.runs[0].origin.y, layout.frame.minY - 3))
        #expect(close(layout.yOffsetText!.bounds.minX, layout.frame.minX))
    }
}

import Foundation
