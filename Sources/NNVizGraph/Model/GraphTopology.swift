/// Adjacency of a ``DotGraph`` by node position, for the transforms. Edges naming a node that is
/// not in the graph are left out.
struct GraphTopology {
    /// For each node, the indices (into `graph.edges`) of the edges leaving it, in edge order.
    let outgoing: [[Int]]
    /// For each node, the indices of the edges entering it, in edge order.
    let incoming: [[Int]]
    /// For each edge, the positions of its ends, or `nil` when an end is not a node.
    let ends: [(from: Int, to: Int)?]

    init(_ graph: DotGraph) {
        var outgoing = Array(repeating: [Int](), count: graph.nodes.count)
        var incoming = outgoing
        var ends: [(from: Int, to: Int)?] = []
        ends.reserveCapacity(graph.edges.count)
        for (index, edge) in graph.edges.enumerated() {
            guard let from = graph.index(of: edge.from), let to = graph.index(of: edge.to) else {
                ends.append(nil)
                continue
            }
            outgoing[from].append(index)
            incoming[to].append(index)
            ends.append((from, to))
        }
        self.outgoing = outgoing
        self.incoming = incoming
        self.ends = ends
    }

    /// The distinct nodes `node` has edges to, in order of their first edge.
    func successors(of node: Int) -> [Int] {
        distinct(outgoing[node].compactMap { ends[$0]?.to })
    }

    /// The distinct nodes with edges to `node`, in order of their first edge.
    func predecessors(of node: Int) -> [Int] {
        distinct(incoming[node].compactMap { ends[$0]?.from })
    }

    /// A topological order of all nodes (Kahn's algorithm, ties broken by position), or `nil` when
    /// the edges form a cycle.
    func topologicalOrder() -> [Int]? {
        var remaining = incoming.map { $0.count }
        var ready = Heap()
        for node in remaining.indices where remaining[node] == 0 { ready.insert(node) }
        var order: [Int] = []
        order.reserveCapacity(remaining.count)
        while let node = ready.popMin() {
            order.append(node)
            for edge in outgoing[node] {
                guard let to = ends[edge]?.to else { continue }
                remaining[to] -= 1
                if remaining[to] == 0 { ready.insert(to) }
            }
        }
        return order.count == remaining.count ? order : nil
    }

    /// The longest path through the nodes marked in `through`, following `order` (a topological
    /// order); among equal lengths the one ending, and stepping back, at the earliest node.
    func longestPath(order: [Int], through: [Bool]) -> [Int] {
        var length = [Int](repeating: 0, count: through.count)
        var previous = [Int?](repeating: nil, count: through.count)
        for node in order where through[node] {
            for predecessor in predecessors(of: node) where through[predecessor] {
                let candidate = length[predecessor] + 1
                if candidate > length[node] || (candidate == length[node] && predecessor < previous[node] ?? .max) {
                    length[node] = candidate
                    previous[node] = predecessor
                }
            }
        }
        guard let end = through.indices.filter({ through[$0] })
            .max(by: { length[$0] < length[$1] || (length[$0] == length[$1] && $0 > $1) })
        else { return [] }
        var path = [end]
        while let back = previous[path[path.count - 1]] { path.append(back) }
        return path.reversed()
    }

    private func distinct(_ values: [Int]) -> [Int] {
        var seen = Set<Int>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// A binary min-heap of node positions.
private struct Heap {
    private var items: [Int] = []

    mutating func insert(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left] < items[smallest] { smallest = left }
                if right < items.count, items[right] < items[smallest] { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
