import Synchronization

// MARK: - Recording

extension Tensor {
    /// The recording state when an op on these inputs records a backward node (some input requires
    /// grad and grad mode is on), else nil. Read once per op and handed to `attach`: it is task-local.
    @inline(__always)
    static func recording(_ a: Tensor) -> GraphContext? {
        guard a.requiresGrad else { return nil }
        return GraphContext.recordingContext
    }

    @inline(__always)
    static func recording(_ a: Tensor, _ b: Tensor) -> GraphContext? {
        guard a.requiresGrad || b.requiresGrad else { return nil }
        return GraphContext.recordingContext
    }

    static func recording(_ inputs: [Tensor]) -> GraphContext? {
        guard inputs.contains(where: { $0.requiresGrad }) else { return nil }
        return GraphContext.recordingContext
    }

    /// Attaches a backward node named `name` to `self`, the result of an op on `inputs`.
    /// `backward` maps the gradient of `self` to gradients of the inputs, in order.
    @discardableResult
    func attach(_ context: GraphContext, _ name: String, _ inputs: [Tensor], saved: [SavedValue] = [],
                _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        let node = makeNode(name, saved: saved, context, .general(backward))
        for input in inputs { node.addEdge(input.gradEdge) }
        if inputs.contains(where: { $0.outputIndex != 0 }) { node.nextOutputIndices = inputs.map(\.outputIndex) }
        return adopt(node, context)
    }

    /// Attaches the node of a one-input op: `backward` maps the output's gradient to the input's.
    @discardableResult
    func attach(_ context: GraphContext, _ name: String, _ input: Tensor, saved: [SavedValue] = [],
                _ backward: @escaping (Tensor) -> Tensor?) -> Tensor {
        let node = makeNode(name, saved: saved, context, .unary(backward))
        node.addEdge(input.gradEdge)
        if input.outputIndex != 0 { node.nextOutputIndices = [input.outputIndex] }
        return adopt(node, context)
    }

    /// Attaches the node of a two-input op: `backward` maps the output's gradient to both inputs'.
    @discardableResult
    func attach(_ context: GraphContext, _ name: String, _ a: Tensor, _ b: Tensor, saved: [SavedValue] = [],
                _ backward: @escaping (Tensor) -> (Tensor?, Tensor?)) -> Tensor {
        let node = makeNode(name, saved: saved, context, .binary(backward))
        node.addEdge(a.gradEdge)
        node.addEdge(b.gradEdge)
        if a.outputIndex != 0 || b.outputIndex != 0 { node.nextOutputIndices = [a.outputIndex, b.outputIndex] }
        return adopt(node, context)
    }

    /// A node for `self`, its edges still to add (from the inputs' grad_fns as they are before `self`
    /// adopts the node: an op may write its result into one of its inputs).
    @inline(__always)
    private func makeNode(_ name: String, saved: [SavedValue], _ context: GraphContext,
                          _ backward: BackwardFunction) -> GradFn {
        GradFn(name: name, saved: saved, outputShape: shape, outputDType: dtype, context: context, backward: backward)
    }

    /// Makes `node` this tensor's grad_fn; in anomaly mode, marks it when this output is not finite; in
    /// statistics mode, summarises this output on the node.
    @inline(__always)
    private func adopt(_ node: GradFn, _ context: GraphContext) -> Tensor {
        gradFn = node
        if context.anomaly, !storage.allFinite { node.forwardNonFinite = true }
        if context.statistics { node.outputStatistics = ValueStatistics(storage) }
        return self
    }
}

extension Storage {
    var allFinite: Bool {
        switch self {
        case .float32(let a): return a.allSatisfy(\.isFinite)
        case .float64(let a): return a.allSatisfy(\.isFinite)
        case .int64, .bool: return true
        }
    }
}

// MARK: - Multi-output ops

extension Tensor {
    /// Records `outputs` as the results of one differentiable op with several outputs (PyTorch's
    /// `UnbindBackward0`, `UnsafeSplitBackward0`, a fused RNN layer's node, …): every output's grad_fn is
    /// the same node, and each output is an ordinary tensor any op reads. The engine gathers the gradients
    /// that flow into each output and calls `backward` once with one gradient per output (nil where none
    /// flowed); it returns one per input.
    ///
    /// ```swift
    /// let parts = Tensor.multiOutputFunction("MyBackward0", inputs: [x], outputs: [a, b]) { grads in
    ///     [(grads[0] ?? Tensor.zeros(a.shape)) + (grads[1] ?? Tensor.zeros(b.shape))]
    /// }
    /// ```
    @discardableResult
    public static func multiOutputFunction(_ name: String, inputs: [Tensor], saved: [SavedValue] = [],
                                           outputs: [Tensor], backward: @escaping ([Tensor?]) -> [Tensor?]) -> [Tensor] {
        guard let context = recording(inputs) else { return outputs }
        let node = GradFn(name: name, saved: saved, outputShape: outputs.first?.shape ?? [],
                          outputDType: outputs.first?.dtype ?? .float32, context: context,
                          backward: .multiOutput(backward))
        if context.anomaly, outputs.contains(where: { !$0.storage.allFinite }) { node.forwardNonFinite = true }
        for input in inputs { node.addEdge(input.gradEdge) }
        if inputs.contains(where: { $0.outputIndex != 0 }) { node.nextOutputIndices = inputs.map(\.outputIndex) }
        node.outputCount = outputs.count
        if context.statistics, let first = outputs.first { node.outputStatistics = ValueStatistics(first) }
        for (i, output) in outputs.enumerated() {
            output.gradFn = node
            output.outputIndex = i
        }
        return outputs
    }
}

// MARK: - Backward

extension Tensor {
    /// Computes the gradient of this tensor with respect to every leaf that requires grad, accumulating
    /// into their `grad`, like `tensor.backward()`.
    ///
    /// A non-scalar output needs `gradient` (the vector in the vector-Jacobian product). The graph's
    /// saved values are freed afterwards unless `retainGraph` is true; a second backward through a
    /// freed graph stops with PyTorch's error.
    ///
    /// ```swift
    /// let loss = ((w * x).sum() - 1).pow(2)
    /// loss.backward()
    /// print(w.grad!)
    /// ```
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) {
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape,
                         "Mismatch in shape: grad_output[0] has a shape of \(shapeText(gradient.shape)) and output[0] has a shape of \(shapeText(shape)).")
            seed = gradient.detach()
        } else {
            precondition(count == 1, "grad can be implicitly created only for scalar outputs")
            seed = Tensor(shape: shape, storage: Storage.filled(1, count, dtype))
        }
        precondition(requiresGrad, "element 0 of tensors does not require grad and does not have a grad_fn")
        BackwardEngine.run(root: gradEdge!, outputIndex: outputIndex, gradient: seed, retainGraph: retainGraph)
    }
}

/// PyTorch's error for backward through freed saved values.
let releasedGraphMessage = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."

/// Runs backward passes iteratively: dependency counts from an explicit-stack walk, then nodes in
/// PyTorch's order (latest-created first) from a heap, so a chain of a million ops needs no deep stack.
enum BackwardEngine {
    /// Marks nodes visited by one dependency count without a hash set.
    private static let visitEpoch = Atomic<Int>(0)
    static func run(root: GradFn, outputIndex: Int, gradient: Tensor, retainGraph: Bool) {
        let anomaly = GraphContext.current.anomaly
        noGrad {
            countDependencies(from: root)
            if root.outputCount > 1 {
                root.gatherGradient(gradient, output: outputIndex)
            } else {
                root.pendingGrad = gradient
            }
            var ready = NodeHeap()
            ready.push(NodeRef(root))
            while let entry = ready.pop() {
                entry.with { node in run(node, readying: &ready, retainGraph: retainGraph, anomaly: anomaly) }
            }
        }
    }

    /// Runs one node: its backward function on the gradient gathered for it, then hands each input's
    /// gradient to that input's node, readying those whose consumers have all run.
    @inline(__always)
    private static func run(_ node: GradFn, readying ready: inout NodeHeap, retainGraph: Bool, anomaly: Bool) {
        let grad = node.pendingGrad
        node.pendingGrad = nil
        if let leaf = node.variable {
            if let grad { accumulate(grad, into: leaf) }
            return
        }
        var inputGrads = InputGradients.none
        let incoming = node.takeGatheredGradients()
        if grad != nil || incoming.contains(where: { $0 != nil }) {
            // Without retainGraph the node gives up its function (and what it saved) as it runs.
            guard let backward = retainGraph ? node.backward : node.backward.take() else {
                preconditionFailure(releasedGraphMessage)
            }
            if !retainGraph { node.isReleased = true }
            switch backward {
            case .unary(let function): inputGrads = .one(function(grad!))
            case .binary(let function):
                let (a, b) = function(grad!)
                inputGrads = .two(a, b)
            case .general(let function): inputGrads = .many(function(grad!))
            case .multiOutput(let function): inputGrads = .many(function(node.outputCount == 1 ? [grad] : incoming))
            }
            if anomaly, inputGrads.containsNonFinite,
               grad?.storage.allFinite ?? true, incoming.allSatisfy({ $0?.storage.allFinite ?? true }) {
                node.backwardNonFinite = true
            }
        }
        for i in 0..<node.edgeCount {
            guard let edge = node.unretainedEdge(i) else { continue }
            edge.with { next in
                if let g = inputGrads[i] {
                    if next.outputCount > 1 {
                        let k = node.nextOutputIndices.isEmpty ? 0 : node.nextOutputIndices[i]
                        next.gatherGradient(g, output: k)
                    } else if let pending = next.pendingGrad {
                        next.pendingGrad = pending + g
                    } else {
                        next.pendingGrad = g
                    }
                }
                next.dependencies -= 1
                if next.dependencies == 0 { ready.push(edge) }
            }
        }
    }

    /// Counts, for every node reachable from `root`, how many edges lead into it.
    private static func countDependencies(from root: GradFn) {
        let epoch = visitEpoch.wrappingAdd(1, ordering: .relaxed).newValue
        var stack = [NodeRef(root)]
        root.visitMark = epoch
        root.dependencies = 0
        while let entry = stack.popLast() {
            entry.with { node in
                for i in 0..<node.edgeCount {
                    guard let edge = node.unretainedEdge(i) else { continue }
                    edge.with { next in
                        if next.visitMark != epoch {
                            next.visitMark = epoch
                            next.dependencies = 0
                            if next.pendingGrad != nil { next.pendingGrad = nil }
                            next.clearGatheredGradients()
                            stack.append(edge)
                        }
                        next.dependencies += 1
                    }
                }
            }
        }
    }

    private static func accumulate(_ grad: Tensor, into leaf: Tensor) {
        precondition(grad.shape == leaf.shape,
                     "Function AccumulateGrad returned an invalid gradient - got \(shapeText(grad.shape)) but expected shape compatible with \(shapeText(leaf.shape))")
        let g = grad.storage.dtype == leaf.dtype ? grad : Tensor(shape: grad.shape, storage: grad.storage.converted(to: leaf.dtype))
        if let existing = leaf.grad {
            existing.storage = (existing + g).storage
        } else {
            leaf.grad = Tensor(shape: g.shape, storage: g.storage)
        }
    }
}

/// The gradients one node produced for its inputs, without an array for one- and two-input nodes.
private enum InputGradients {
    case none
    case one(Tensor?)
    case two(Tensor?, Tensor?)
    case many([Tensor?])

    /// The gradient of input `i`, nil when none was produced.
    subscript(i: Int) -> Tensor? {
        switch self {
        case .none: return nil
        case .one(let g): return i == 0 ? g : nil
        case let .two(a, b): return i == 0 ? a : (i == 1 ? b : nil)
        case .many(let grads): return i < grads.count ? grads[i] : nil
        }
    }

    var containsNonFinite: Bool {
        func bad(_ g: Tensor?) -> Bool { g.map { !$0.storage.allFinite } ?? false }
        switch self {
        case .none: return false
        case .one(let g): return bad(g)
        case let .two(a, b): return bad(a) || bad(b)
        case .many(let grads): return grads.contains(where: bad)
        }
    }
}

/// A max-heap of nodes by creation order, with the largest node kept aside: along a chain every node
/// readied is the next to run, so it never enters the array.
private struct NodeHeap {
    private var top: NodeRef?
    private var items: [NodeRef] = []

    mutating func push(_ node: NodeRef) {
        guard let current = top else {
            if let first = items.first, first.sequenceNumber > node.sequenceNumber {
                insert(node)
            } else {
                top = node
            }
            return
        }
        if node.sequenceNumber > current.sequenceNumber {
            insert(current)
            top = node
        } else {
            insert(node)
        }
    }

    mutating func pop() -> NodeRef? {
        if let node = top {
            top = nil
            return node
        }
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let largest = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, items[l].sequenceNumber > items[best].sequenceNumber { best = l }
            if r < items.count, items[r].sequenceNumber > items[best].sequenceNumber { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return largest
    }

    private mutating func insert(_ node: NodeRef) {
        items.append(node)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent].sequenceNumber < items[i].sequenceNumber else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }
}

// MARK: - Walking

/// Iterative walks over backward graphs (no recursion, so chains of any length are safe).
public enum GraphWalk {
    /// Every node reachable from `roots`, each once, in depth-first pre-order following
    /// `nextFunctions` in argument order — a deterministic order for the same graph.
    public static func nodes(from roots: [GradFn]) -> [GradFn] {
        var seen = Set<ObjectIdentifier>()
        var order: [GradFn] = []
        var stack = roots.reversed() as [GradFn]
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            order.append(node)
            for i in stride(from: node.edgeCount - 1, through: 0, by: -1) {
                if let next = node.edge(i), !seen.contains(ObjectIdentifier(next)) { stack.append(next) }
            }
        }
        return order
    }
}

/// PyTorch's shape text in messages: `[2, 3]`.
func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
