extension DotGraph {
    /// The graph as an interactive HTML page (see ``GraphPage``): prepared and laid out as
    /// ``render(format:options:)`` draws it, in SVG, with the data of ``pageData``.
    ///
    /// Folded `×N` blocks expand in the browser into N translated copies of one step, which Graphviz
    /// lays out once, here, as a small graph of its own. The alternative, laying out the whole unfolded
    /// graph and embedding it, costs about a minute of layout for a 1,000-step RNN (14,000 nodes) and a
    /// drawing that ten times the page's size; one step takes milliseconds and the browser copies it in
    /// well under a second. The price: the expanded steps are stacked along the rank direction next to
    /// what surrounds the block instead of being placed by Graphviz among it, and an edge from outside
    /// the block to a step inside it stays drawn to the block's first step.
    ///
    /// ```swift
    /// try makeDot(loss, params: model.namedParameters()).page(title: "model").write(to: "model.html")
    /// ```
    /// - Throws: ``GraphvizError`` when Graphviz cannot lay out the graph.
    public func page(options: RenderOptions = RenderOptions(), title: String = "autograd graph") throws -> GraphPage {
        let drawn = prepared(for: options).forPage()
        let svg = String(decoding: try Graphviz.render(dot: drawn.dotSource, format: .svg), as: UTF8.self)
        var stepOptions = options
        stepOptions.collapse = .none
        stepOptions.legend = false
        stepOptions.clusterModules = false
        var templates: [(id: String, svg: String)] = []
        for fold in drawn.folds {
            let step = fold.firstStep(in: self).prepared(for: stepOptions).forPage()
            templates.append((fold.id, String(decoding: try Graphviz.render(dot: step.dotSource, format: .svg), as: UTF8.self)))
        }
        return GraphPage(title: title, svg: svg, data: drawn.pageData, foldTemplates: templates)
    }

    /// The prepared graph with the SVG ids the page's script finds elements by (`node_<id>`,
    /// `edge_<index>`) and no `size` bound (the page zooms).
    func forPage() -> DotGraph {
        var graph = self
        graph.sizeRule = .unbounded
        for node in nodes { graph.update(node.id) { $0.attributes["id"] = .text("node_" + node.id) } }
        for index in graph.edges.indices { graph.edges[index].attributes["id"] = .text("edge_\(index)") }
        return graph
    }
}

extension GraphPage {
    /// Writes ``html`` through a temporary file and a rename, so `path` never holds a partial page.
    ///
    /// - Throws: ``GraphvizError/missingDirectory(path:directory:)`` or ``GraphvizError/writeFailed(path:reason:)``.
    public func write(to path: String) throws {
        try DotGraph.checkDirectory(of: path)
        try DotGraph.writeWhole(Array(html.utf8), to: path)
    }
}
