import Foundation
@testable import NNVizPlot

/// Lays out the single axes of an 8×6 in figure after `configure`, measuring text with fixed metrics.
func layoutOf(width: Double = 8, height: Double = 6, _ configure: (inout Axes) -> Void) -> AxesLayout {
    var fig = Figure(width: width, height: height, dpi: 150)
    configure(&fig.axes)
    let canvas = RecordingCanvas(size: fig.pointSize, pixelsPerPoint: 150.0 / 72)
    return AxesLayout(axes: fig.axes, frame: fig.frame(ofSubplot: 0), measurer: canvas)
}

/// Draws `figure` on a recording canvas at its dpi.
func record(_ figure: Figure) -> RecordingCanvas {
    let canvas = RecordingCanvas(size: figure.pointSize, pixelsPerPoint: figure.dpi / 72)
    figure.draw(on: canvas)
    return canvas
}

/// Whether `a` and `b` agree to `tolerance` relative to their size (absolute below 1).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
}

/// A fresh path in the temporary directory.
func temporaryPlotPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("nnviz-plot-\(UUID().uuidString)-\(name)").path
}

/// A reproducible stream of uniform numbers in 0..<1.
struct TestRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}
