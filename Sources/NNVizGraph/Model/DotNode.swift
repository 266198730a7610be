/// One node of a ``DotGraph``: what Graphviz draws (label, colour, shape, style) and what the node
/// means (``Kind``, the parameter it stands for, its module, its gradient), which the readability
/// transforms and the legend use.
///
/// The fill colour defaults to torchviz's colour for the kind.
///
/// ```swift
/// let weight = DotNode(id: "t3", label: "fc1.weight\n (2, 3)", kind: .parameter,
///                      groupKey: "t3", modulePath: "fc1")
/// let accumulate = DotNode(id: "f7", label: "AccumulateGrad", kind: .function)
/// weight.fillColor    // .lightblue
/// ```
public struct DotNode: Hashable, Sendable {
    /// What a node stands for in an autograd graph.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A leaf tensor that requires grad (a parameter or an input with `requires_grad`).
        case parameter
        /// A backward function (`AddmmBackward0`, `AccumulateGrad`, …).
        case function
        /// An output tensor.
        case output
        /// A tensor a backward function saved (with `show_saved`).
        case saved
        /// The base of an output that is a view.
        case viewBase
        /// A block standing for repeated steps folded by ``DotGraph/collapsingRepeats(minimumRepeats:)``.
        case folded
        /// Anything else.
        case other

        /// torchviz's fill colour for the kind; `nil` leaves Graphviz's default (light grey).
        public var defaultFillColor: DotColor? {
            switch self {
            case .parameter: return .lightblue
            case .output: return .darkolivegreen1
            case .saved: return .orange
            case .viewBase: return .darkolivegreen3
            case .folded: return .folded
            case .function, .other: return nil
            }
        }
    }

    // MARK: - Drawing

    /// The node's DOT name: unique in its graph and stable from run to run.
    public var id: String
    /// Plain text (torchviz writes `name\n shape`) or an HTML-like table.
    public var label: DotLabel
    /// Fill colour; `nil` writes no `fillcolor` (Graphviz fills light grey under `style=filled`).
    public var fillColor: DotColor?
    /// Border colour; `nil` keeps the default (black).
    public var borderColor: DotColor?
    /// Border width in points; `nil` keeps the default (1).
    public var penWidth: Double?
    /// Shape; `nil` keeps the graph's node default.
    public var shape: DotShape?
    /// Style; `nil` keeps the graph's node default (torchviz: `filled`).
    public var style: DotStyle?
    /// Text shown on hover in SVG output.
    public var tooltip: String?
    /// The enclosing cluster's ``DotCluster/id``, or `nil` for the top level.
    public var cluster: String?
    /// Further Graphviz attributes, written after the ones above.
    public var attributes: DotAttributes

    // MARK: - Meaning

    /// What the node stands for; the transforms and the legend read it.
    public var kind: Kind
    /// Identity of what the node stands for, shared by every copy of it: two nodes with the same key
    /// are the same parameter. Transforms that copy a node keep its key (or its id when it has none).
    public var groupKey: String?
    /// Dotted path of the module the node belongs to (`"encoder.layer1"`), used for clusters.
    public var modulePath: String?
    /// Norm of the gradient the node carries, used to tint it.
    public var gradientNorm: Double?
    /// Whether the node holds a NaN or an infinity (drawn red).
    public var isAnomaly: Bool
    /// What the node stands for in detail (shape, statistics, saved values, …), shown by the HTML page and
    /// written by the JSON format, never drawn.
    public var details: NodeDetails?

    /// A node; `fillColor` defaults to ``Kind/defaultFillColor``.
    public init(id: String, label: DotLabel, kind: Kind = .other, fillColor: DotColor? = nil,
                shape: DotShape? = nil, style: DotStyle? = nil, groupKey: String? = nil,
                modulePath: String? = nil, gradientNorm: Double? = nil, isAnomaly: Bool = false,
                tooltip: String? = nil, attributes: DotAttributes = DotAttributes(), details: NodeDetails? = nil)
    {
        self.id = id
        self.label = label
        self.kind = kind
        self.fillColor = fillColor ?? kind.defaultFillColor
        self.shape = shape
        self.style = style
        self.groupKey = groupKey
        self.modulePath = modulePath
        self.gradientNorm = gradientNorm
        self.isAnomaly = isAnomaly
        self.tooltip = tooltip
        self.attributes = attributes
        self.details = details
    }

    /// The key that identifies what the node stands for: ``groupKey``, or the id when there is none.
    public var identity: String { groupKey ?? id }
}
