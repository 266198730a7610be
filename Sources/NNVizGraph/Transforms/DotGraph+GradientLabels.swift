import Foundation

extension DotGraph {
    /// The graph with each parameter's gradient norm written under its name (`‖grad‖ 3.2e-04`), so a
    /// vanishing or exploding gradient can be read off as well as seen in the tint.
    ///
    /// ```swift
    /// loss.backward()
    /// let graph = makeDot(loss, params: model.namedParameters()).labellingGradientNorms()
    /// ```
    public func labellingGradientNorms() -> DotGraph {
        var result = self
        for node in nodes where node.kind == .parameter {
            guard let norm = node.gradientNorm else { continue }
            result.update(node.id) { $0.label = $0.label.appending(line: String(format: "‖grad‖ %.3g", norm)) }
        }
        return result
    }
}
