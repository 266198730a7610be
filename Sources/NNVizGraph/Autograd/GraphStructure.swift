/// A graph reduced to what its picture shows — node labels with their fill colours, edges with their
/// direction, and how the nodes are wired — so that two graphs drawn by different tools compare equal
/// when they draw the same network, whatever ids their nodes have. This is what
/// `../shared/tools/dotcompare.py` compares: nnviz's tests hold every makeDot graph against torchviz's
/// `make_dot` this way, and a training script can pin its model's graph the same way.
///
/// Labels are compared line by line with runs of spaces folded; colours by their RGB value (`lightblue`
/// and `#add8e6` are equal; a node without a fill colour is torchviz's `lightgrey`). The wiring is a
/// Weisfeiler–Lehman refinement: four rounds in which every node's signature takes in its neighbours'
/// signatures and edge directions, hashed with 64-bit FNV-1a, so it is the same in every process.
///
/// ```swift
/// let torchviz = GraphStructure(nodes: ["a": ("AddmmBackward0", nil), "b": ("fc.bias\n (1)", "lightblue")],
///                               edges: [(from: "b", to: "a", direction: "")])
/// #expect(GraphStructure(makeDot(y, params: model.namedParameters())) == torchviz)
/// ```
public struct GraphStructure: Equatable, Sendable {
    /// Every node as `label colour`, sorted.
    public let nodes: [String]
    /// Every edge as `tail -> head direction`, described by its ends' nodes, sorted.
    public let edges: [String]
    /// Every node's wiring signature, sorted.
    public let wiring: [UInt64]

    /// A graph given by node ids with their label and fill colour (a name or `#rrggbb`; nil: unfilled), and
    /// edges between ids with their `dir` attribute (`""`, or `"none"` for a saved tensor's edge).
    public init(nodes: [String: (label: String, fillColor: String?)],
                edges: [(from: String, to: String, direction: String)]) {
        var description: [String: String] = [:]
        for (id, node) in nodes { description[id] = Self.label(node.label) + " " + Self.colour(node.fillColor) }
        self.nodes = description.values.sorted()
        self.edges = edges.map { "\(description[$0.from] ?? $0.from) -> \(description[$0.to] ?? $0.to) \($0.direction)" }.sorted()

        var incoming: [String: [(String, String)]] = [:], outgoing: [String: [(String, String)]] = [:]
        for edge in edges {
            incoming[edge.to, default: []].append((edge.from, edge.direction))
            outgoing[edge.from, default: []].append((edge.to, edge.direction))
        }
        var hash = description.mapValues { Self.fnv1a($0) }
        for _ in 0..<4 {
            var next: [String: UInt64] = [:]
            for id in description.keys {
                let inputs = (incoming[id] ?? []).map { "\(hash[$0.0] ?? Self.fnv1a($0.0))\($0.1)" }.sorted().joined(separator: ",")
                let outputs = (outgoing[id] ?? []).map { "\(hash[$0.0] ?? Self.fnv1a($0.0))\($0.1)" }.sorted().joined(separator: ",")
                next[id] = Self.fnv1a("\(hash[id]!)|in:\(inputs)|out:\(outputs)")
            }
            hash = next
        }
        wiring = hash.values.sorted()
    }

    /// The structure of a graph nnviz built (``makeDot(_:params:showAttrs:showSaved:maxAttrChars:showShapes:outputNames:)``).
    public init(_ graph: DotGraph) {
        var nodes: [String: (label: String, fillColor: String?)] = [:]
        for node in graph.nodes { nodes[node.id] = (node.label.lines.joined(separator: "\n"), node.fillColor?.name) }
        self.init(nodes: nodes, edges: graph.edges.map {
            (from: $0.from, to: $0.to, direction: $0.direction == DotEdge.Direction.none ? "none" : "")
        })
    }

    /// Label lines with runs of spaces folded, empty lines dropped, joined by ` | `.
    static func label(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }.joined(separator: " | ")
    }

    /// The colours torchviz and makeDot use, by RGB value.
    static func colour(_ name: String?) -> String {
        let named = ["lightblue": "#add8e6", "darkolivegreen1": "#caff70", "orange": "#ffa500", "lightgrey": "#d3d3d3",
                     "darkolivegreen3": "#a2cd5a"]
        guard let name, !name.isEmpty else { return "#d3d3d3" }
        return named[name] ?? name
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
