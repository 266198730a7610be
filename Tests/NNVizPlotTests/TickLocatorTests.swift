import Testing
@testable import NNVizPlot

/// Limits and visible ticks against matplotlib 3.11 on an 8×6 in figure (the y axis, data plotted as y = x).
@Suite struct TickLocatorTests {
    @Test func xDataZeroTo99() {
        let layout = layoutOf { $0.plot(Array(0..<100)) }
        #expect(close(layout.x.lower, -4.95) && close(layout.x.upper, 103.95))
        #expect(layout.x.majorTicks == [0, 20, 40, 60, 80, 100])
        #expect(layout.x.majorLabels.map { $0?.plainText } == ["0", "20", "40", "60", "80", "100"])
    }

    @Test func yDataPlusMinusOne() {
        let layout = layoutOf { $0.plot([-1.05, 1.05]) }
        #expect(close(layout.y.lower, -1.155) && close(layout.y.upper, 1.155))
        #expect(close(layout.y.majorTicks, [-1, -0.5, 0, 0.5, 1]))
        #expect(layout.y.majorLabels.map { $0?.plainText } == ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
    }

    @Test func logDecades() {
        let layout = layoutOf { $0.plot([0.003, 40]); $0.yscale = .log }
        #expect(close(layout.y.lower, 0.00186583965, 1e-9) && close(layout.y.upper, 64.31420834, 1e-9))
        #expect(close(layout.y.majorTicks, [0.01, 0.1, 1, 10]))
        #expect(layout.y.majorLabels.map { $0?.plainText } == ["10\u{2212}2", "10\u{2212}1", "100", "101"])
        #expect(layout.y.minorTicks.count == 37)
        #expect(layout.y.minorLabels.allSatisfy { $0 == nil })
    }

    /// (data, limits, visible ticks) measured with matplotlib.
    static let linearCases: [([Double], (Double, Double), [Double])] = [
        ([5, 5], (4.725, 5.275), [4.8, 4.9, 5.0, 5.1, 5.2]),
        ([0, 0], (-0.055, 0.055), [-0.04, -0.02, 0, 0.02, 0.04]),
        ([-3, 17], (-4, 18), [-2.5, 0, 2.5, 5, 7.5, 10, 12.5, 15, 17.5]),
        ([0.001, 0.0013], (0.000985, 0.001315), [0.001, 0.00105, 0.0011, 0.00115, 0.0012, 0.00125, 0.0013]),
        ([2000, 2010], (1999.5, 2010.5), [2000, 2002, 2004, 2006, 2008, 2010]),
        ([0, 3e7], (-1.5e6, 3.15e7), [0, 5e6, 1e7, 1.5e7, 2e7, 2.5e7, 3e7]),
        ([1e-6, 5e-6], (8e-7, 5.2e-6), [1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6, 3.5e-6, 4e-6, 4.5e-6, 5e-6]),
    ]

    @Test(arguments: linearCases.indices)
    func linearMatchesMatplotlib(_ index: Int) {
        let (data, limits, ticks) = TickLocatorTests.linearCases[index]
        let layout = layoutOf { $0.plot(data, x: data) }
        #expect(close(layout.y.lower, limits.0, 1e-9) && close(layout.y.upper, limits.1, 1e-9))
        #expect(close(layout.y.majorTicks, ticks, 1e-9))
    }

    @Test func logSpanningTwelveDecadesStridesByTwo() {
        let layout = layoutOf { $0.plot([1, 1e12]); $0.yscale = .log }
        #expect(close(layout.y.lower, 0.2511886432, 1e-9) && close(layout.y.upper, 3.981071706e12, 1e-9))
        #expect(close(layout.y.majorTicks, [1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12], 1e-12))
        #expect(layout.y.minorTicks.isEmpty)
    }

    @Test func logWithinOneDecadeLabelsMinorTicks() {
        let layout = layoutOf { $0.plot([2, 8]); $0.yscale = .log }
        #expect(layout.y.majorTicks.isEmpty)
        #expect(close(layout.y.minorTicks, [2, 3, 4, 5, 6, 7, 8]))
        let labels = layout.y.minorLabels.map { $0?.plainText }
        #expect(labels == ["2\u{00D7}100", "3\u{00D7}100", "4\u{00D7}100", nil, "6\u{00D7}100", nil, nil])
    }

    @Test func logConstantSeriesSpansADecade() {
        let layout = layoutOf { $0.plot([5, 5]); $0.yscale = .log }
        #expect(close(layout.y.lower, 0.8912509381, 1e-9) && close(layout.y.upper, 11.22018454, 1e-9))
        #expect(close(layout.y.majorTicks, [1, 10]))
        #expect(layout.y.minorTicks.count == 9)
    }

    @Test func binsShrinkWithTheAxis() {
        #expect(TickLocator.binCount(axisLength: 446.4, fontSize: 10, vertical: false) == 9)
        #expect(TickLocator.binCount(axisLength: 100, fontSize: 10, vertical: false) == 3)
        #expect(TickLocator.binCount(axisLength: 100, fontSize: 10, vertical: true) == 5)
        #expect(TickLocator.binCount(axisLength: 5, fontSize: 10, vertical: true) == 1)
    }

    @Test func emptyAxesShowUnitRange() {
        let layout = layoutOf { $0.plot([Double.nan, .nan]) }
        #expect(layout.x.lower == 0 && layout.x.upper == 1 && layout.y.lower == 0 && layout.y.upper == 1)
        #expect(close(layout.y.majorTicks, [0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    }

    @Test func fixedLimitsWin() {
        let layout = layoutOf { $0.plot(Array(0..<100)); $0.xlim(10, 20); $0.ylim(nil, 50) }
        #expect(layout.x.lower == 10 && layout.x.upper == 20)
        #expect(close(layout.y.lower, -4.95) && layout.y.upper == 50)
    }

    @Test func barsStickToZero() {
        let layout = layoutOf { $0.bar([3, 1, 2]) }
        #expect(layout.y.lower == 0)
        #expect(close(layout.y.upper, 3.15))
        #expect(close(layout.x.lower, -0.4 - 0.14) && close(layout.x.upper, 2.4 + 0.14))
    }
}
