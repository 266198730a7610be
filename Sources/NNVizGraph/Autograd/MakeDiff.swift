import Foundation
import NNVizCore

/// One graph of two autograd graphs (two models, or one model at two training steps), matched as
/// ``GraphDiff`` describes: nodes only the second graph has are green, nodes only the first has red (dashed),
/// matched nodes that changed amber with the change written under their name, the rest drawn as
/// ``makeDot(_:params:showAttrs:showSaved:maxAttrChars:showShapes:outputNames:)`` draws them. Edges only
/// one graph has are green or red (dashed) too. A legend explains the colours.
///
/// With `gradientRatios`, each parameter both graphs have is coloured by the ratio of its gradient norms
/// (second ÷ first) on a log scale from 100× smaller (red) through equal (white) to 100× larger (blue), and
/// labelled with both norms; run backward on both losses first.
///
/// ```swift
/// let graph = makeDiff(lossA, lossB, paramsA: modelA.namedParameters(), paramsB: modelB.namedParameters())
/// try graph.render(to: "output/diff.png", options: RenderOptions(gradientTint: false))
/// ```
public func makeDiff(_ a: Tensor, _ b: Tensor, paramsA: [(name: String, tensor: Tensor)] = [],
                     paramsB: [(name: String, tensor: Tensor)] = [], gradientRatios: Bool = false) -> DotGraph {
    let diff = GraphDiff(a, b, paramsA: paramsA, paramsB: paramsB)
    var graph = DotGraph.torchviz()
    var ratios: [Double] = []
    for (index, entry) in diff.entries.enumerated() {
        let node = (entry.b ?? entry.a)!
        let id = "d\(index)"
        // A parameter's AccumulateGrad is coloured like it; its parameter node says what changed.
        let changes = node.variable == nil ? entry.changes : []
        var function = DotNode(id: id, label: .text(([node.name] + changes).joined(separator: "\n")),
                               kind: .function, modulePath: node.modulePath, tooltip: node.creationSite)
        DiffStyle.apply(entry.status, to: &function)
        graph.add(function)
        // A parameter: its tensor node above its AccumulateGrad, as makeDot draws it.
        guard let variable = node.variable else { continue }
        let shapeA = entry.a?.variable?.shape, shapeB = entry.b?.variable?.shape
        var lines = [DotBuilder.tensorLabel(entry.parameterName ?? "", variable.shape)]
        if let shapeA, let shapeB, shapeA != shapeB { lines.append("was \(pythonTuple(shapeA))") }
        var parameter = DotNode(id: "p\(index)", label: .text(""), kind: .parameter, groupKey: "p\(index)")
        if gradientRatios, let gradA = entry.a?.variable?.grad, let gradB = entry.b?.variable?.grad {
            let normA = DotBuilder.norm(gradA), normB = DotBuilder.norm(gradB)
            let ratio = normB / normA
            lines.append(String(format: "‖grad‖ %.3g → %.3g", normA, normB))
            lines.append(String(format: "×%.3g", ratio))
            parameter.fillColor = DiffStyle.ratioColor(ratio)
            if ratio.isFinite && ratio > 0 { ratios.append(ratio) }
        } else {
            DiffStyle.apply(entry.status, to: &parameter)
        }
        parameter.label = .text(lines.joined(separator: "\n"))
        graph.add(parameter)
        graph.add(DotEdge(from: parameter.id, to: id))
    }
    for edge in diff.edges {
        var line = DotEdge(from: "d\(edge.from)", to: "d\(edge.to)")
        if !edge.inA { line.color = DiffStyle.addedBorder }
        if !edge.inB { line.color = DiffStyle.removedBorder; line.style = .dashed }
        graph.add(line)
    }
    // The output, below the last node of the second graph (or the first, when the second is empty).
    if let last = diff.entries.lastIndex(where: { $0.b != nil }) ?? diff.entries.indices.last {
        var label = DotBuilder.tensorLabel("", diff.outputShapes.b)
        var output = DotNode(id: "out", label: .text(""), kind: .output)
        if diff.outputShapes.a != diff.outputShapes.b {
            label += "\nwas \(pythonTuple(diff.outputShapes.a))"
            DiffStyle.apply(.changed, to: &output)
        }
        output.label = .text(label)
        graph.add(output)
        graph.add(DotEdge(from: "d\(last)", to: "out"))
    }
    return graph.withDiffLegend(counts: diff.counts, gradientRatios: gradientRatios && !ratios.isEmpty)
}

/// The diff's colours.
enum DiffStyle {
    static let added = DotColor("#a8e6a1")
    static let addedBorder = DotColor("#2e8b2e")
    static let removed = DotColor("#f4a6a6")
    static let removedBorder = DotColor("#c03030")
    static let changed = DotColor("#ffcc66")
    static let changedBorder = DotColor("#b07800")
    /// Gradient ratios: 100× smaller, equal, 100× larger.
    static let fell = DotColor("#d7301f")
    static let equal = DotColor("#f7f7f7")
    static let rose = DotColor("#2b6cb0")

    static func apply(_ status: GraphDiff.Status, to node: inout DotNode) {
        switch status {
        case .unchanged: break
        case .added:
            node.fillColor = added
            node.borderColor = addedBorder
        case .removed:
            node.fillColor = removed
            node.borderColor = removedBorder
            node.style = [.filled, .dashed]
        case .changed:
            node.fillColor = changed
            node.borderColor = changedBorder
            node.penWidth = 2
        }
    }

    /// A ratio of gradient norms on a log scale clamped to 1/100…100: red below 1, white at 1, blue above.
    static func ratioColor(_ ratio: Double) -> DotColor {
        guard ratio.isFinite, ratio > 0 else { return ratio == 0 ? fell : rose }
        let position = min(1, max(-1, log10(ratio) / 2))
        return position < 0 ? equal.mixed(with: fell, amount: -position)! : equal.mixed(with: rose, amount: position)!
    }
}

extension DotGraph {
    /// A legend box for a diff: the statuses with their counts, and the gradient-ratio scale.
    func withDiffLegend(counts: [GraphDiff.Status: Int], gradientRatios: Bool) -> DotGraph {
        let swatch = { (color: DotColor) in DotTable.Cell("", background: color, fixedSize: .init(width: 24, height: 12)) }
        var cells: [[DotTable.Cell]] = [
            [swatch(.lightgrey), DotTable.Cell("unchanged (\(counts[.unchanged] ?? 0))", alignment: .left)],
            [swatch(DiffStyle.changed), DotTable.Cell("changed (\(counts[.changed] ?? 0))", alignment: .left)],
            [swatch(DiffStyle.added), DotTable.Cell("added (\(counts[.added] ?? 0))", alignment: .left)],
            [swatch(DiffStyle.removed), DotTable.Cell("removed (\(counts[.removed] ?? 0))", alignment: .left)],
        ]
        if gradientRatios {
            for (ratio, text) in [(0.01, "gradient ×0.01 (or less)"), (0.1, "gradient ×0.1"), (1.0, "gradient unchanged"),
                                  (10.0, "gradient ×10"), (100.0, "gradient ×100 (or more)")] {
                cells.append([swatch(DiffStyle.ratioColor(ratio)), DotTable.Cell(text, alignment: .left)])
            }
        }
        return addingLegendBox(title: "diff: first → second", rows: cells)
    }
}
