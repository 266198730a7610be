/// Why a ``TrainingMonitor`` stopped a training loop or could not write what it was asked to.
///
/// ```swift
/// do {
///     let loss = try monitor.step(epoch, model: model) { criterion(model(x), y) }
/// } catch let error as TrainingMonitorError {
///     print(error)   // step 3: the loss is nan; the first NaN/Inf came from LogBackward0, created by …
/// }
/// ```
public enum TrainingMonitorError: Error, CustomStringConvertible, Equatable {
    /// The run name is empty or holds a path separator.
    case invalidName(String)
    /// The output directory could not be created.
    case unwritableDirectory(path: String, reason: String)
    /// The loss of a step held NaN or ±Inf. `node` is the backward node whose output first held one
    /// (nil if the loss has no graph), `site` where that node was created, `graph` the picture written
    /// with that node drawn red.
    case nonFinite(step: Int, value: Double, node: String?, site: String?, graph: String)
    /// As ``nonFinite(step:value:node:site:graph:)``, but Graphviz could not draw the graph.
    case nonFiniteUndrawn(step: Int, value: Double, node: String?, site: String?, reason: String)
    /// A chart of recorded values was asked for before anything was recorded.
    case nothingRecorded(run: String)
    /// A gradient heatmap was asked for, but no gradient statistics were recorded: no model is watched, or
    /// no record came after a backward pass.
    case noGradientStatistics(run: String)
    /// A chart was asked for a column that was never recorded.
    case unknownColumn(String, columns: [String])
    /// No parameter had a gradient to chart (call `backward()` first), or all were filtered out.
    case noGradients(parameters: [String])

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "invalid run name \"\(name)\": it names the output files, so it must be non-empty and hold no \"/\""
        case .unwritableDirectory(let path, let reason):
            return "cannot create the output directory \(path): \(reason)"
        case .nonFinite(let step, let value, let node, let site, let graph):
            return Self.nonFiniteSummary(step: step, value: value, node: node, site: site)
                + "; graph with that node in red: \(graph)"
        case .nonFiniteUndrawn(let step, let value, let node, let site, let reason):
            return Self.nonFiniteSummary(step: step, value: value, node: node, site: site)
                + "; the graph could not be drawn: \(reason)"
        case .nothingRecorded(let run):
            return "nothing recorded for \(run) yet: call record(_:_:) before plotting losses"
        case .noGradientStatistics(let run):
            return "no gradient statistics recorded for \(run): create the monitor with `watching: model` and "
                + "call record(_:_:) after backward()"
        case .unknownColumn(let name, let columns):
            let known = columns.isEmpty ? "none" : columns.joined(separator: ", ")
            return "no recorded column \"\(name)\" (recorded: \(known))"
        case .noGradients(let parameters):
            if parameters.isEmpty { return "no parameters to chart the gradient flow of" }
            return "none of the parameters charted has a gradient (\(parameters.joined(separator: ", "))): "
                + "call backward() before plotting the gradient flow"
        }
    }

    private static func nonFiniteSummary(step: Int, value: Double, node: String?, site: String?) -> String {
        var text = "step \(step): the loss is \(value)"
        if let node {
            text += "; the first NaN/Inf came from \(node)"
            text += site.map { ", created by \($0)" } ?? " (no creation site recorded)"
        } else {
            text += "; the loss has no autograd graph to trace it through"
        }
        return text
    }
}
