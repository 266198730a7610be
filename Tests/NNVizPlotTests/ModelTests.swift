import Testing
@testable import NNVizPlot

@Suite struct ModelTests {
    @Test func colourParsing() {
        #expect(Color(hex: "#1f77b4") == Color.tab(0))
        #expect(Color("C1") == Color.tab(1))
        #expect(Color("tab:red") == Color.tab(3))
        #expect(Color("k") == .black)
        #expect(Color("0.8") == Color(gray: 0.8))
        #expect(Color(hex: "#fff") == .white)
        #expect(Color(hex: "#11223380")?.alpha == Double(0x80) / 255)
        #expect(Color("nonsense") == nil)
        #expect(Color(hex: "#12345") == nil)
        #expect(Color.tab(12) == Color.tab(2))
        #expect(Color.tab(0).description == "#1f77b4")
    }

    @Test func colourCyclesAreSeparateForLinesAndPatches() {
        var axes = Axes()
        axes.plot([1])
        axes.bar([1])
        axes.plot([2])
        axes.scatter([1], [1])
        let colours = axes.elements.map { element -> Color in
            switch element {
            case .line(let s): return s.color
            case .bars(let s): return s.color
            case .scatter(let s): return s.color
            default: return .black
            }
        }
        #expect(colours == [.tab(0), .tab(0), .tab(1), .tab(1)])
    }

    @Test func plotDataConversions() {
        #expect([Float(1.5), 2].plotValues() == [1.5, 2])
        #expect((24..<27).plotValues() == [24, 25, 26])
        #expect((1...3).plotValues() == [1, 2, 3])
        #expect([1, 2, 3][1...].plotValues() == [2, 3])
        #expect(stride(from: 0.0, to: 1, by: 0.5).plotValues() == [0, 0.5])
    }

    @Test func matplotlibSpellings() {
        #expect(LineStyle(matplotlib: "--") == .dashed)
        #expect(LineStyle(matplotlib: "-.") == .dashDot)
        #expect(LineStyle(matplotlib: "~") == nil)
        #expect(Marker(matplotlib: "o") == .circle)
        #expect(Marker(matplotlib: "^") == .triangleUp)
        #expect(Marker(matplotlib: "?") == nil)
    }

    @Test func clippingASegmentThroughTheBox() {
        let box = Rect(x: 0, y: 0, width: 10, height: 10)
        let clipped = Clipping.clipSegment(Point(x: -10, y: 5), Point(x: 20, y: 5), to: box)
        #expect(clipped?.0 == Point(x: 0, y: 5) && clipped?.1 == Point(x: 10, y: 5))
        #expect(Clipping.clipSegment(Point(x: -10, y: -5), Point(x: 20, y: -5), to: box) == nil)
        let pieces = Clipping.clip([Point(x: 1, y: 1), Point(x: 1, y: 50), Point(x: 2, y: 2), Point(x: 3, y: 3)], to: box)
        #expect(pieces.count == 2)
        #expect(pieces[1] == [Point(x: 1 + 40.0 / 48, y: 10), Point(x: 2, y: 2), Point(x: 3, y: 3)])
    }
}
