extension DotGraph {
    /// The graph with runs of identical repeated steps folded into one block each.
    ///
    /// Steps are found along the main chain (see ``RepeatDetection``): for an RNN cell unrolled T
    /// times each time step is one step. In a run of at least `minimumRepeats` identical steps the
    /// first and last stay as they are and the ones between become a single node of kind `.folded`
    /// labelled `×N steps, each:` and the functions one step holds, drawn with a double border. Edges into or out of the folded
    /// steps go to the block, merged per neighbour, with ``DotEdge/count`` telling how many they
    /// stand for (so a parameter used by each folded step gets one edge labelled `×N`). Steps holding
    /// an anomaly differ from the others and stay expanded. Folding repeats until nothing is left
    /// to fold, at most four times. Each block's steps are kept in ``folds``, for viewers that unfold them.
    ///
    /// ```swift
    /// let readable = makeDot(loss).collapsingRepeats()   // 100 RNN steps → step, ×98 block, step
    /// ```
    public func collapsingRepeats(minimumRepeats: Int = 4) -> DotGraph {
        precondition(minimumRepeats >= 3, "folding needs at least 3 repeats (first, folded, last), got \(minimumRepeats)")
        var graph = self
        for _ in 0..<4 {
            var detection = RepeatDetection(graph)
            let runs = detection.runs(minimumRepeats: minimumRepeats)
            guard !runs.isEmpty else { break }
            graph = graph.folding(runs)
        }
        return graph
    }

    // MARK: - Folding

    private func folding(_ runs: [RepeatDetection.Run]) -> DotGraph {
        var usedIDs = Set(nodes.map(\.id))
        var blockOfNode: [Int: Int] = [:]
        var blocks: [DotNode] = []
        var folds: [DotFold] = []
        for run in runs {
            let folded = run.steps.dropFirst().dropLast()
            let members = folded.flatMap { $0 }.sorted()
            guard let first = members.first else { continue }
            for node in members { blockOfNode[node] = blocks.count }
            var id = "fold_" + nodes[first].id
            while usedIDs.contains(id) { id += "~" }
            usedIDs.insert(id)
            blocks.append(block(id: id, steps: Array(folded), chainLabels: run.chainLabels))
            folds.append(fold(id: id, steps: Array(folded), chains: Array(run.chains.dropFirst().dropLast())))
        }

        var result = emptyCopy()
        result.folds.append(contentsOf: folds)
        var placed = Set<Int>()
        for (position, node) in nodes.enumerated() {
            if let block = blockOfNode[position] {
                if placed.insert(block).inserted { result.add(blocks[block]) }
            } else {
                result.add(node)
            }
        }
        // Edges touching folded nodes go to the block; parallel ones merge, adding up their counts.
        var mergedIndex: [MergeKey: Int] = [:]
        let topology = GraphTopology(self)
        for (index, edge) in edges.enumerated() {
            guard let ends = topology.ends[index] else {
                result.add(edge)
                continue
            }
            let fromBlock = blockOfNode[ends.from], toBlock = blockOfNode[ends.to]
            if fromBlock == nil, toBlock == nil {
                result.add(edge)
                continue
            }
            if let fromBlock, fromBlock == toBlock {
                result.folds[self.folds.count + fromBlock].edges.append(edge)
                continue
            }
            var redirected = edge
            if let fromBlock { redirected.from = blocks[fromBlock].id }
            if let toBlock { redirected.to = blocks[toBlock].id }
            let key = MergeKey(from: redirected.from, to: redirected.to, direction: edge.direction, style: edge.style)
            if let existing = mergedIndex[key] {
                result.edges[existing].count += edge.count
            } else {
                mergedIndex[key] = result.edges.count
                result.add(redirected)
            }
        }
        return result
    }

    private struct MergeKey: Hashable {
        var from: String
        var to: String
        var direction: DotEdge.Direction?
        var style: DotStyle?
    }

    /// What a block stands for: its steps aligned (main chain first, then the rest in graph order).
    private func fold(id: String, steps: [[Int]], chains: [[Int]]) -> DotFold {
        let aligned = zip(steps, chains).map { step, chain in
            let onChain = Set(chain)
            return chain + step.filter { !onChain.contains($0) }
        }
        return DotFold(id: id, steps: aligned.map { $0.map { nodes[$0].id } },
                       nodes: aligned.flatMap { $0 }.map { nodes[$0] }, edges: [],
                       entry: 0, exit: max(0, (chains.first?.count ?? 1) - 1))
    }

    /// The node standing for `steps`: `×N`, the step's main chain, and its other functions counted.
    private func block(id: String, steps: [[Int]], chainLabels: [String]) -> DotNode {
        let all = steps.flatMap { $0 }.map { nodes[$0] }
        let step = steps[0].map { nodes[$0] }.filter { $0.kind != .parameter && $0.kind != .saved }
        var lines = ["×\(steps.count) steps, each:"]
        var row: [String] = []
        for (index, label) in chainLabels.enumerated() {
            row.append(label)
            if row.count == 3 || index == chainLabels.count - 1 {
                lines.append(row.joined(separator: " → ") + (index == chainLabels.count - 1 ? "" : " →"))
                row = []
            }
        }
        var others = step.map { $0.label.lines.first ?? "" }
        for label in chainLabels {
            if let index = others.firstIndex(of: label) { others.remove(at: index) }
        }
        var counts: [(String, Int)] = []
        for label in others {
            if let index = counts.firstIndex(where: { $0.0 == label }) { counts[index].1 += 1 } else { counts.append((label, 1)) }
        }
        if !counts.isEmpty {
            lines.append("+ " + counts.map { $0.1 > 1 ? "\($0.0) ×\($0.1)" : $0.0 }.joined(separator: ", "))
        }
        let modules = Set(all.map(\.modulePath))
        let clusters = Set(all.map(\.cluster))
        let norms = all.compactMap(\.gradientNorm)
        var node = DotNode(id: id, label: .text(lines.joined(separator: "\n")), kind: .folded, shape: .box,
                           style: [.filled], modulePath: modules.count == 1 ? modules.first! : nil,
                           gradientNorm: norms.max(), attributes: ["peripheries": 2])
        node.cluster = clusters.count == 1 ? clusters.first! : nil
        return node
    }
}
