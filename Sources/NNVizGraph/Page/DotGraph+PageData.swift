import NNVizCore

extension DotGraph {
    /// The graph as one JSON object, the data the HTML page shows and `nnviz graph --format json` writes.
    ///
    /// Call it on the graph as drawn (``prepared(for:)``), so that nodes and edges are the drawing's.
    /// Keys come in a fixed order and numbers in Swift's shortest round-trip form, so the same graph
    /// always gives the same bytes. Strings escape `<`, `>`, `&`, `'` and all non-ASCII as `\uXXXX`.
    ///
    /// Schema (version 1; a key whose value is unknown is left out):
    /// ```text
    /// { "format": "nnviz-graph", "version": 1,
    ///   "direction": "TB" | "LR",
    ///   "nodes": [ {                         // drawn nodes first, then the nodes inside folds
    ///       "id": "f3",                       // DOT id; the SVG element is id="node_f3"
    ///       "kind": "parameter" | "input" | "function" | "output" | "saved" | "viewBase" | "folded" | "other",
    ///       "label": "AddmmBackward0",        // the drawn text, lines joined by "\n"
    ///       "op": "AddmmBackward0",           // functions: PyTorch's name
    ///       "name": "fc.weight",              // tensors: parameter, output or saved name
    ///       "shape": [1, 32], "dtype": "torch.float32",
    ///       "stats": { "count": 32, "min": -0.9, "max": 0.8, "mean": 0.01, "std": 0.4, "nan": 0, "inf": 0 },
    ///       "gradNorm": 0.013,                // "nan" / "inf" when not finite
    ///       "module": "rnn",
    ///       "attributes": [ {"name": "alpha", "value": "1"} ],
    ///       "saved": [ {"name": "mat1", "value": "(4, 32)"} ],
    ///       "source": "layer 'fc' (linear) at samples/sine_rnn.yaml:7",
    ///       "anomaly": true, "firstNonFinite": "forward" | "backward",
    ///       "group": "t3",                    // copies of one shared leaf share it
    ///       "cluster": "rnn",
    ///       "fold": "fold_f40", "step": 0 } ],  // nodes inside a fold: which block, which folded step
    ///   "edges": [ { "from": "f2", "to": "f3", // drawn edges first (edge i is SVG id="edge_i"), then fold edges
    ///       "kind": "data" | "saved" | "view", "count": 98, "label": "(4, 32)", "fold": "fold_f40" } ],
    ///   "clusters": [ { "id": "rnn", "label": "rnn", "parent": "encoder" } ],
    ///   "folds": [ { "id": "fold_f40", "repeats": 98, "entry": 0, "exit": 5, "steps": [["f40", …], …] } ] }
    /// ```
    ///
    /// ```swift
    /// let json = makeDot(loss).prepared().pageData
    /// ```
    public var pageData: String { pageDataValue.encoded }

    var pageDataValue: JSONText {
        var nodeValues = nodes.map { DotGraph.json($0, fold: nil, step: nil) }
        var edgeValues = edges.map { DotGraph.json($0, fold: nil) }
        for fold in folds {
            var stepOf: [String: Int] = [:]
            for (step, ids) in fold.steps.enumerated() { for id in ids { stepOf[id] = step } }
            nodeValues += fold.nodes.map { DotGraph.json($0, fold: fold.id, step: stepOf[$0.id]) }
            edgeValues += fold.edges.map { DotGraph.json($0, fold: fold.id) }
        }
        let direction = graphAttributes["rankdir"]?.text ?? "TB"
        let clusterValues: [JSONText] = clusters.map { cluster in
            let members: [(String, JSONText?)] = [("id", .string(cluster.id)), ("label", .string(cluster.label)),
                                                  ("parent", cluster.parent.map(JSONText.string))]
            return .object(members)
        }
        let foldValues: [JSONText] = folds.map { fold in
            let steps: [JSONText] = fold.steps.map { .array($0.map(JSONText.string)) }
            let members: [(String, JSONText?)] = [("id", .string(fold.id)), ("repeats", .int(fold.steps.count)),
                                                  ("entry", .int(fold.entry)), ("exit", .int(fold.exit)),
                                                  ("steps", .array(steps))]
            return .object(members)
        }
        let members: [(String, JSONText?)] = [
            ("format", .string("nnviz-graph")), ("version", .int(1)), ("direction", .string(direction)),
            ("nodes", .array(nodeValues)), ("edges", .array(edgeValues)),
            ("clusters", .array(clusterValues)), ("folds", .array(foldValues)),
        ]
        return .object(members)
    }

    private static func json(_ node: DotNode, fold: String?, step: Int?) -> JSONText {
        let details = node.details
        let kind = node.kind == .parameter && details?.isParameter == false ? "input" : node.kind.rawValue
        func entries(_ list: [NodeDetails.Entry]?) -> JSONText? {
            guard let list, !list.isEmpty else { return nil }
            return .array(list.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })
        }
        func text(_ value: String?) -> JSONText? { value.map(JSONText.string) }
        var members: [(String, JSONText?)] = [("id", .string(node.id)), ("kind", .string(kind))]
        members.append(("label", .string(node.label.lines.joined(separator: "\n"))))
        members.append(("op", text(details?.operation)))
        members.append(("name", text(details?.name)))
        let shape: JSONText? = details?.shape.map { .array($0.map(JSONText.int)) }
        members.append(("shape", shape))
        members.append(("dtype", text(details?.dtype?.description)))
        let statistics: JSONText? = details?.statistics.map(json)
        members.append(("stats", statistics))
        let norm: JSONText? = node.gradientNorm.map(JSONText.number)
        members.append(("gradNorm", norm))
        members.append(("module", text(node.modulePath)))
        members.append(("attributes", entries(details?.attributes)))
        members.append(("saved", entries(details?.saved)))
        members.append(("source", text(details?.source)))
        members.append(("anomaly", node.isAnomaly ? JSONText.bool(true) : nil))
        members.append(("firstNonFinite", text(details?.firstNonFinite)))
        members.append(("group", text(node.groupKey == node.id ? nil : node.groupKey)))
        members.append(("cluster", text(node.cluster)))
        members.append(("fold", text(fold)))
        let position: JSONText? = step.map(JSONText.int)
        members.append(("step", position))
        return .object(members)
    }

    private static func json(_ statistics: ValueStatistics) -> JSONText {
        func number(_ value: Double?) -> JSONText? { value.map(JSONText.number) }
        let members: [(String, JSONText?)] = [
            ("count", .int(statistics.count)), ("min", number(statistics.min)), ("max", number(statistics.max)),
            ("mean", number(statistics.mean)), ("std", number(statistics.std)),
            ("nan", .int(statistics.nanCount)), ("inf", .int(statistics.infCount)),
        ]
        return .object(members)
    }

    private static func json(_ edge: DotEdge, fold: String?) -> JSONText {
        let kind = edge.direction == DotEdge.Direction.none ? "saved" : edge.style == .dotted ? "view" : "data"
        let members: [(String, JSONText?)] = [
            ("from", .string(edge.from)), ("to", .string(edge.to)), ("kind", .string(kind)),
            ("count", edge.count > 1 ? JSONText.int(edge.count) : nil),
            ("label", edge.label.map(JSONText.string)), ("fold", fold.map(JSONText.string)),
        ]
        return .object(members)
    }
}
