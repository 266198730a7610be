import NNVizCore

/// Two autograd graphs matched node for node: which nodes both have (unchanged, or changed in operation,
/// shape or attributes), which only the first has (removed) and which only the second (added).
///
/// Matching, in rounds until nothing new matches (each round linear in the graph sizes):
/// 1. Parameters by name (`fc1.weight` ↔ `fc1.weight`); a different shape makes them changed.
/// 2. Bottom up, from the leaves: a node matches the second graph's node with the same operation that
///    takes the most of its already matched inputs at the same argument positions, less the arguments
///    where that node takes another matched input (so a layer inserted before `fc2` still leaves `fc2`'s
///    product matched through its weight and bias, and a removed layer's product is not matched to
///    `fc2`'s through their common input); then what is left the same way whatever the operation, if it
///    takes as many inputs (a ReLU replaced by a Tanh on the same input is one changed node; a pooling
///    layer is not taken for the convolution of a block inserted before it).
/// 3. Top down along the chain: the two outputs' nodes match, and below a matched pair the inputs at the
///    same argument position match when neither is matched yet, whatever their operation (so nodes whose
///    inputs all changed are still paired by where they sit).
///
/// Nodes are compared by PyTorch name, output shape and saved attributes (not the sizes and strides
/// they saved, which follow the shapes).
///
/// ```swift
/// let diff = GraphDiff(lossA, lossB, paramsA: a.namedParameters(), paramsB: b.namedParameters())
/// print(diff.counts)   // unchanged 9, changed 2, added 3, removed 0
/// ```
public struct GraphDiff {
    public enum Status: String, Sendable, CaseIterable {
        case unchanged, changed, added, removed
    }

    /// One node of the merged graph.
    public struct Entry {
        /// The node in the first graph (nil: added).
        public let a: GradFn?
        /// The node in the second graph (nil: removed).
        public let b: GradFn?
        public let status: Status
        /// What changed, one line each (`ReluBackward0 → TanhBackward0`, `shape (2, 3) → (4, 3)`).
        public let changes: [String]
        /// For `AccumulateGrad` nodes: the parameter's name.
        public let parameterName: String?
    }

    /// Second-graph nodes (matched or added) in its order from the leaves, then the removed ones.
    public let entries: [Entry]
    /// Edges between entries (by position in ``entries``), each with the graphs it is in.
    public let edges: [(from: Int, to: Int, inA: Bool, inB: Bool)]
    /// The outputs' shapes.
    public let outputShapes: (a: [Int], b: [Int])

    /// How many entries have each status.
    public var counts: [Status: Int] {
        entries.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }

    public init(_ a: Tensor, _ b: Tensor, paramsA: [(name: String, tensor: Tensor)] = [],
                paramsB: [(name: String, tensor: Tensor)] = []) {
        let left = Side(a, params: paramsA), right = Side(b, params: paramsB)
        var matcher = Matcher(left, right)
        matcher.run()
        var entryOfB = [Int](repeating: -1, count: right.nodes.count)
        var entryOfA = [Int](repeating: -1, count: left.nodes.count)
        var entries: [Entry] = []
        for (j, node) in right.nodes.enumerated() {
            entryOfB[j] = entries.count
            if let i = matcher.bToA[j] {
                entryOfA[i] = entries.count
                let changes = GraphDiff.changes(left.nodes[i], node, left.names[i], right.names[j])
                entries.append(Entry(a: left.nodes[i], b: node, status: changes.isEmpty ? .unchanged : .changed,
                                     changes: changes, parameterName: right.names[j]))
            } else {
                entries.append(Entry(a: nil, b: node, status: .added, changes: [], parameterName: right.names[j]))
            }
        }
        for (i, node) in left.nodes.enumerated() where matcher.aToB[i] == nil {
            entryOfA[i] = entries.count
            entries.append(Entry(a: node, b: nil, status: .removed, changes: [], parameterName: left.names[i]))
        }
        // Edges: the second graph's, marked when the first has the same one, then the first graph's others.
        var edges: [(Int, Int, Bool, Bool)] = []
        var edgeIndex: [[Int]: Int] = [:]
        for (j, inputs) in right.inputs.enumerated() {
            for case let input? in inputs where edgeIndex[[entryOfB[input], entryOfB[j]]] == nil {
                edgeIndex[[entryOfB[input], entryOfB[j]]] = edges.count
                edges.append((entryOfB[input], entryOfB[j], false, true))
            }
        }
        for (i, inputs) in left.inputs.enumerated() {
            for case let input? in inputs {
                let key = [entryOfA[input], entryOfA[i]]
                if let k = edgeIndex[key] {
                    edges[k].2 = true
                } else {
                    edgeIndex[key] = edges.count
                    edges.append((key[0], key[1], true, false))
                }
            }
        }
        self.entries = entries
        self.edges = edges.map { (from: $0.0, to: $0.1, inA: $0.2, inB: $0.3) }
        outputShapes = (a.shape, b.shape)
    }

    /// What differs between two matched nodes.
    static func changes(_ a: GradFn, _ b: GradFn, _ nameA: String?, _ nameB: String?) -> [String] {
        var changes: [String] = []
        if a.name != b.name { changes.append("\(a.name) → \(b.name)") }
        if let nameA, let nameB, nameA != nameB { changes.append("\(nameA) → \(nameB)") }
        if a.outputShape != b.outputShape {
            changes.append("shape \(pythonTuple(a.outputShape)) → \(pythonTuple(b.outputShape))")
        }
        if a.outputDType != b.outputDType { changes.append("dtype \(a.outputDType) → \(b.outputDType)") }
        let attributesA = attributes(a), attributesB = attributes(b)
        for (name, value) in attributesB {
            if let old = attributesA.first(where: { $0.0 == name })?.1, old != value {
                changes.append("\(name): \(old) → \(value)")
            }
        }
        return changes
    }

    /// Saved attributes that are not sizes or strides (those follow the shapes, reported already).
    private static func attributes(_ node: GradFn) -> [(String, String)] {
        node.saved.compactMap { entry in
            guard case .attribute(let text) = entry.value, !entry.name.contains("_sym_") else { return nil }
            return (entry.name, text)
        }
    }
}

/// One graph as the matcher reads it: nodes ordered from the leaves (every input before its consumers),
/// each node's inputs by argument, and parameter names.
private struct Side {
    let nodes: [GradFn]
    /// Per node, per argument: the input's position in `nodes` (nil where the input needs no gradient).
    let inputs: [[Int?]]
    /// Per node: its consumers with the argument position they take it at.
    let consumers: [[(node: Int, argument: Int)]]
    /// Per node: the parameter name of an `AccumulateGrad`.
    let names: [String?]
    let root: Int?

    init(_ output: Tensor, params: [(name: String, tensor: Tensor)]) {
        var nameOf: [ObjectIdentifier: String] = [:]
        for (name, tensor) in params where nameOf[ObjectIdentifier(tensor)] == nil { nameOf[ObjectIdentifier(tensor)] = name }
        // Iterative post-order: a node is listed once all its inputs are.
        var order: [GradFn] = []
        var position: [ObjectIdentifier: Int] = [:]
        var visiting = Set<ObjectIdentifier>()
        var stack: [(GradFn, Bool)] = output.gradFn.map { [($0, false)] } ?? []
        while let (node, expanded) = stack.popLast() {
            let key = ObjectIdentifier(node)
            if position[key] != nil { continue }
            if expanded {
                position[key] = order.count
                order.append(node)
                continue
            }
            guard visiting.insert(key).inserted else { continue }
            stack.append((node, true))
            for case let next? in node.nextFunctions.reversed() where position[ObjectIdentifier(next)] == nil {
                stack.append((next, false))
            }
        }
        nodes = order
        inputs = order.map { node in node.nextFunctions.map { $0.flatMap { position[ObjectIdentifier($0)] } } }
        var consumers = [[(node: Int, argument: Int)]](repeating: [], count: order.count)
        for (index, arguments) in inputs.enumerated() {
            for (argument, input) in arguments.enumerated() {
                if let input { consumers[input].append((index, argument)) }
            }
        }
        self.consumers = consumers
        names = order.map { node in node.variable.map { nameOf[ObjectIdentifier($0)] ?? $0.name ?? "" } }
        root = order.isEmpty ? nil : order.count - 1
    }
}

/// The rounds of ``GraphDiff``'s matching.
private struct Matcher {
    let a: Side, b: Side
    var aToB: [Int?]
    var bToA: [Int?]

    init(_ a: Side, _ b: Side) {
        self.a = a
        self.b = b
        aToB = Array(repeating: nil, count: a.nodes.count)
        bToA = Array(repeating: nil, count: b.nodes.count)
    }

    mutating func pair(_ i: Int, _ j: Int) {
        aToB[i] = j
        bToA[j] = i
    }

    mutating func run() {
        // 1. Parameters by name.
        var byName: [String: Int] = [:]
        for (j, name) in b.names.enumerated() { if let name, byName[name] == nil { byName[name] = j } }
        for (i, name) in a.names.enumerated() {
            if let name, let j = byName[name], bToA[j] == nil { pair(i, j) }
        }
        while true {
            let before = aToB.lazy.filter { $0 != nil }.count
            matchBottomUp(sameOperation: true)
            matchBottomUp(sameOperation: false)
            matchTopDown()
            if aToB.lazy.filter({ $0 != nil }).count == before { break }
        }
    }

    /// Round 2: the candidate taking the most of the node's matched inputs at the same argument positions,
    /// with the same operation (then, for what is left, with any operation taking as many inputs).
    mutating func matchBottomUp(sameOperation: Bool) {
        for (i, node) in a.nodes.enumerated() where aToB[i] == nil && node.variable == nil {
            var candidates = Set<Int>()
            for (argument, input) in a.inputs[i].enumerated() {
                guard let input, let mapped = aToB[input] else { continue }
                for consumer in b.consumers[mapped] where consumer.argument == argument && bToA[consumer.node] == nil
                    && (sameOperation ? b.nodes[consumer.node].name == node.name
                        : b.inputs[consumer.node].count == a.inputs[i].count) {
                    candidates.insert(consumer.node)
                }
            }
            // Score: inputs both take, less inputs the candidate takes from another matched node.
            var best: (node: Int, score: Int)? = nil
            for j in candidates.sorted() {
                var score = 0
                for (argument, input) in b.inputs[j].enumerated() {
                    guard let input, let mapped = bToA[input] else { continue }
                    score += argument < a.inputs[i].count && a.inputs[i][argument] == mapped ? 1 : -1
                }
                if score > 0 && score > best?.score ?? 0 { best = (j, score) }
            }
            if let best { pair(i, best.node) }
        }
    }

    /// Round 3: outputs, then inputs at the same argument position below matched pairs.
    mutating func matchTopDown() {
        if let ra = a.root, let rb = b.root, aToB[ra] == nil, bToA[rb] == nil { pair(ra, rb) }
        for i in a.nodes.indices.reversed() {
            guard let j = aToB[i] else { continue }
            for (argument, input) in a.inputs[i].enumerated() where argument < b.inputs[j].count {
                guard let input, let other = b.inputs[j][argument], aToB[input] == nil, bToA[other] == nil,
                      (a.nodes[input].variable == nil) == (b.nodes[other].variable == nil) else { continue }
                pair(input, other)
            }
        }
    }
}
