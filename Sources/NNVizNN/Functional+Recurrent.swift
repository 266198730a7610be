import NNVizCore

// The pieces RNNCell, RNN, LSTMCell, LSTM, GRUCell and GRU are built from. They record the graph
// PyTorch's CPU implementation records (aten/src/ATen/native/RNN.cpp, `FullLayer`,
// `FullBidirectionalLayer` and the cells): the input of a layer is projected for all steps at once by
// `at::linear`'s rules and unbound into steps, each step adds the hidden projection (`AddmmBackward0` +
// `AddBackward0`) and applies the nonlinearity (a GRU step first splits both projections into gate
// thirds), the step outputs are stacked, and batch-first output is transposed in place
// (`TransposeBackward1`).

// MARK: - Multi-output nodes

/// The parts of a tensor split by PyTorch's `unbind(0)` or `unsafe_chunk(n, 1)`, all hanging from one
/// backward node (`UnbindBackward0`, `UnsafeSplitBackward0`) as in PyTorch's graph.
///
/// The core's backward nodes have one output, so the node is recorded on a tensor standing for the
/// whole input; an op reading a part records its own node with an edge to that tensor (see
/// ``recordOnParts(_:_:saved:output:backward:)``) and hands its gradient for the part to the split, which
/// assembles the whole gradient when backward reaches the split node.
final class SplitTensor {
    /// The parts' values (no graph).
    let parts: [Tensor]
    /// The tensor carrying the split node; nil when the source needs no gradient here.
    let node: Tensor?
    fileprivate let gradients: PartGradients?

    private init(source: PartOperand, parts: [Tensor], name: String, saved: [SavedValue], assemble: @escaping ([Tensor]) -> Tensor) {
        self.parts = parts
        guard Tensor.isRecording([source.input]) else {
            node = nil
            gradients = nil
            return
        }
        let gradients = PartGradients(partShape: parts[0].shape, dtype: source.value.dtype, count: parts.count, assemble: assemble)
        self.gradients = gradients
        node = recordOnParts(name, [source], saved: saved, output: source.value.detach()) { _ in [gradients.collect()] }
    }

    /// `source.unbind(0)`: one part per index of dimension 0 (`UnbindBackward0`).
    convenience init(unbinding source: Tensor) {
        let shape = source.shape
        let parts = blocks(source, count: shape[0], shape: Array(shape.dropFirst()))
        self.init(source: .tensor(source), parts: parts, name: "UnbindBackward0", saved: [.attribute("dim", "0")]) {
            concatenated($0, shape: shape)
        }
    }

    /// `source.unsafe_chunk(count, 1)` of a 2-D tensor, or of one part of another split (a GRU step's
    /// input gates): equal column blocks (`UnsafeSplitBackward0`).
    convenience init(chunking source: PartOperand, into count: Int) {
        let whole = source.value
        let saved: [SavedValue] = [.attribute("dim", "1"), .sizes("self_sym_sizes", whole.shape),
                                   .attribute("split_size", "\(whole.shape[1] / count)")]
        self.init(source: source, parts: columnBlocks(whole, count: count), name: "UnsafeSplitBackward0", saved: saved) {
            joiningColumns($0)
        }
    }
}

/// Gradients handed in for each part, assembled into the whole tensor's gradient once backward reaches
/// the split node (missing parts count as zeros), then cleared for the next backward pass.
private final class PartGradients {
    private var parts: [Tensor?]
    private let partShape: [Int]
    private let dtype: DType
    private let assemble: ([Tensor]) -> Tensor

    init(partShape: [Int], dtype: DType, count: Int, assemble: @escaping ([Tensor]) -> Tensor) {
        self.parts = Array(repeating: nil, count: count)
        self.partShape = partShape
        self.dtype = dtype
        self.assemble = assemble
    }

    /// Adds `gradient` for part `index`; returns the 0-dim stand-in the engine forwards to the split node
    /// (NaN when the gradient holds NaN or ±Inf, so anomaly mode blames the right node).
    func add(_ gradient: Tensor, at index: Int) -> Tensor {
        parts[index] = parts[index].map { $0 + gradient } ?? gradient
        func finite<T: LayerElement>(_: T.Type) -> Bool {
            T.elementValues(of: gradient).withUnsafeBufferPointer { values in
                for v in values where !v.isFinite { return false }
                return true
            }
        }
        let allFinite = gradient.dtype == .float64 ? finite(Double.self) : finite(Float.self)
        return Tensor(allFinite ? 0.0 : .nan, dtype: dtype)
    }

    func collect() -> Tensor {
        defer { parts = Array(repeating: nil, count: parts.count) }
        return assemble(parts.map { $0 ?? Tensor.zeros(partShape, dtype: dtype) })
    }
}

/// An input of an op that may read one part of a ``SplitTensor``.
enum PartOperand {
    case tensor(Tensor)
    case part(SplitTensor, Int)

    /// The operand's value.
    var value: Tensor {
        switch self {
        case .tensor(let t): return t
        case let .part(split, i): return split.parts[i]
        }
    }

    /// The edge the op records: the tensor, or the split's node.
    var input: Tensor {
        switch self {
        case .tensor(let t): return t
        case let .part(split, i): return split.node ?? split.parts[i]
        }
    }
}

/// Records the node `name` for an op on `operands` (as ``Tensor/function(_:inputs:saved:output:backward:)``),
/// routing the gradients `backward` gives for split parts to their split.
@discardableResult
func recordOnParts(_ name: String, _ operands: [PartOperand], saved: [SavedValue], output: Tensor,
            backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
    let routes: [(PartGradients, Int)?] = operands.map {
        if case let .part(split, i) = $0, let gradients = split.gradients { return (gradients, i) }
        return nil
    }
    return Tensor.function(name, inputs: operands.map(\.input), saved: saved, output: output) { g in
        var grads = backward(g)
        for (k, route) in routes.enumerated() {
            if let (gradients, i) = route, let part = grads[k] { grads[k] = gradients.add(part, at: i) }
        }
        return grads
    }
}

// MARK: - Ops on parts

extension SplitTensor {
    /// `a + part` (`AddBackward0`), as a step adds its precomputed input projection.
    func add(_ a: Tensor, part i: Int) -> Tensor { addOperands(.tensor(a), .part(self, i)) }

    /// `linear(part, weight, bias)` of a 2-D part (`AddmmBackward0`, or `MmBackward0` without bias), as
    /// the first step projects the initial hidden state.
    func linear(part i: Int, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        let h = parts[i]
        guard node != nil else { return stepLinear(h, weight, bias) }
        let wT = weight.t()
        let output = noGrad { bias.map { addmm($0, h, wT) } ?? h.mm(wT) }
        let w = weight.detach(), hT = noGrad { h.t() }
        let needWeight = wT.requiresGrad
        let hStrides = Tensor.rowMajorStrides(h.shape)
        if let bias {
            let saved: [SavedValue] = [
                .attribute("alpha", "1"), .attribute("beta", "1"),
                needWeight ? .tensor("mat1", shape: h.shape) : .attribute("mat1", "None"),
                .sizes("mat1_sym_sizes", h.shape), .sizes("mat1_sym_strides", hStrides),
                .tensor("mat2", shape: wT.shape), .sizes("mat2_sym_sizes", wT.shape),
                needWeight ? .sizes("mat2_sym_strides", wT.strides) : .attribute("mat2_sym_strides", "()"),
            ]
            return recordOnParts("AddmmBackward0", [.tensor(bias), .part(self, i), .tensor(wT)], saved: saved, output: output) { g in
                [g.sum(dim: 0), g.mm(w), hT.mm(g)]
            }
        }
        let saved: [SavedValue] = [
            .tensor("mat2", shape: wT.shape), .sizes("mat2_sym_sizes", wT.shape),
            needWeight ? .sizes("mat2_sym_strides", wT.strides) : .attribute("mat2_sym_strides", "()"),
            needWeight ? .tensor("self", shape: h.shape) : .attribute("self", "None"),
            .sizes("self_sym_sizes", h.shape), .sizes("self_sym_strides", hStrides),
        ]
        return recordOnParts("MmBackward0", [.part(self, i), .tensor(wT)], saved: saved, output: output) { g in
            [g.mm(w), hT.mm(g)]
        }
    }

    /// `a * part` (`MulBackward0`), as the first LSTM step forgets the initial cell state.
    func multiply(_ a: Tensor, part i: Int) -> Tensor { multiplyOperands(.tensor(a), .part(self, i)) }

    /// `sigmoid(part)` (`SigmoidBackward0`), an LSTM gate.
    func sigmoid(part i: Int) -> Tensor {
        guard node != nil else { return parts[i].sigmoid() }
        let r = parts[i].sigmoid()
        return recordOnParts("SigmoidBackward0", [.part(self, i)], saved: [.tensor("result", shape: r.shape)], output: r) { g in
            [g * r * (1 - r)]
        }
    }

    /// `tanh(part)` (`TanhBackward0`), the LSTM cell gate.
    func tanh(part i: Int) -> Tensor {
        guard node != nil else { return parts[i].tanh() }
        let r = parts[i].tanh()
        return recordOnParts("TanhBackward0", [.part(self, i)], saved: [.tensor("result", shape: r.shape)], output: r) { g in
            [g * (1 - r * r)]
        }
    }
}

// MARK: - Elementwise ops on operands

/// `a + b` of equal shapes (`AddBackward0`), either operand possibly a split's part.
func addOperands(_ a: PartOperand, _ b: PartOperand) -> Tensor {
    recordOnParts("AddBackward0", [a, b], saved: [.attribute("alpha", "1")], output: elementwiseSum(a.value, b.value)) { g in
        [g, g]
    }
}

/// `a - b` of equal shapes (`SubBackward0`), as a GRU step takes the candidate from its hidden state.
func subtractOperands(_ a: PartOperand, _ b: PartOperand) -> Tensor {
    let output = noGrad { a.value - b.value }
    return recordOnParts("SubBackward0", [a, b], saved: [.attribute("alpha", "1")], output: output) { g in [g, -g] }
}

/// `a * b` of equal shapes (`MulBackward0`; each factor is saved only when the other needs its gradient).
func multiplyOperands(_ a: PartOperand, _ b: PartOperand) -> Tensor {
    let x = a.value.detach(), y = b.value.detach()
    let output = noGrad { x * y }
    let saved: [SavedValue] = [
        a.input.requiresGrad ? .tensor("other", shape: y.shape) : .attribute("other", "None"),
        b.input.requiresGrad ? .tensor("self", shape: x.shape) : .attribute("self", "None"),
    ]
    return recordOnParts("MulBackward0", [a, b], saved: saved, output: output) { g in [g * y, g * x] }
}

/// `linear(h, weight, bias)` of a step's hidden state, which is a part of the unbound initial state at
/// the first step.
func projectHidden(_ h: PartOperand, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
    switch h {
    case .tensor(let t): return stepLinear(t, weight, bias)
    case let .part(split, i): return split.linear(part: i, weight, bias)
    }
}

// MARK: - Linear maps as at::linear records them

/// `h·Wᵀ + b` of a 2-D tensor: `AddmmBackward0` with bias, `MmBackward0` without.
func stepLinear(_ h: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
    if let bias { return addmm(bias, h, weight.t()) }
    return h.mm(weight.t())
}

/// `x·Wᵀ + b` of a 3-D (steps, batch, features) tensor: a contiguous input with bias is flattened,
/// multiplied by one `addmm` and viewed back (`ViewBackward0`, `AddmmBackward0`, `UnsafeViewBackward0`);
/// otherwise `matmul` then `+ b` (`UnsafeViewBackward0` of `MmBackward0`, `AddBackward0`).
func sequenceLinear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
    let (steps, batch) = (x.shape[0], x.shape[1])
    if let bias, x.strides == Tensor.rowMajorStrides(x.shape) {
        let flat = addmm(bias, x.view([steps * batch, x.shape[2]]), weight.t())
        return unsafeView(flat, [steps, batch, weight.shape[0]])
    }
    let product = x.matmul(weight.t())
    guard let bias else { return product }
    return Tensor.function("AddBackward0", inputs: [product, bias], saved: [.attribute("alpha", "1")],
                           output: addingRows(product, bias)) { g in [g, sumOverRows(g)] }
}

/// `t` in another shape, recorded as PyTorch's `_unsafe_view` (`UnsafeViewBackward0`).
func unsafeView(_ t: Tensor, _ shape: [Int]) -> Tensor {
    let output = t.dtype == .float64
        ? Tensor(shape: shape, values: t.scalars, dtype: .float64) : Tensor(shape: shape, floats: t.floats)
    let original = t.shape
    return Tensor.function("UnsafeViewBackward0", inputs: [t], saved: [.sizes("self_sym_sizes", original)], output: output) { g in
        [g.reshape(original)]
    }
}

/// `t.transpose_(0, 1)` (`TransposeBackward1`), as batch-first output is turned around in place. The
/// result has a transpose's strides, so a later `reshape` copies as PyTorch's does.
func transposeInPlace(_ t: Tensor) -> Tensor {
    let output = noGrad { t.transpose(0, 1) }
    return Tensor.function("TransposeBackward1", inputs: [t], saved: [.attribute("dim0", "0"), .attribute("dim1", "1")],
                           output: output) { g in [swappingLeadingDimensions(g)] }
}

/// `torch.stack(steps, 0)` of equal-shaped tensors (`StackBackward0`).
func stackSteps(_ steps: [Tensor]) -> Tensor {
    let stepShape = steps[0].shape
    let output = concatenated(steps, shape: [steps.count] + stepShape)
    return Tensor.function("StackBackward0", inputs: steps, saved: [.attribute("dim", "0")], output: output) { g in
        blocks(g, count: steps.count, shape: stepShape)
    }
}

extension Tensor {
    /// Row-major strides of `shape`.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
        return strides
    }
}

// MARK: - Contiguous kernels

/// The parts' elements one after another, as a tensor of `shape`.
func concatenated(_ parts: [Tensor], shape: [Int]) -> Tensor {
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        var values = [T]()
        values.reserveCapacity(shape.reduce(1, *))
        for part in parts { values.append(contentsOf: T.elementValues(of: part)) }
        return T.elementTensor(values, shape: shape)
    }
    return parts[0].dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// `count` consecutive equal blocks of the elements, each a tensor of `shape`.
func blocks(_ t: Tensor, count: Int, shape: [Int]) -> [Tensor] {
    func run<T: LayerElement>(_: T.Type) -> [Tensor] {
        let values = T.elementValues(of: t), size = values.count / max(count, 1)
        return (0..<count).map { T.elementTensor(Array(values[($0 * size)..<(($0 + 1) * size)]), shape: shape) }
    }
    return t.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// The `count` equal column blocks of a 2-D tensor.
func columnBlocks(_ t: Tensor, count: Int) -> [Tensor] {
    let rows = t.shape[0], width = t.shape[1], chunk = width / count
    func run<T: LayerElement>(_: T.Type) -> [Tensor] {
        let values = T.elementValues(of: t)
        return (0..<count).map { j in
            var part = [T]()
            part.reserveCapacity(rows * chunk)
            for r in 0..<rows { part.append(contentsOf: values[(r * width + j * chunk)..<(r * width + (j + 1) * chunk)]) }
            return T.elementTensor(part, shape: [rows, chunk])
        }
    }
    return t.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// 2-D tensors with equal row counts side by side.
func joiningColumns(_ parts: [Tensor]) -> Tensor {
    let rows = parts[0].shape[0], widths = parts.map { $0.shape[1] }
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let values = parts.map { T.elementValues(of: $0) }
        var joined = [T]()
        joined.reserveCapacity(rows * widths.reduce(0, +))
        for r in 0..<rows {
            for (part, width) in zip(values, widths) { joined.append(contentsOf: part[(r * width)..<((r + 1) * width)]) }
        }
        return T.elementTensor(joined, shape: [rows, widths.reduce(0, +)])
    }
    return parts[0].dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// (a, b, …) → (b, a, …) as a new contiguous tensor.
func swappingLeadingDimensions(_ t: Tensor) -> Tensor {
    let (a, b) = (t.shape[0], t.shape[1])
    let inner = t.count / max(a * b, 1)
    var shape = t.shape
    shape.swapAt(0, 1)
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let values = T.elementValues(of: t)
        var swapped = [T]()
        swapped.reserveCapacity(values.count)
        for j in 0..<b {
            for i in 0..<a { swapped.append(contentsOf: values[((i * b + j) * inner)..<((i * b + j + 1) * inner)]) }
        }
        return T.elementTensor(swapped, shape: shape)
    }
    return t.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// `a + b` elementwise for equal shapes, without a graph.
func elementwiseSum(_ a: Tensor, _ b: Tensor) -> Tensor {
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let x = T.elementValues(of: a), y = T.elementValues(of: b)
        let sum = [T](unsafeUninitializedCapacity: x.count) { out, count in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    for i in 0..<x.count { out[i] = x[i] + y[i] }
                }
            }
            count = x.count
        }
        return T.elementTensor(sum, shape: a.shape)
    }
    return a.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// `x + bias` with the bias added along the last dimension of every row, without a graph.
func addingRows(_ x: Tensor, _ bias: Tensor) -> Tensor {
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let values = T.elementValues(of: x), b = T.elementValues(of: bias), width = b.count
        let sum = [T](unsafeUninitializedCapacity: values.count) { out, count in
            values.withUnsafeBufferPointer { v in
                b.withUnsafeBufferPointer { b in
                    for row in stride(from: 0, to: v.count, by: width) {
                        for j in 0..<width { out[row + j] = v[row + j] + b[j] }
                    }
                }
            }
            count = values.count
        }
        return T.elementTensor(sum, shape: x.shape)
    }
    return x.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// The sum over every dimension but the last (a bias's gradient), accumulated in double.
func sumOverRows(_ g: Tensor) -> Tensor {
    let width = g.shape.last ?? 1
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        var sums = [Double](repeating: 0, count: width)
        T.elementValues(of: g).withUnsafeBufferPointer { v in
            for row in stride(from: 0, to: v.count, by: width) {
                for j in 0..<width { sums[j] += Double(v[row + j]) }
            }
        }
        return T.elementTensor(sums.map { T($0) }, shape: [width])
    }
    return g.dtype == .float64 ? run(Double.self) : run(Float.self)
}

// MARK: - Weights

/// The weights of one recurrent layer: `weight_ih` (gates·hidden × input), `weight_hh` (gates·hidden ×
/// hidden) and the two biases, with PyTorch's gate order (LSTM: input, forget, cell, output; GRU: reset,
/// update, new).
///
/// ```swift
/// let rnn = RNN(1, 32)
/// print(rnn.layers[0].weightHH.shape)     // [32, 32]
/// ```
public struct RecurrentLayerWeights {
    public let weightIH: Tensor
    public let weightHH: Tensor
    public let biasIH: Tensor?
    public let biasHH: Tensor?

    init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?, biasHH: Tensor?) {
        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = biasIH
        self.biasHH = biasHH
    }

    /// Creates and initialises them as PyTorch does: each uniform in ±1/√hidden, in the order
    /// weight_ih, weight_hh, bias_ih, bias_hh.
    init(inputSize: Int, hiddenSize: Int, gates: Int, bias: Bool, generator: Generator) {
        let bound = hiddenSize > 0 ? 1 / Double(hiddenSize).squareRoot() : 0
        func parameter(_ shape: [Int]) -> Tensor {
            let t = Tensor.zeros(shape)
            t.uniform_(-bound, bound, generator: generator)
            return t.requiresGrad_()
        }
        weightIH = parameter([gates * hiddenSize, inputSize])
        weightHH = parameter([gates * hiddenSize, hiddenSize])
        biasIH = bias ? parameter([gates * hiddenSize]) : nil
        biasHH = bias ? parameter([gates * hiddenSize]) : nil
    }

    /// Every layer's weights of a multi-layer RNN, LSTM or GRU (`gates` 1, 4 or 3), layer by layer and in
    /// each layer forward then reverse direction, checked and initialised in PyTorch's order; the layer
    /// sizes and dropout are checked with PyTorch's messages.
    static func layers(inputSize: Int, hiddenSize: Int, numLayers: Int, directions: Int, gates: Int, bias: Bool,
                       dropout: Double, generator: Generator) -> [RecurrentLayerWeights] {
        precondition(hiddenSize > 0, "hidden_size must be greater than zero")
        precondition(numLayers > 0, "num_layers must be greater than zero")
        precondition(dropout >= 0 && dropout <= 1,
                     "dropout should be a number in range [0, 1] representing the probability of an element being zeroed")
        return (0..<(numLayers * directions)).map {
            RecurrentLayerWeights(inputSize: $0 < directions ? inputSize : hiddenSize * directions, hiddenSize: hiddenSize,
                                  gates: gates, bias: bias, generator: generator)
        }
    }

    /// The parameters with PyTorch's names and `suffix` (`weight_ih_l0` with suffix `_l0`).
    func named(_ suffix: String) -> [(name: String, tensor: Tensor)] {
        [("weight_ih" + suffix, weightIH), ("weight_hh" + suffix, weightHH)]
            + (biasIH.map { [("bias_ih" + suffix, $0)] } ?? []) + (biasHH.map { [("bias_hh" + suffix, $0)] } ?? [])
    }

    /// Every layer's parameters with PyTorch's names: `weight_ih_l0`, …, `bias_hh_l0`, then
    /// `weight_ih_l0_reverse`, … when bidirectional, then `…_l1`.
    static func named(_ layers: [RecurrentLayerWeights], directions: Int) -> [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { index, weights in
            weights.named("_l\(index / directions)" + (index % directions == 1 ? "_reverse" : ""))
        }
    }
}

// MARK: - Calls with more than one argument

extension Module {
    /// Runs `body` as `callAsFunction` runs `forward` (graph nodes tagged with this module's path, the
    /// call site kept in anomaly mode), for the recurrent layers' calls that take a state.
    func withRecurrentCallScope<R>(file: String, line: Int, _ body: () -> R) -> R {
        if scopePath == nil { assignScopePaths(root: "") }
        return withModuleScope(scopePath ?? "", site: "\(typeName) at \(file):\(line)", body)
    }
}
