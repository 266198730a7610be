import NNVizCore
import NNVizNN

/// What torchinfo's `summary` prints, from one real forward pass: every module of the tree (nested as
/// its blocks nest) with its output shape, parameter count, whether it trains, and its multiply-adds; then
/// totals and the memory one training step holds.
///
/// - Output shapes are recorded while the model runs (``ModuleCallRecorder``); a module called several
///   times shows its first call's shape and counts every call's multiply-adds.
/// - Parameters are counted once however often they are shared: a tensor owned by two modules (tied
///   weights) counts in the first one listed and shows as `(tied)` in the other.
/// - Rows come as torchinfo lists them: depth first, each module's children in the order they ran; a child
///   that never ran as a module (an attention's `out_proj`, whose weights the attention uses directly, as
///   PyTorch's does) comes after its siblings with no output shape, where torchinfo leaves it out.
/// - Multiply-adds come from the autograd graph: each backward node's ``GradFn/multiplyAdds`` (products,
///   convolutions, recurrent projections, attention), credited to the module that created it. Unlike
///   torchinfo, which multiplies each weight by the output's first dimension only, products over extra
///   dimensions (a Linear on `(batch, steps, features)`) count every row, and attention's QKᵀ and A·V
///   products, which hold no weights and which torchinfo leaves out, count too. Ops that record no graph
///   node (a frozen layer on an input that needs no gradient) count 0.
/// - Memory: parameters, their gradients (trainable ones), the input, and the tensors the autograd graph
///   saved for backward at their real element sizes, but the saved parameters — measured from the graph,
///   not estimated. Optimizer state is not included.
///
/// ```swift
/// let model = Sequential(named: [("fc1", Linear(3, 2)), ("act", ReLU()), ("fc2", Linear(2, 1))])
/// let s = summary(model, input: Tensor([[1.0, 2.0, 3.0]]))
/// print(s)                 // the table
/// print(s.totalParameters) // 11
/// ```
public struct ModelSummary: CustomStringConvertible, Sendable, Equatable, Encodable {
    /// One module of the tree.
    public struct Layer: Sendable, Equatable, Encodable {
        /// Dotted path (`""` for the model itself, `layer1.0.conv1` inside it).
        public let name: String
        /// The class name (`Linear`, `Sequential`).
        public let type: String
        /// 0 for the model, 1 for its children, …
        public let depth: Int
        /// Shape of the module's output in its first call; nil when it was not called.
        public let outputShape: [Int]?
        /// How many times the module ran.
        public let calls: Int
        /// The module's own parameters (not its children's), each counted once over the model.
        public let parameters: Int
        /// Of ``parameters``, those that require grad.
        public let trainableParameters: Int
        /// Own parameters already counted in an earlier module (tied weights).
        public let tiedParameters: Int
        /// Parameters of this module and everything inside it, each once.
        public let totalParameters: Int
        public let totalTrainableParameters: Int
        /// Multiply-adds of the graph nodes this module created itself, over all its calls.
        public let multiplyAdds: Int
        /// Multiply-adds of this module and everything inside it.
        public let totalMultiplyAdds: Int
        /// True when the module has no children.
        public let isLeaf: Bool
    }

    /// Every module, depth first with each module's children in the order they ran, the model first.
    public let layers: [Layer]
    /// Parameters of the model, each tensor once.
    public let totalParameters: Int
    public let trainableParameters: Int
    public var nonTrainableParameters: Int { totalParameters - trainableParameters }
    /// Multiply-adds of every node of the graph, inside modules or not (a loss's products count too).
    public let multiplyAdds: Int
    /// Bytes of the input.
    public let inputBytes: Int
    /// Bytes of the parameters, each tensor once.
    public let parameterBytes: Int
    /// Bytes of the gradients one backward pass fills (one per trainable parameter).
    public let gradientBytes: Int
    /// Bytes of the tensors the autograd graph saved for backward, but the parameters (a saved weight is
    /// held anyway); a tensor two nodes saved counts twice.
    public let savedActivationBytes: Int
    /// Everything one training step holds: input, parameters, gradients and saved tensors.
    public var totalBytes: Int { inputBytes + parameterBytes + gradientBytes + savedActivationBytes }

    /// The summary of `model` after a forward pass recorded by `calls`, whose graph ends at `root` (the
    /// loss, or the output). `output` gives the model's shape when the model itself was not called as a
    /// module (a model file runs its layers one by one).
    public init(model: Module, input: Tensor, output: Tensor, root: Tensor, calls: [ModuleCallRecorder.Call]) {
        var firstShape: [String: [Int]] = [:], callCount: [String: Int] = [:], firstCall: [String: Int] = [:]
        for (index, call) in calls.enumerated() {
            if firstShape[call.path] == nil { firstShape[call.path] = call.shape }
            if firstCall[call.path] == nil { firstCall[call.path] = index }
            callCount[call.path, default: 0] += 1
        }
        let nodes = GraphWalk.nodes(from: root.gradFn.map { [$0] } ?? [])
        var ownMultiplyAdds: [String: Int] = [:]
        var allMultiplyAdds = 0
        for node in nodes {
            let count = node.multiplyAdds
            guard count > 0 else { continue }
            allMultiplyAdds += count
            if let path = node.modulePath { ownMultiplyAdds[path, default: 0] += count }
        }

        // Own parameters, each tensor counted at its first owner.
        let modules = ModelSummary.executionOrder(model, firstCall: firstCall)
        var seen = Set<ObjectIdentifier>()
        var own: [(count: Int, trainable: Int, tied: Int)] = []
        var parameterBytes = 0, gradientBytes = 0
        for (_, module) in modules {
            var entry = (count: 0, trainable: 0, tied: 0)
            for (_, tensor) in module.ownParameters() {
                guard seen.insert(ObjectIdentifier(tensor)).inserted else {
                    entry.tied += tensor.count
                    continue
                }
                entry.count += tensor.count
                parameterBytes += tensor.count * tensor.dtype.itemSize
                if tensor.requiresGrad {
                    entry.trainable += tensor.count
                    gradientBytes += tensor.count * tensor.dtype.itemSize
                }
            }
            own.append(entry)
        }

        // Subtree totals: modules come depth first, so a module's subtree is the run of entries after it.
        let childCounts = modules.map { $0.module.namedChildren().count }
        let (ends, depths) = ModelSummary.treeLayout(childCounts)
        var layers: [Layer] = []
        for (index, (name, module)) in modules.enumerated() {
            let range = index..<ends[index]
            let macs = range.reduce(0) { $0 + (ownMultiplyAdds[modules[$1].name] ?? 0) }
            layers.append(Layer(
                name: name, type: module.typeName, depth: depths[index],
                outputShape: firstShape[name] ?? (index == 0 ? output.shape : nil),
                calls: callCount[name] ?? (index == 0 ? 1 : 0),
                parameters: own[index].count, trainableParameters: own[index].trainable, tiedParameters: own[index].tied,
                totalParameters: range.reduce(0) { $0 + own[$1].count },
                totalTrainableParameters: range.reduce(0) { $0 + own[$1].trainable },
                multiplyAdds: ownMultiplyAdds[name] ?? 0, totalMultiplyAdds: macs,
                isLeaf: childCounts[index] == 0))
        }
        self.layers = layers
        totalParameters = own.reduce(0) { $0 + $1.count }
        trainableParameters = own.reduce(0) { $0 + $1.trainable }
        multiplyAdds = allMultiplyAdds
        inputBytes = input.count * input.dtype.itemSize
        self.parameterBytes = parameterBytes
        self.gradientBytes = gradientBytes
        // Saved tensors but the parameters (a weight's transpose saved by a product), which are held anyway.
        let parameterIDs = Set(model.parameters().map(ObjectIdentifier.init))
        var saved = 0
        for node in nodes {
            for entry in node.saved where entry.source.map({ !parameterIDs.contains($0) }) ?? true {
                saved += entry.byteCount(outputDType: node.outputDType)
            }
        }
        savedActivationBytes = saved
    }

    private enum CodingKeys: String, CodingKey {
        case layers, totalParameters, trainableParameters, nonTrainableParameters, multiplyAdds, inputBytes,
             parameterBytes, gradientBytes, savedActivationBytes, totalBytes
    }

    /// The JSON `nnviz summary --json` prints: the stored numbers and the derived totals.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layers, forKey: .layers)
        try container.encode(totalParameters, forKey: .totalParameters)
        try container.encode(trainableParameters, forKey: .trainableParameters)
        try container.encode(nonTrainableParameters, forKey: .nonTrainableParameters)
        try container.encode(multiplyAdds, forKey: .multiplyAdds)
        try container.encode(inputBytes, forKey: .inputBytes)
        try container.encode(parameterBytes, forKey: .parameterBytes)
        try container.encode(gradientBytes, forKey: .gradientBytes)
        try container.encode(savedActivationBytes, forKey: .savedActivationBytes)
        try container.encode(totalBytes, forKey: .totalBytes)
    }

    /// For a depth-first listing given each entry's number of children: the index one past each entry's
    /// subtree, and each entry's depth (iteratively: a stack of open entries and the children each still
    /// waits for).
    /// `model`'s modules depth first (named as ``Module/namedModules()`` names them), each module's children
    /// ordered by their first call in `firstCall` (recorded calls end children before their parent, and
    /// siblings in the order they ran), children that never ran last in declaration order.
    static func executionOrder(_ model: Module, firstCall: [String: Int]) -> [(name: String, module: Module)] {
        var result: [(name: String, module: Module)] = []
        var stack: [(name: String, module: Module)] = [("", model)]
        while let (name, module) = stack.popLast() {
            result.append((name, module))
            let children = module.namedChildren().enumerated().map { index, child in
                (index: index, name: name.isEmpty ? child.name : name + "." + child.name, module: child.module)
            }
            let ordered = children.sorted {
                (firstCall[$0.name] ?? Int.max, $0.index) < (firstCall[$1.name] ?? Int.max, $1.index)
            }
            for child in ordered.reversed() { stack.append((child.name, child.module)) }
        }
        return result
    }

    static func treeLayout(_ childCounts: [Int]) -> (ends: [Int], depths: [Int]) {
        var ends = [Int](repeating: childCounts.count, count: childCounts.count)
        var depths = [Int](repeating: 0, count: childCounts.count)
        var open: [(index: Int, remaining: Int)] = []
        for (index, children) in childCounts.enumerated() {
            // This entry is a child of the innermost open entry.
            if !open.isEmpty { open[open.count - 1].remaining -= 1 }
            depths[index] = open.count
            open.append((index, children))
            // Close every entry whose children are all listed and whose subtree ends here.
            while let last = open.last, last.remaining == 0 {
                ends[last.index] = index + 1
                open.removeLast()
            }
        }
        return (ends, depths)
    }
}

/// Runs `model` on `input` once (and `loss` on its output, when given, so the memory is that of a training
/// step) and summarises it as torchinfo does. See ``ModelSummary``.
///
/// ```swift
/// let s = summary(model, input: x, loss: { MSELoss()($0, y) })
/// print(s)
/// ```
public func summary(_ model: Module, input: Tensor, loss: ((Tensor) -> Tensor)? = nil) -> ModelSummary {
    let recorder = ModuleCallRecorder()
    let output = recorder.record { model(input) }
    let root = loss.map { $0(output) } ?? output
    return ModelSummary(model: model, input: input, output: output, root: root, calls: recorder.calls)
}
