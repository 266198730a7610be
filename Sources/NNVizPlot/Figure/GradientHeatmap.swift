/// Per-parameter gradient statistics over training as a parameters × steps heatmap on a log colour scale:
/// a layer whose gradients vanish or explode shows as a row drifting to one end of the colour bar.
///
/// ``TrainingMonitor`` writes the statistics to its CSV log as one column per parameter and metric, named
/// `grad_norm/<parameter>` (the L2 norm of the gradient after each recorded step's backward) and
/// `update_ratio/<parameter>` (‖w − w_previous‖ / ‖w‖ between consecutive records, empty on the first);
/// ``init(log:metric:)`` reads them back, so `nnviz plot` draws the same picture from the file.
///
/// ```swift
/// let log = try LossLog.read(contentsOf: "output/sine_rnn_losses.csv")
/// if let heatmap = GradientHeatmap(log: log, metric: .gradientNorm) {
///     try heatmap.figure(title: "sine_rnn").save(to: "grad_heatmap.png")
/// }
/// ```
public struct GradientHeatmap: Equatable, Sendable {
    /// What is charted.
    public enum Metric: String, CaseIterable, Sendable {
        /// ‖∂loss/∂w‖₂ of each recorded step.
        case gradientNorm = "grad_norm"
        /// ‖Δw‖ / ‖w‖ between records: how far one optimiser step moves each parameter, relative to its size.
        case updateRatio = "update_ratio"

        /// The CSV column of `parameter`: `grad_norm/cell.weightIH`.
        public func column(for parameter: String) -> String { "\(rawValue)/\(parameter)" }

        /// The parameter a column of this metric belongs to, or nil for other columns.
        public func parameter(inColumn column: String) -> String? {
            let prefix = rawValue + "/"
            guard column.hasPrefix(prefix), column.count > prefix.count else { return nil }
            return String(column.dropFirst(prefix.count))
        }

        /// How the colour bar is labelled.
        public var title: String {
            switch self {
            case .gradientNorm: return "gradient norm ‖∂loss/∂w‖"
            case .updateRatio: return "update ratio ‖Δw‖ / ‖w‖"
            }
        }
    }

    public let metric: Metric
    /// The rows, top to bottom.
    public let parameters: [String]
    /// The columns.
    public let steps: [Double]
    /// `values[row][column]`, NaN where nothing was recorded.
    public let values: [[Double]]

    /// The grid as given, without the parameters that have no finite value at all.
    public init(metric: Metric, parameters: [String], steps: [Double], values: [[Double]]) {
        precondition(parameters.count == values.count, "GradientHeatmap: \(parameters.count) parameters for \(values.count) rows")
        precondition(values.allSatisfy { $0.count == steps.count }, "GradientHeatmap: every row needs \(steps.count) values")
        let kept = values.indices.filter { values[$0].contains(where: \.isFinite) }
        self.metric = metric
        self.parameters = kept.map { parameters[$0] }
        self.steps = steps
        self.values = kept.map { values[$0] }
    }

    /// The metric's columns of `log` (named `grad_norm/<parameter>` or `update_ratio/<parameter>`), each
    /// parameter a row in column order, over every step any of them has a value at; nil when the log has none.
    public init?(log: LossLog, metric: Metric) {
        let series = log.series.filter { metric.parameter(inColumn: $0.name) != nil }
        let steps = Array(Set(series.flatMap(\.x))).sorted()
        guard !series.isEmpty, !steps.isEmpty else { return nil }
        let column = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1, $0) })
        let values = series.map { s -> [Double] in
            var row = [Double](repeating: .nan, count: steps.count)
            for (x, y) in zip(s.x, s.y) { row[column[x]!] = y }
            return row
        }
        self.init(metric: metric, parameters: series.map { metric.parameter(inColumn: $0.name)! }, steps: steps,
                  values: values)
        if parameters.isEmpty { return nil }
    }

    /// The chart: 8 in wide (taller with many parameters), 150 dpi, parameter names on y, step on x, a title,
    /// and a colour bar of the metric on matplotlib's `viridis` with a log scale. Cells with no positive
    /// value (NaN, or the first step's update ratio) are left blank.
    public func figure(title: String? = nil) -> Figure {
        var figure = Figure(width: 8, height: max(4, 1.6 + 0.32 * Double(parameters.count)), dpi: 150)
        figure.axes.imshow(values, x: steps, colorScale: .log)
        figure.axes.yticks(parameters.indices.map(Double.init), labels: parameters)
        figure.axes.xlabel("step")
        figure.axes.ylabel("parameter")
        figure.axes.title(title ?? metric.title)
        figure.axes.colorbar(label: metric.title + " (log scale)")
        figure.tightLayout = true
        return figure
    }
}
