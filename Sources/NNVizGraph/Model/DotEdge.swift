/// One edge of a ``DotGraph``, pointing along the forward data flow as torchviz draws it.
///
/// ```swift
/// let data = DotEdge(from: "f2", to: "f1")                                    // input function → consumer
/// let saved = DotEdge(from: "f1", to: "s4", direction: DotEdge.Direction.none) // function — saved tensor
/// let view = DotEdge(from: "base", to: "out", style: .dotted)                 // view base → view
/// let folded = DotEdge(from: "p", to: "fold", count: 98)                     // drawn with label ×98
/// ```
public struct DotEdge: Hashable, Sendable {
    /// Where Graphviz draws arrowheads (`dir`).
    public enum Direction: String, Hashable, Sendable {
        case forward, back, both, none
    }

    /// Id of the node the edge leaves (the input, in forward data-flow order).
    public var from: String
    /// Id of the node the edge enters.
    public var to: String
    /// `nil` keeps the default (an arrow at `to`); `.none` draws a plain line, as for saved tensors.
    public var direction: Direction?
    public var style: DotStyle?
    public var color: DotColor?
    /// Text beside the edge; when `nil` and ``count`` is above 1 the edge is labelled `×count`.
    public var label: String?
    /// How many uses the edge stands for (parallel uses merged, or uses inside folded steps).
    public var count: Int
    /// Further Graphviz attributes, written after the ones above.
    public var attributes: DotAttributes

    /// An edge from node id `from` to node id `to`; with no options it is an arrow, as torchviz draws.
    public init(from: String, to: String, direction: Direction? = nil, style: DotStyle? = nil,
                color: DotColor? = nil, label: String? = nil, count: Int = 1,
                attributes: DotAttributes = DotAttributes())
    {
        precondition(count >= 1, "an edge stands for at least one use, got \(count)")
        self.from = from
        self.to = to
        self.direction = direction
        self.style = style
        self.color = color
        self.label = label
        self.count = count
        self.attributes = attributes
    }

    /// The label Graphviz draws: ``label``, else `×count` for a count above 1.
    public var displayedLabel: String? { label ?? (count > 1 ? "×\(count)" : nil) }
}
