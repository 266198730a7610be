extension DotGraph {
    /// The graph with a separate copy of each shared leaf for every node that uses it.
    ///
    /// A leaf is a node without inputs together with the nodes that only pass it on (a parameter and
    /// its `AccumulateGrad`). When its last node feeds k > 1 distinct nodes, the chain is replaced by
    /// k copies, one per consumer, placed just before that consumer. Copies keep the colour and the
    /// ``DotNode/groupKey`` (set to the original's ``DotNode/identity``), get a dashed border, and the
    /// first node's label gains a line `shared ×n` with n the number of uses.
    ///
    /// This is what keeps big graphs drawable: a parameter used by every step of an unrolled RNN
    /// otherwise sends an edge across the whole drawing to each step, and Graphviz's layout time
    /// explodes with those long edges.
    ///
    /// ```swift
    /// let graph = makeDot(loss).splittingSharedLeaves()
    /// ```
    public func splittingSharedLeaves() -> DotGraph {
        let topology = GraphTopology(self)
        let leaves = LeafChains(self, topology)

        // Consumers of each shared chain, in order of their first edge.
        var consumersOfChain: [Int: [Int]] = [:]
        for (index, chain) in leaves.chains.enumerated() {
            let consumers = topology.successors(of: chain[chain.count - 1])
            if consumers.count > 1 { consumersOfChain[index] = consumers }
        }
        guard !consumersOfChain.isEmpty else { return self }

        var usedIDs = Set(nodes.map(\.id))
        func freshID(_ base: String, _ copy: Int) -> String {
            var id = "\(base)~\(copy)"
            while usedIDs.contains(id) { id += "~" }
            usedIDs.insert(id)
            return id
        }

        // Copy i of a chain: new ids for its nodes, keyed by (chain, consumer).
        var copyIDs: [Int: [Int: [String]]] = [:]
        var copiesBeforeConsumer: [Int: [DotNode]] = [:]
        var replaced = Set<Int>()
        let baseStyle = DotStyle(dotText: nodeDefaults["style"]?.text ?? "")
        for (chainIndex, chain) in leaves.chains.enumerated() {
            guard let consumers = consumersOfChain[chainIndex] else { continue }
            let end = chain[chain.count - 1]
            let uses = topology.outgoing[end].reduce(0) { $0 + edges[$1].count }
            replaced.formUnion(chain)
            for (copy, consumer) in consumers.enumerated() {
                var ids: [String] = []
                for (position, original) in chain.enumerated() {
                    var node = nodes[original]
                    node.groupKey = node.identity
                    node.id = freshID(node.id, copy + 1)
                    node.style = (node.style ?? baseStyle).union(.dashed)
                    if position == 0 { node.label = node.label.appending(line: "shared ×\(uses)") }
                    ids.append(node.id)
                    copiesBeforeConsumer[consumer, default: []].append(node)
                }
                copyIDs[chainIndex, default: [:]][consumer] = ids
            }
        }

        var result = emptyCopy()
        for (position, node) in nodes.enumerated() {
            for copy in copiesBeforeConsumer[position] ?? [] { result.add(copy) }
            if !replaced.contains(position) { result.add(node) }
        }
        var copiedInternals = Set<[Int]>()
        for (index, edge) in edges.enumerated() {
            guard let ends = topology.ends[index], let chainIndex = leaves.chainOfNode[ends.from],
                  consumersOfChain[chainIndex] != nil
            else {
                result.add(edge)
                continue
            }
            let chain = leaves.chains[chainIndex]
            // Edges inside the chain are written with each copy, before the copy's edge to its consumer.
            guard ends.from == chain[chain.count - 1], let ids = copyIDs[chainIndex]?[ends.to] else { continue }
            if copiedInternals.insert([chainIndex, ends.to]).inserted {
                for (step, original) in chain.dropLast().enumerated() {
                    for link in topology.outgoing[original] {
                        var copy = edges[link]
                        copy.from = ids[step]
                        copy.to = ids[step + 1]
                        result.add(copy)
                    }
                }
            }
            var redirected = edge
            redirected.from = ids[ids.count - 1]
            result.add(redirected)
        }
        return result
    }
}
