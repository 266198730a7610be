/// The leaves of a graph and the nodes that only pass them on: a node without inputs (a parameter)
/// followed by nodes with one input and one output (its `AccumulateGrad`), up to
/// ``maximumLength`` nodes. The last node of a chain feeds the rest of the graph.
struct LeafChains {
    /// Longer chains are real computations rather than a leaf being handed over, and copying
    /// them per use would multiply work in the drawing; they are left alone.
    static let maximumLength = 3

    /// Each chain's node positions, source first, ordered by source position.
    let chains: [[Int]]
    /// For each node position, the index of the chain holding it, if any.
    let chainOfNode: [Int?]

    init(_ graph: DotGraph, _ topology: GraphTopology) {
        var chains: [[Int]] = []
        var chainOfNode = [Int?](repeating: nil, count: graph.nodes.count)
        for source in graph.nodes.indices where topology.incoming[source].isEmpty {
            var chain = [source]
            while chain.count < LeafChains.maximumLength {
                let last = chain[chain.count - 1]
                let next = topology.successors(of: last)
                guard next.count == 1, let candidate = next.first, !chain.contains(candidate),
                      topology.predecessors(of: candidate) == [last],
                      !topology.successors(of: candidate).isEmpty
                else { break }
                chain.append(candidate)
            }
            guard !topology.successors(of: chain[chain.count - 1]).isEmpty else { continue }
            for node in chain { chainOfNode[node] = chains.count }
            chains.append(chain)
        }
        self.chains = chains
        self.chainOfNode = chainOfNode
    }
}
