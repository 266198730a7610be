import Foundation

extension DotGraph {
    /// The graph with anomalous nodes (``DotNode/isAnomaly``, or a non-finite gradient norm) drawn
    /// red with a thick dark-red border.
    ///
    /// ```swift
    /// let marked = graph.highlightingAnomalies()
    /// ```
    public func highlightingAnomalies() -> DotGraph {
        var result = self
        for node in nodes where node.isAnomaly || node.gradientNorm.map({ !$0.isFinite }) == true {
            result.update(node.id) {
                $0.isAnomaly = true
                $0.fillColor = .anomaly
                $0.borderColor = .anomalyBorder
                $0.penWidth = 2
            }
        }
        return result
    }

    /// The graph with each node that has a gradient norm tinted by it: on a log scale over the
    /// graph's norms, the smallest get a washed-out version of the node's colour and the largest a
    /// deep one (a zero norm counts as the smallest). The norm goes into the node's tooltip.
    ///
    /// ```swift
    /// graph.update("t3") { $0.gradientNorm = 1e-7 }
    /// let tinted = graph.tintingByGradient()
    /// ```
    public func tintingByGradient() -> DotGraph {
        let logs = nodes.compactMap(\.gradientNorm).filter { $0.isFinite && $0 > 0 }.map { log10($0) }
        guard let low = logs.min(), let high = logs.max() else { return self }
        let baseFill = DotColor(nodeDefaults["fillcolor"]?.text ?? DotColor.lightgrey.name)
        var result = self
        for node in nodes {
            guard let norm = node.gradientNorm, norm.isFinite, !node.isAnomaly else { continue }
            let position = norm > 0 && high > low ? (log10(norm) - low) / (high - low) : (norm > 0 ? 1 : 0)
            let base = node.fillColor ?? baseFill
            result.update(node.id) {
                $0.fillColor = DotGraph.tint(base, position: position) ?? base
                let reading = String(format: "gradient norm %.3g", norm)
                $0.tooltip = $0.tooltip.map { $0 + "\n" + reading } ?? reading
            }
        }
        return result
    }

    /// `base` washed out toward white for `position` 0, unchanged at 0.5 and darkened at 1.
    static func tint(_ base: DotColor, position: Double) -> DotColor? {
        if position < 0.5 { return base.mixed(with: .white, amount: 0.8 * (0.5 - position) * 2) }
        return base.mixed(with: "#1a1a40", amount: 0.3 * (position - 0.5) * 2)
    }
}
