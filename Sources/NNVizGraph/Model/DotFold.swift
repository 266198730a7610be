/// The steps one folded `×N` block of a ``DotGraph`` stands for, kept so that a viewer can unfold
/// them (the HTML page expands a block in place when clicked).
///
/// ``DotGraph/collapsingRepeats(minimumRepeats:)`` records one per block. The steps are aligned:
/// position `i` of every step is the same node of the repeated structure, the step's main chain first
/// (``entry`` and ``exit`` are the positions of its first and last main-chain node), then the rest in
/// graph order.
///
/// ```swift
/// let folded = makeDot(loss).collapsingRepeats()
/// for fold in folded.folds { print(fold.id, fold.steps.count) }   // fold_f12 98
/// ```
public struct DotFold: Hashable, Sendable {
    /// The id of the block node standing for the steps.
    public var id: String
    /// Node ids of each folded step, aligned by position.
    public var steps: [[String]]
    /// Every folded node, as it was before folding, steps in order.
    public var nodes: [DotNode]
    /// Edges between folded nodes (within a step and from one step to the next).
    public var edges: [DotEdge]
    /// Position in a step of its first main-chain node, where the previous step comes in.
    public var entry: Int
    /// Position in a step of its last main-chain node, which feeds the next step.
    public var exit: Int

    public init(id: String, steps: [[String]], nodes: [DotNode], edges: [DotEdge], entry: Int, exit: Int) {
        self.id = id
        self.steps = steps
        self.nodes = nodes
        self.edges = edges
        self.entry = entry
        self.exit = exit
    }

    /// The first step as a graph of its own (its nodes and the edges among them), with `graph`'s
    /// defaults: what one unfolded step looks like.
    public func firstStep(in graph: DotGraph) -> DotGraph {
        var step = graph.emptyCopy()
        step.removeClustersAndFolds()
        let members = Set(steps[0])
        for node in nodes where members.contains(node.id) {
            var copy = node
            copy.cluster = nil
            step.add(copy)
        }
        for edge in edges where members.contains(edge.from) && members.contains(edge.to) { step.add(edge) }
        return step
    }
}
