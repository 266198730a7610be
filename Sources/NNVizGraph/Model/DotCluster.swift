/// A labelled box around a group of nodes (a DOT `subgraph cluster_…`), possibly inside another.
///
/// Nodes join a cluster through ``DotNode/cluster``.
///
/// ```swift
/// graph.add(DotCluster(id: "encoder", label: "encoder"))
/// graph.add(DotCluster(id: "encoder.layer1", label: "layer1", parent: "encoder"))
/// graph.update("f3") { $0.cluster = "encoder.layer1" }
/// ```
public struct DotCluster: Hashable, Sendable {
    /// Unique among the graph's clusters; the DOT name is `cluster_` followed by it.
    public var id: String
    /// Text at the top of the box.
    public var label: String
    /// The enclosing cluster's id, or `nil` for the top level.
    public var parent: String?
    public var style: DotStyle?
    public var borderColor: DotColor?
    public var fillColor: DotColor?
    /// Further Graphviz attributes for the subgraph.
    public var attributes: DotAttributes

    /// A cluster drawn as a rounded grey box, the label at the top.
    public init(id: String, label: String, parent: String? = nil, style: DotStyle? = .rounded,
                borderColor: DotColor? = "#808080", fillColor: DotColor? = nil,
                attributes: DotAttributes = DotAttributes())
    {
        self.id = id
        self.label = label
        self.parent = parent
        self.style = style
        self.borderColor = borderColor
        self.fillColor = fillColor
        self.attributes = attributes
    }

    /// The subgraph's DOT name.
    public var dotName: String { "cluster_" + id }
}
