import NNVizCore
import NNVizPlot

/// A tensor plots as its values in row-major order, so a 1-D tensor of losses or predictions goes
/// straight into a chart.
///
/// ```swift
/// var figure = Figure(width: 8, height: 6, dpi: 150)
/// figure.axes.plot(predictions, x: Array(24..<200), label: "prediction")
/// ```
extension Tensor: PlotData {
    public func plotValues() -> [Double] { scalars }
}
