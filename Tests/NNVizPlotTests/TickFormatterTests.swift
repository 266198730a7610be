import Testing
@testable import NNVizPlot

/// Tick labels and offset texts against matplotlib 3.11's ScalarFormatter and LogFormatterSciNotation.
@Suite struct TickFormatterTests {
    @Test func offsetForLargeValuesCloseTogether() {
        let layout = layoutOf { $0.plot([1e6, 1e6 + 50], x: [0, 1]) }
        #expect(layout.y.offsetText == "+1e6")
        #expect(layout.y.majorLabels.map { $0?.plainText } == ["0", "10", "20", "30", "40", "50"])
    }

    @Test func scientificForLargeRanges() {
        let layout = layoutOf { $0.plot([0, 3e7], x: [0, 1]) }
        #expect(layout.y.offsetText == "1e7")
        #expect(layout.y.majorLabels.map { $0?.plainText } == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
    }

    @Test func scientificForTinyValuesUsesUnicodeMinus() {
        let layout = layoutOf { $0.plot([1e-6, 5e-6], x: [0, 1]) }
        #expect(layout.y.offsetText == "1e\u{2212}6")
        #expect(layout.y.majorLabels.first??.plainText == "1.0")
        #expect(layout.y.majorLabels.last??.plainText == "5.0")
    }

    @Test func decimalsTellTicksApart() {
        let layout = layoutOf { $0.plot([0.001, 0.0013], x: [0, 1]) }
        #expect(layout.y.offsetText.isEmpty)
        #expect(layout.y.majorLabels.map { $0?.plainText }
            == ["0.00100", "0.00105", "0.00110", "0.00115", "0.00120", "0.00125", "0.00130"])
    }

    @Test func yearsNeedNoOffset() {
        let layout = layoutOf { $0.plot([2000, 2010], x: [0, 1]) }
        #expect(layout.y.offsetText.isEmpty)
        #expect(layout.y.majorLabels.map { $0?.plainText } == ["2000", "2002", "2004", "2006", "2008", "2010"])
    }

    @Test func formatDataMatchesMatplotlib() {
        #expect(TickFormatter.Scalar.formatData(1e6) == "1e6")
        #expect(TickFormatter.Scalar.formatData(1500) == "1.5e3")
        #expect(TickFormatter.Scalar.formatData(7) == "7")
        #expect(TickFormatter.Scalar.formatData(-2e-5) == "-2e-5")
    }

    @Test func logLabelsAreSuperscripts() {
        let labels = TickFormatter.logLabels([0.01, 1000], lower: 0.001, upper: 1e4)
        #expect(labels[0]?.runs.map(\.text) == ["10", "\u{2212}2"])
        #expect(labels[0]?.runs[1].scale == 0.7)
        #expect(labels[0]!.runs[1].rise > 0.4)
        #expect(labels[1]?.runs.map(\.text) == ["10", "3"])
    }
}
