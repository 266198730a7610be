extension DotGraph {
    /// Positions of the nodes on the main chain: the longest path that avoids leaves and saved
    /// tensors (see ``RepeatDetection``); empty when the edges form a cycle.
    func mainChain() -> [Int] {
        let topology = GraphTopology(self)
        guard let order = topology.topologicalOrder() else { return [] }
        let attachments = Attachments(self, topology)
        return topology.longestPath(order: order, through: attachments.isAttachment.map { !$0 })
    }

    /// The graph with its main chain drawn as one straight line (the Graphviz `group` attribute),
    /// which keeps long graphs narrow instead of drifting sideways step after step.
    ///
    /// ```swift
    /// let tall = graph.straighteningMainChain()
    /// ```
    public func straighteningMainChain() -> DotGraph {
        var result = self
        for position in mainChain() {
            result.update(nodes[position].id) { $0.attributes["group"] = "main" }
        }
        return result
    }
}
