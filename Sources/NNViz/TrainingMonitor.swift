import Foundation

/// What a training loop calls once per step or epoch: it runs the loss in anomaly mode and stops on
/// NaN or ±Inf with the node that produced it named (and drawn red), writes the recorded scalars to a
/// CSV file as it goes, and draws loss curves, the gradient flow and the graph on demand.
///
/// Files go to `directory/name_…`: the CSV log (`name_metrics.csv` unless named otherwise), and the
/// charts `name_losses.png`, `name_grad_flow.png`, `name_grad_heatmap.png`, `name_graph.png`,
/// `name_nonfinite_graph.png`.
///
/// Given a model to watch, every record also logs each trainable parameter's gradient norm and update ratio
/// as the columns `grad_norm/<parameter>` and `update_ratio/<parameter>` (see ``GradientHeatmap``), which
/// ``plotGradientHeatmap(_:to:title:)`` and `nnviz plot` draw as a heatmap over the steps.
///
/// ```swift
/// let monitor = try TrainingMonitor(name: "sine_rnn", directory: "output")
/// for epoch in 1...100 {
///     optimizer.zeroGrad()
///     let loss = try monitor.step(epoch, model: model) { criterion(model(x), y) }
///     loss.backward()
///     optimizer.step()
///     try monitor.record(epoch, ["loss": loss.item(), "lr": optimizer.lr])
/// }
/// try monitor.plotLosses()                    // output/sine_rnn_losses.png
/// try monitor.plotGradientFlow(model)         // output/sine_rnn_grad_flow.png (gradients of the last backward)
/// ```
///
/// ```swift
/// let monitor = try TrainingMonitor(name: "sine_rnn", watching: model)   // gradients logged at each record
/// // … the same loop …
/// try monitor.plotGradientHeatmap()           // output/sine_rnn_grad_heatmap.png
/// ```
public final class TrainingMonitor {
    /// The run's name, the prefix of every file written.
    public let name: String
    /// Where the files go.
    public let directory: String
    /// The CSV log's path.
    public var metricsPath: String { log.path }
    /// The recorded values of each column, in recording order.
    public private(set) var history: [String: [(step: Int, value: Double)]] = [:]
    /// The CSV columns after `step`: the declared ones, or those of the first record once it is written.
    public var columns: [String]? { log.columns }
    private let log: LossLogWriter
    /// The watched parameters, named as `namedParameters()` names them.
    private let watched: [(name: String, tensor: Tensor)]
    /// Each watched parameter's values at the previous record, for the update ratio.
    private var previousValues: [[Double]]?

    /// Creates `directory` if needed and starts (or empties) the CSV log.
    ///
    /// ```swift
    /// let monitor = try TrainingMonitor(name: "mlp", directory: "runs", columns: ["loss", "val_loss"])
    /// ```
    /// - Parameters:
    ///   - metricsFile: The CSV file's name inside `directory`; default `name_metrics.csv`.
    ///   - columns: The value columns in header order; nil takes the first record's names, sorted.
    ///     Later records may leave columns out but not add new ones (see ``LossLogWriter``).
    ///   - model: Whose trainable parameters' gradient norms and update ratios each record logs, in columns
    ///     after `columns` (see ``GradientHeatmap``).
    /// - Throws: ``TrainingMonitorError/invalidName(_:)``, ``TrainingMonitorError/unwritableDirectory(path:reason:)``,
    ///   or the ``CSVError`` of ``LossLogWriter/init(path:columns:)``.
    public init(name: String, directory: String = "output", metricsFile: String? = nil,
                columns: [String]? = nil, watching model: Module? = nil) throws {
        guard !name.isEmpty, !name.contains("/") else { throw TrainingMonitorError.invalidName(name) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainingMonitorError.unwritableDirectory(path: directory, reason: error.localizedDescription)
        }
        self.name = name
        self.directory = directory
        let file = metricsFile ?? "\(name)_metrics.csv"
        watched = (model?.namedParameters() ?? []).filter { $0.tensor.requiresGrad }
        let gradientColumns = watched.flatMap { parameter in
            GradientHeatmap.Metric.allCases.map { $0.column(for: parameter.name) }
        }
        log = try LossLogWriter(path: (directory as NSString).appendingPathComponent(file),
                                columns: columns.map { $0 + gradientColumns })
        self.gradientColumns = gradientColumns
    }

    /// The columns of the watched parameters' gradient statistics, after the value columns.
    public let gradientColumns: [String]

    /// The path of the file `name_suffix` in the output directory.
    ///
    /// ```swift
    /// monitor.path("grad_flow.png")   // "output/sine_rnn_grad_flow.png"
    /// ```
    public func path(_ suffix: String) -> String {
        (directory as NSString).appendingPathComponent("\(name)_\(suffix)")
    }

    // MARK: - Recording

    /// Appends the row `step, values…` to the CSV log and flushes it, so a crash loses nothing already
    /// recorded; the values are also kept in ``history`` for ``plotLosses(_:to:title:)``. With a watched
    /// model, the row also holds each parameter's gradient norm (of the gradient there now, i.e. the last
    /// backward's) and its update ratio since the previous record (NaN, an empty cell, on the first).
    ///
    /// ```swift
    /// try monitor.record(epoch, ["loss": loss.item(), "lr": optimizer.lr])
    /// ```
    /// - Throws: the ``CSVError`` of ``LossLogWriter/record(step:values:)`` (a column the header does not
    ///   have, a file that cannot be written); nothing is recorded then.
    public func record(_ step: Int, _ values: [String: Double]) throws {
        var row = values
        var current: [[Double]] = []
        if !watched.isEmpty {
            current = watched.map { $0.tensor.scalars }
            for (index, parameter) in watched.enumerated() {
                row[GradientHeatmap.Metric.gradientNorm.column(for: parameter.name)] = parameter.tensor.grad
                    .map { Self.norm($0.scalars) } ?? .nan
                row[GradientHeatmap.Metric.updateRatio.column(for: parameter.name)] = previousValues
                    .map { Self.updateRatio(from: $0[index], to: current[index]) } ?? .nan
            }
            if log.columns == nil { try log.declare(values.keys.sorted() + gradientColumns) }
        }
        try log.record(step: step, values: row)
        for (column, value) in row { history[column, default: []].append((step, value)) }
        if !watched.isEmpty { previousValues = current }
    }

    private static func norm(_ values: [Double]) -> Double {
        values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// ‖after − before‖ / ‖after‖; NaN when the parameter is all zeros.
    private static func updateRatio(from before: [Double], to after: [Double]) -> Double {
        let size = norm(after)
        guard size > 0 else { return .nan }
        return zip(after, before).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / size
    }

    // MARK: - Checking a step

    /// Runs `body` (the forward pass and loss) in anomaly mode and returns the loss; if the loss holds
    /// NaN or ±Inf, draws the loss's graph with the first node that produced one in red to
    /// `name_nonfinite_graph.png` and throws, naming that node and where it was created.
    ///
    /// Nodes made directly in `body` are attributed to this call (`training step 3 at main.swift:41`),
    /// nodes made inside a `Module` call to that call.
    ///
    /// ```swift
    /// let loss = try monitor.step(epoch, model: model) { criterion(model(x), y) }
    /// loss.backward()
    /// ```
    /// - Parameter model: Names the parameters in the graph drawn on failure.
    /// - Throws: ``TrainingMonitorError/nonFinite(step:value:node:site:graph:)`` (or
    ///   ``TrainingMonitorError/nonFiniteUndrawn(step:value:node:site:reason:)`` if the graph could not be
    ///   drawn), and whatever `body` throws.
    public func step(_ step: Int, model: Module? = nil, file: String = #fileID, line: Int = #line,
                     _ body: () throws -> Tensor) throws -> Tensor {
        let loss = try AnomalyMode.enabled {
            try AnomalyMode.trace("training step \(step)", file: file, line: line, body)
        }
        guard let bad = loss.scalars.first(where: { !$0.isFinite }) else { return loss }
        let node = AnomalyMode.firstNonFinite(from: loss)
        let graphPath = path("nonfinite_graph.png")
        do {
            try nonFiniteGraph(loss, model: model).render(to: graphPath, options: RenderOptions(legend: true))
        } catch {
            throw TrainingMonitorError.nonFiniteUndrawn(step: step, value: bad, node: node?.name,
                                                         site: node?.creationSite, reason: "\(error)")
        }
        throw TrainingMonitorError.nonFinite(step: step, value: bad, node: node?.name, site: node?.creationSite,
                                             graph: graphPath)
    }

    /// The graph drawn when a loss is not finite: makeDot marks the first bad node, rendering paints it red.
    func nonFiniteGraph(_ loss: Tensor, model: Module?) -> DotGraph {
        makeDot(loss, params: model?.namedParameters() ?? [], outputNames: ["loss"])
    }
}
