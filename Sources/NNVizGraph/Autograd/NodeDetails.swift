import NNVizCore

/// What a node stands for beyond its drawing, for viewers that show it on demand (the HTML page's
/// panel, the JSON written by `--format json`): the operation, the tensor's name, shape and dtype, the
/// statistics of its values, what a backward function saved, and where it was created.
///
/// ``makeDot(_:params:showAttrs:showSaved:maxAttrChars:showShapes:outputNames:)`` fills it for every
/// node, whatever `showAttrs` and `showSaved` say: the picture stays uncluttered, the panel lists all.
///
/// ```swift
/// let node = makeDot(loss).nodes.first { $0.kind == .function }!
/// print(node.details?.operation ?? "", node.details?.shape ?? [])   // MseLossBackward0 []
/// ```
public struct NodeDetails: Hashable, Sendable {
    /// One saved entry: a name and its value as torchviz prints it (`(2, 3)` for a saved tensor's shape).
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// PyTorch's name of the backward function (`AddmmBackward0`); `nil` for tensors.
    public var operation: String?
    /// The tensor's name: the parameter's dotted name, an output's name, or the saved attribute's name.
    public var name: String?
    /// Whether the node is a named parameter (from `params`), not some other leaf that requires grad.
    public var isParameter: Bool
    /// Shape of the tensor the node stands for or produced.
    public var shape: [Int]?
    /// Element type, when known (tensors always; functions when statistics were recorded).
    public var dtype: DType?
    /// Statistics of the values (tensors always; functions inside ``StatisticsMode/enabled(_:)``).
    public var statistics: ValueStatistics?
    /// Saved non-tensor attributes (what `showAttrs` draws).
    public var attributes: [Entry]
    /// Saved tensors by shape (what `showSaved` draws).
    public var saved: [Entry]
    /// Where the node was created (anomaly mode's call site), e.g. `layer 'rnn' (rnn) at model.yaml:5`.
    public var source: String?
    /// For the anomaly node: `"forward"` or `"backward"`, where the first NaN/Inf appeared.
    public var firstNonFinite: String?

    public init(operation: String? = nil, name: String? = nil, isParameter: Bool = false, shape: [Int]? = nil,
                dtype: DType? = nil, statistics: ValueStatistics? = nil, attributes: [Entry] = [], saved: [Entry] = [],
                source: String? = nil, firstNonFinite: String? = nil)
    {
        self.operation = operation
        self.name = name
        self.isParameter = isParameter
        self.shape = shape
        self.dtype = dtype
        self.statistics = statistics
        self.attributes = attributes
        self.saved = saved
        self.source = source
        self.firstNonFinite = firstNonFinite
    }
}
