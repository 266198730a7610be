extension DotGraph {
    /// The id of the legend's node and cluster.
    public static let legendID = "nnviz_legend"

    /// The graph with a small legend box explaining its colours: parameters, functions and outputs
    /// always, and saved tensors, view bases, shared copies, folded steps, anomalies and the
    /// gradient tint when the graph has them.
    ///
    /// ```swift
    /// let explained = graph.withLegend()
    /// ```
    public func withLegend() -> DotGraph {
        guard !contains(node: DotGraph.legendID) else { return self }
        let kinds = Set(nodes.map(\.kind))
        var rows: [(DotColor, String)] = [
            (.lightblue, "parameter (leaf tensor with grad)"),
            (.lightgrey, "backward function"),
            (.darkolivegreen1, "output"),
        ]
        if kinds.contains(.saved) { rows.append((.orange, "saved tensor")) }
        if kinds.contains(.viewBase) { rows.append((.darkolivegreen3, "base of a view output")) }
        if nodes.contains(where: { $0.style?.contains(.dashed) == true }) {
            rows.append((.lightblue, "dashed: one copy per use of a shared leaf"))
        }
        if kinds.contains(.folded) { rows.append((.folded, "×N: identical steps folded")) }
        if nodes.contains(where: \.isAnomaly) { rows.append((.anomaly, "anomaly (NaN or infinity)")) }

        var cells = rows.map { color, text in
            [DotTable.Cell("", background: color, fixedSize: .init(width: 24, height: 12)),
             DotTable.Cell(text, alignment: .left)]
        }
        if nodes.contains(where: { $0.gradientNorm?.isFinite == true }) {
            let scale = [0.0, 0.5, 1.0].compactMap { DotGraph.tint(.lightblue, position: $0) }
            cells.append([DotTable.Cell("", background: scale[0], fixedSize: .init(width: 24, height: 12)),
                          DotTable.Cell("gradient norm: small", alignment: .left)])
            cells.append([DotTable.Cell("", background: scale[2], fixedSize: .init(width: 24, height: 12)),
                          DotTable.Cell("gradient norm: large", alignment: .left)])
        }
        return addingLegendBox(title: "legend", rows: cells)
    }
}

extension DotGraph {
    /// The graph with a legend box: a titled two-column table (swatch, text) in a rounded cluster of its own.
    func addingLegendBox(title: String, rows: [[DotTable.Cell]]) -> DotGraph {
        let table = DotTable(rows: [[DotTable.Cell(title, bold: true, columnSpan: 2)]] + rows, cellSpacing: 3, cellPadding: 1)
        var result = self
        result.add(DotCluster(id: DotGraph.legendID, label: "", style: .rounded, borderColor: "#b0b0b0"))
        var node = DotNode(id: DotGraph.legendID, label: .table(table), kind: .other, shape: .plaintext, style: [])
        node.cluster = DotGraph.legendID
        node.attributes["fontsize"] = 9
        result.add(node)
        return result
    }
}
