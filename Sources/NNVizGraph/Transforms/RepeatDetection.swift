/// Finds runs of identical steps in a graph, such as the time steps of an unrolled RNN.
///
/// 1. The graph's *attachments* are set apart: leaves with the nodes that only pass them on
///    (``LeafChains``) and saved tensors (sinks joined by an undirected edge or of kind `.saved`).
///    The other nodes form the *core*.
/// 2. Each core node gets a signature: its label, kind, colour and anomaly flag, plus the labels of
///    the attachments hanging on it.
/// 3. The main chain is the longest path through the core (ties go to the earlier node). Along it,
///    the signature sequence is searched for the period p and start covering the most nodes with at
///    least `minimumRepeats` repetitions. Each repetition's window of p chain nodes starts a step.
/// 4. Every other core node joins the step of the first chain node it leads to; attachments join the
///    step of the nodes they hang on when all of those are in one step.
/// 5. Each step is hashed by Weisfeiler-Lehman refinement of the signatures over its own edges, with
///    edges from earlier steps marked by their distance and edges from elsewhere by the source's
///    signature. Consecutive steps with equal hashes form runs.
///
/// Signatures and hashes are interned by content in order of first use, so the result does not
/// depend on Swift's per-process hash seeds.
struct RepeatDetection {
    /// One run of identical steps; each step lists node positions.
    struct Run {
        var steps: [[Int]]
        /// Each step's main-chain nodes, in chain order.
        var chains: [[Int]]
        /// Labels along the main chain within one step, in order.
        var chainLabels: [String]
    }

    private let graph: DotGraph
    private let topology: GraphTopology
    private var signatures: [Int?]
    private var interner = Interner()

    init(_ graph: DotGraph) {
        self.graph = graph
        self.topology = GraphTopology(graph)
        self.signatures = Array(repeating: nil, count: graph.nodes.count)
    }

    /// The runs of at least `minimumRepeats` identical consecutive steps along the main chain.
    mutating func runs(minimumRepeats: Int) -> [Run] {
        guard let order = topology.topologicalOrder() else { return [] }
        let attachments = Attachments(graph, topology)
        computeSignatures(attachments)
        let path = topology.longestPath(order: order, through: signatures.map { $0 != nil })
        guard path.count >= minimumRepeats,
              let period = bestPeriod(path.map { signatures[$0]! }, minimumRepeats: minimumRepeats)
        else { return [] }

        // Steps: chain windows, then the off-chain core nodes by the first chain node they reach.
        var stepOfNode = [Int?](repeating: nil, count: graph.nodes.count)
        var steps: [[Int]] = Array(repeating: [], count: period.repeats)
        var chainPosition = [Int?](repeating: nil, count: graph.nodes.count)
        for (position, node) in path.enumerated() { chainPosition[node] = position }
        for step in 0..<period.repeats {
            for offset in 0..<period.length {
                let node = path[period.start + step * period.length + offset]
                stepOfNode[node] = step
            }
        }
        var firstReached = [Int](repeating: .max, count: graph.nodes.count)
        for node in order.reversed() where signatures[node] != nil {
            if let position = chainPosition[node] {
                firstReached[node] = position
            } else {
                firstReached[node] = topology.successors(of: node)
                    .filter { signatures[$0] != nil }.map { firstReached[$0] }.min() ?? .max
            }
        }
        let end = period.start + period.repeats * period.length
        for node in graph.nodes.indices where signatures[node] != nil && chainPosition[node] == nil {
            let reached = firstReached[node]
            if reached >= period.start, reached < end { stepOfNode[node] = (reached - period.start) / period.length }
        }
        for (index, hosts) in attachments.hosts.enumerated() {
            let hostSteps = Set(hosts.map { stepOfNode[$0] })
            if hostSteps.count == 1, let step = hostSteps.first!, !hosts.isEmpty {
                for node in attachments.groups[index] { stepOfNode[node] = step }
            }
        }
        for node in graph.nodes.indices { if let step = stepOfNode[node] { steps[step].append(node) } }

        let hashes = (0..<period.repeats).map { stepHash(steps[$0], step: $0, stepOfNode: stepOfNode) }
        let chainLabels = path[period.start..<(period.start + period.length)]
            .map { graph.nodes[$0].label.lines.first ?? "" }
        var runs: [Run] = []
        var first = 0
        while first < hashes.count {
            var last = first
            while last + 1 < hashes.count, hashes[last + 1] == hashes[first] { last += 1 }
            if last - first + 1 >= minimumRepeats {
                let chains = (first...last).map { step in
                    Array(path[(period.start + step * period.length)..<(period.start + (step + 1) * period.length)])
                }
                runs.append(Run(steps: Array(steps[first...last]), chains: chains, chainLabels: chainLabels))
            }
            first = last + 1
        }
        return runs
    }

    // MARK: - Signatures

    private mutating func computeSignatures(_ attachments: Attachments) {
        var hanging = [[String]](repeating: [], count: graph.nodes.count)
        for (index, hosts) in attachments.hosts.enumerated() {
            let description = attachments.groups[index].map { graph.nodes[$0].label.lines.joined(separator: " ") }
                .joined(separator: "|")
            for host in hosts { hanging[host].append(description) }
        }
        for (position, node) in graph.nodes.enumerated() where !attachments.isAttachment[position] {
            let text = [node.label.lines.joined(separator: "\n"), node.kind.rawValue, node.fillColor?.name ?? "",
                        node.isAnomaly ? "anomaly" : ""] + hanging[position].sorted()
            signatures[position] = interner.id(of: text)
        }
    }

    // MARK: - Main chain

    /// The period and start covering the most of `sequence` with at least `minimumRepeats`
    /// repetitions; ties go to the shorter period, then the earlier start.
    private func bestPeriod(_ sequence: [Int], minimumRepeats: Int) -> (start: Int, length: Int, repeats: Int)? {
        var best: (start: Int, length: Int, repeats: Int)?
        let count = sequence.count
        guard minimumRepeats >= 2 else { return nil }
        for length in 1...max(1, count / minimumRepeats) {
            var start = 0
            while start + length < count {
                guard sequence[start] == sequence[start + length] else { start += 1; continue }
                var matches = 0
                while start + matches + length < count, sequence[start + matches] == sequence[start + matches + length] {
                    matches += 1
                }
                let repeats = (matches + length) / length
                if repeats >= minimumRepeats, repeats * length > (best.map { $0.repeats * $0.length } ?? 0) {
                    best = (start, length, repeats)
                }
                start += matches + 1
            }
        }
        return best
    }

    // MARK: - Step hashes

    private mutating func stepHash(_ nodes: [Int], step: Int, stepOfNode: [Int?]) -> Int {
        let members = Set(nodes)
        let core = nodes.filter { signatures[$0] != nil }
        var colour = Dictionary(uniqueKeysWithValues: core.map { ($0, signatures[$0]!) })
        var markers: [Int: [Int]] = [:]
        for node in core {
            // Attachments are part of the signatures already.
            for predecessor in topology.predecessors(of: node) where !members.contains(predecessor) && signatures[predecessor] != nil {
                if let other = stepOfNode[predecessor], other < step {
                    markers[node, default: []].append(interner.id(of: ["step", String(step - other)]))
                } else {
                    markers[node, default: []].append(interner.id(of: ["outside", String(signatures[predecessor]!)]))
                }
            }
        }
        for _ in 0..<3 {
            var next: [Int: Int] = [:]
            for node in core {
                let inside = topology.predecessors(of: node).compactMap { colour[$0] }.sorted()
                let outgoing = topology.successors(of: node).compactMap { colour[$0] }.sorted()
                let parts = [String(colour[node]!), inside.map(String.init).joined(separator: ","),
                             outgoing.map(String.init).joined(separator: ","),
                             (markers[node] ?? []).sorted().map(String.init).joined(separator: ",")]
                next[node] = interner.id(of: parts)
            }
            colour = next
        }
        let summary = core.map { colour[$0]! }.sorted().map(String.init) + ["nodes", String(nodes.count)]
        return interner.id(of: summary)
    }
}

// MARK: - Attachments

/// Leaf chains and saved tensors, with the core nodes each hangs on.
struct Attachments {
    /// Node positions of each attachment.
    var groups: [[Int]] = []
    /// Core nodes each attachment hangs on.
    var hosts: [[Int]] = []
    var isAttachment: [Bool]

    init(_ graph: DotGraph, _ topology: GraphTopology) {
        isAttachment = Array(repeating: false, count: graph.nodes.count)
        let leaves = LeafChains(graph, topology)
        for chain in leaves.chains {
            groups.append(chain)
            hosts.append(topology.successors(of: chain[chain.count - 1]))
            for node in chain { isAttachment[node] = true }
        }
        for node in graph.nodes.indices where !isAttachment[node] && topology.outgoing[node].isEmpty {
            let predecessors = topology.predecessors(of: node)
            guard predecessors.count == 1 else { continue }
            let undirected = topology.incoming[node].allSatisfy { graph.edges[$0].direction == DotEdge.Direction.none }
            guard undirected || graph.nodes[node].kind == .saved else { continue }
            groups.append([node])
            hosts.append(predecessors)
            isAttachment[node] = true
        }
    }
}

/// Gives each distinct list of strings a small integer, in order of first use.
private struct Interner {
    private var ids: [[String]: Int] = [:]

    mutating func id(of parts: [String]) -> Int {
        if let id = ids[parts] { return id }
        let id = ids.count
        ids[parts] = id
        return id
    }
}
