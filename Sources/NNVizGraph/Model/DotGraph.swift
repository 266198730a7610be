/// A directed graph to draw with Graphviz: ordered nodes, edges and clusters, plus default
/// attributes for the graph, its nodes and its edges.
///
/// It is a value: build it, transform it (``splittingSharedLeaves()``, ``collapsingRepeats(minimumRepeats:)``,
/// ``clusteredByModule()``, …), encode it (``dotSource``) or render it (``render(format:options:)``).
/// Order is kept everywhere, so the same graph always gives the same DOT text.
///
/// ```swift
/// var graph = DotGraph.torchviz()
/// graph.add(DotNode(id: "out", label: "\n ()", kind: .output))
/// graph.add(DotNode(id: "f0", label: "MseLossBackward0", kind: .function))
/// graph.add(DotEdge(from: "f0", to: "out"))
/// let png = try graph.render(format: .png)
/// ```
public struct DotGraph: Hashable, Sendable {
    /// How the `size` graph attribute (the largest drawing, in inches) is chosen when encoding.
    public enum SizeRule: Hashable, Sendable {
        /// torchviz's rule: `size="S,S"` with S = max(12, 0.15 × number of node and edge statements).
        case torchviz
        /// A fixed `size="width,height"`.
        case inches(width: Double, height: Double)
        /// No `size` attribute.
        case unbounded
    }

    /// The nodes in the order they were added; ids are unique.
    public private(set) var nodes: [DotNode] = []
    /// The edges in the order they were added. They may name nodes added later; when encoded, an edge
    /// to an id that is not a node makes Graphviz draw a plain node of that name.
    public var edges: [DotEdge] = []
    /// The clusters in the order they were added; a cluster comes after its parent.
    public private(set) var clusters: [DotCluster] = []
    /// What each folded `×N` block stands for (see ``collapsingRepeats(minimumRepeats:)``), in folding order.
    public internal(set) var folds: [DotFold] = []
    /// Graph attributes (`rankdir`, `nodesep`, …), written after `size`.
    public var graphAttributes: DotAttributes
    /// Attributes every node starts with (`node [...]`).
    public var nodeDefaults: DotAttributes
    /// Attributes every edge starts with (`edge [...]`).
    public var edgeDefaults: DotAttributes
    /// How the encoder writes the `size` attribute.
    public var sizeRule: SizeRule

    private var nodeIndex: [String: Int] = [:]
    private var clusterIndex: [String: Int] = [:]

    /// An empty graph.
    public init(graphAttributes: DotAttributes = DotAttributes(), nodeDefaults: DotAttributes = DotAttributes(),
                edgeDefaults: DotAttributes = DotAttributes(), sizeRule: SizeRule = .unbounded)
    {
        self.graphAttributes = graphAttributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
        self.sizeRule = sizeRule
    }

    /// An empty graph with torchviz's defaults: `node [align=left fontname=monospace fontsize=10
    /// height=0.2 ranksep=0.1 shape=box style=filled]` and the torchviz ``SizeRule``.
    ///
    /// ```swift
    /// var graph = DotGraph.torchviz()
    /// ```
    public static func torchviz() -> DotGraph {
        DotGraph(nodeDefaults: ["align": "left", "fontname": "monospace", "fontsize": 10, "height": 0.2,
                                "ranksep": 0.1, "shape": "box", "style": "filled"],
                 sizeRule: .torchviz)
    }

    // MARK: - Building

    /// Adds a node. Its id must not be in the graph yet.
    public mutating func add(_ node: DotNode) {
        precondition(nodeIndex[node.id] == nil, "node id '\(node.id)' is already in the graph")
        nodeIndex[node.id] = nodes.count
        nodes.append(node)
    }

    /// Adds an edge; parallel edges are kept (torchviz draws `a * a` with two).
    public mutating func add(_ edge: DotEdge) {
        edges.append(edge)
    }

    /// Adds a cluster. Its id must be new and its parent, if any, already added.
    public mutating func add(_ cluster: DotCluster) {
        precondition(clusterIndex[cluster.id] == nil, "cluster id '\(cluster.id)' is already in the graph")
        if let parent = cluster.parent {
            precondition(clusterIndex[parent] != nil, "cluster '\(cluster.id)' names unknown parent '\(parent)'")
        }
        clusterIndex[cluster.id] = clusters.count
        clusters.append(cluster)
    }

    /// Changes the node with `id` in place; the change must keep the id.
    ///
    /// ```swift
    /// graph.update("t3") { $0.gradientNorm = 0.42 }
    /// ```
    public mutating func update(_ id: String, _ change: (inout DotNode) -> Void) {
        guard let index = nodeIndex[id] else { preconditionFailure("no node with id '\(id)'") }
        change(&nodes[index])
        precondition(nodes[index].id == id, "update must not change a node's id ('\(id)')")
    }

    /// Drops the clusters and folds (for a graph built from part of another).
    mutating func removeClustersAndFolds() {
        clusters = []
        clusterIndex = [:]
        folds = []
    }

    /// The graph without its nodes and edges, keeping attributes, size rule, clusters and folds.
    func emptyCopy() -> DotGraph {
        var copy = self
        copy.nodes = []
        copy.edges = []
        copy.nodeIndex = [:]
        return copy
    }

    // MARK: - Looking up

    /// The node with `id`, if any.
    public func node(_ id: String) -> DotNode? {
        nodeIndex[id].map { nodes[$0] }
    }

    /// Whether a node has this id.
    public func contains(node id: String) -> Bool { nodeIndex[id] != nil }

    /// The cluster with `id`, if any.
    public func cluster(_ id: String) -> DotCluster? {
        clusterIndex[id].map { clusters[$0] }
    }

    /// Position of the node with `id` in ``nodes``.
    func index(of id: String) -> Int? { nodeIndex[id] }

    /// Number of node and edge statements, which torchviz's size rule counts.
    public var statementCount: Int { nodes.count + edges.count }

    /// The graph as DOT text, the same bytes every time for the same graph.
    public var dotSource: String { DotEncoder().encode(self) }
}
