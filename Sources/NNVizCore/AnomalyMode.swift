import Foundation

/// NaN and Inf tracing, like `torch.autograd.detect_anomaly()` but made for looking at graphs.
///
/// Inside ``AnomalyMode/enabled(_:)`` every backward node records where it was created (the
/// innermost `Module` call site, file and line, and the Swift function that called the op), every
/// op checks its output for NaN/±Inf, and backward checks every gradient a node produces. The
/// verdicts stay on the nodes (`forwardNonFinite`, `backwardNonFinite`), so a graph renderer can
/// find the first bad node and paint it.
///
/// ```swift
/// let loss = AnomalyMode.enabled { criterion(model(x), y) }
/// if let bad = AnomalyMode.firstNonFinite(from: loss) { print(bad.name, bad.creationSite ?? "") }
/// ```
public enum AnomalyMode {
    /// Runs `body` with anomaly tracing on.
    @discardableResult
    public static func enabled<R>(_ body: () throws -> R) rethrows -> R {
        try GraphContext.$current.withValue(GraphContext.current.with(anomaly: true), operation: body)
    }

    /// Whether anomaly tracing is on here.
    public static var isEnabled: Bool { GraphContext.current.anomaly }

    /// The node where non-finite values first appeared: in forward order, the earliest-created node
    /// whose output was not finite while its inputs were; failing that, in backward order, the first
    /// node that turned finite gradients into non-finite ones.
    public static func firstNonFinite(from output: Tensor) -> GradFn? {
        guard let root = output.gradFn else { return nil }
        let nodes = GraphWalk.nodes(from: [root])
        let forward = nodes.filter { node in
            node.forwardNonFinite && !node.nextFunctions.contains { $0?.forwardNonFinite == true }
        }
        if let first = forward.min(by: { $0.sequenceNumber < $1.sequenceNumber }) { return first }
        let backward = nodes.filter(\.backwardNonFinite)
        return backward.max(by: { $0.sequenceNumber < $1.sequenceNumber })
    }

    /// Where a node created now comes from: the innermost traced call site (a `Module` call or a
    /// ``trace(_:file:line:_:)`` scope), or nil outside any.
    /// Sites inside nnviz itself (a `Sequential` calling its layers) are skipped for the innermost one in
    /// the user's code.
    static func callSite(_ context: GraphContext) -> String? {
        context.callSites.last { site in
            guard let range = site.range(of: " at ", options: .backwards) else { return true }
            let module = site[range.upperBound...].prefix { $0 != "/" }
            return !libraryModules.contains(String(module))
        } ?? context.callSites.last
    }

    /// nnviz's own modules, as `#fileID` names them (a user's module may also start with "NNViz").
    private static let libraryModules: Set<String> = ["NNVizCore", "NNVizNN", "NNVizGraph", "NNVizPlot", "NNViz", "NNVizCLI"]

    /// Runs `body` with its nodes attributed to `label` at this file and line (anomaly mode only;
    /// `Module` calls do this by themselves).
    ///
    /// ```swift
    /// let loss = AnomalyMode.trace("loss") { criterion(output, target) }
    /// ```
    @discardableResult
    public static func trace<R>(_ label: String, file: String = #fileID, line: Int = #line,
                                _ body: () throws -> R) rethrows -> R {
        let context = GraphContext.current
        guard context.anomaly else { return try body() }
        return try GraphContext.$current.withValue(context.with(callSites: context.callSites + ["\(label) at \(file):\(line)"]),
                                                   operation: body)
    }
}
