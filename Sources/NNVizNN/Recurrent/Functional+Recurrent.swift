import NNVizCore

// The pieces RNNCell, RNN, LSTMCell, LSTM, GRUCell and GRU are built from. They record the graph
// PyTorch's CPU implementation records (aten/src/ATen/native/RNN.cpp, `FullLayer`,
// `FullBidirectionalLayer` and the cells): the input of a layer is projected for all steps at once by
// `at::linear`'s rules and unbound into steps, each step adds the hidden projection (`AddmmBackward0` +
// `AddBackward0`) and applies the nonlinearity (a GRU step first splits both projections into gate
// thirds), the step outputs are stacked, and batch-first output is transposed in place
// (`TransposeBackward1`).

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

/// `x + bias` with the bias added along the last dimension of every row, without a graph.
func addingRows(_ x: Tensor, _ bias: Tensor) -> Tensor {
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let values = T.elementValues(of: x), b = T.elementValues(of: bias), width = b.count
        let sum = [T](unsafeUninitializedCapacity: values.count) { out, count in
            values.withUnsafeBufferPointer { v in
                b.withUnsafeBufferPointer { b in
                    guard let source = v.baseAddress, let target = out.baseAddress, let b = b.baseAddress else { return }
                    for row in stride(from: 0, to: v.count, by: width) {
                        let s = source + row, o = target + row
                        for j in 0..<width { o[j] = s[j] + b[j] }
                    }
                }
            }
            count = values.count
        }
        return T.elementTensor(sum, shape: x.shape)
    }
    return x.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// The sum over every dimension but the last (a bias's gradient), accumulated in double, row after row.
func sumOverRows(_ g: Tensor) -> Tensor {
    let width = g.shape.last ?? 1
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let sums = [Double](unsafeUninitializedCapacity: width) { sums, count in
            sums.initialize(repeating: 0)
            count = width
            T.elementValues(of: g).withUnsafeBufferPointer { v in
                guard let source = v.baseAddress, let sum = sums.baseAddress else { return }
                for row in stride(from: 0, to: v.count, by: width) {
                    let s = source + row
                    for j in 0..<width { sum[j] += Double(s[j]) }
                }
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
