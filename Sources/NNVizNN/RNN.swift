import NNVizCore

/// A multi-layer Elman RNN over a whole sequence, like `nn.RNN(input_size, hidden_size, num_layers=1,
/// nonlinearity='tanh', bias=True, batch_first=False, dropout=0)`; calling it gives `(output, h_n)`.
///
/// Input is (steps, batch, input), (batch, steps, input) with `batchFirst`, or unbatched (steps, input);
/// the optional initial state is (layers, batch, hidden), zeros when nil. `output` holds the last layer's
/// hidden state at every step, `h_n` every layer's last one. Parameters are named and initialised as
/// PyTorch's (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then `…_l1`, each uniform in
/// ±1/√hidden in that order). A `generator` given to `init` draws them and the dropout masks;
/// otherwise ``defaultGenerator`` does (at construction, and at each call for the masks).
///
/// The graph is the one PyTorch's CPU implementation records, an RNNCell loop read step by step: each
/// layer projects its whole input at once (`AddmmBackward0` or `MmBackward0`, unbound into steps by one
/// `UnbindBackward0`), each step is `TanhBackward0` of `AddBackward0` of the hidden projection
/// (`AddmmBackward0` fed by `TBackward0`) and that step's input projection, and the steps are stacked
/// (`StackBackward0`, then `TransposeBackward1` for batch-first output).
///
/// `let (output, hidden) = rnn(x)` and `rnn(x, h0)` give both; `rnn(x)` used as a tensor (or inside
/// ``Sequential``) gives the output alone.
///
/// ```swift
/// manualSeed(1)
/// let rnn = RNN(1, 32, batchFirst: true)
/// let fc = Linear(32, 1)
/// let (output, _) = rnn(inputs)                        // (176, 25, 32)
/// let prediction = fc(output[TensorIndex.all, -1])     // (176, 1)
/// ```
public final class RNN: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let nonlinearity: RNNNonlinearity
    public let bias: Bool
    public let batchFirst: Bool
    /// Dropout probability applied to each layer's output but the last, in training mode.
    public let dropout: Double
    /// Each layer's weights.
    public let layers: [RecurrentLayerWeights]
    /// The generator dropout masks are drawn from; nil draws from ``defaultGenerator`` at each call.
    private let dropoutGenerator: Generator?

    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: RNNNonlinearity = .tanh,
                bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, generator: Generator? = nil) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.nonlinearity = nonlinearity
        self.bias = bias
        self.batchFirst = batchFirst
        self.dropout = dropout
        dropoutGenerator = generator
        layers = RecurrentLayerWeights.layers(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                              gates: 1, bias: bias, dropout: dropout, generator: generator ?? defaultGenerator)
        super.init()
    }

    /// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `weight_ih_l1`, …
    public override func ownParameters() -> [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { $0.element.named("_l\($0.offset)") }
    }

    /// Runs the sequence from `hidden` (zeros when nil), like `rnn(x, h0)`: the last layer's output at
    /// every step and every layer's final hidden state.
    public func callAsFunction(_ input: Tensor, _ hidden: Tensor? = nil, file: String = #fileID,
                               line: Int = #line) -> (output: Tensor, hidden: Tensor) {
        withRecurrentCallScope(file: file, line: line) { run(input, hidden) }
    }

    /// The output sequence alone (as a layer inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, nil).output }

    private func run(_ input: Tensor, _ hidden: Tensor?) -> (output: Tensor, hidden: Tensor) {
        do { try check(input, hidden) } catch { preconditionFailure("\(error)") }
        return runRNN(input, hidden, layers: layers, hiddenSize: hiddenSize, nonlinearity: nonlinearity,
                      batchFirst: batchFirst, dropout: training ? dropout : 0, generator: dropoutGenerator ?? defaultGenerator)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or initial state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ hidden: Tensor?) throws {
        _ = try RNN.outputShape(input: input.shape, inputSize: inputSize, hiddenSize: hiddenSize, batchFirst: batchFirst)
        if let hidden, input.ndim == 2, hidden.ndim != 2 {
            throw TensorError("For unbatched 2-D input, hx should also be 2-D but got \(hidden.ndim)-D tensor")
        }
        if let hidden, input.ndim == 3, hidden.ndim != 3 {
            throw TensorError("For batched 3-D input, hx should also be 3-D but got \(hidden.ndim)-D tensor")
        }
        try checkSequence(input, weight: layers[0].weightIH)
        if let hidden {
            let expected = expectedStateShape(input, batchFirst: batchFirst, layers: numLayers, hiddenSize: hiddenSize)
            let shape = input.ndim == 2 ? [hidden.shape[0], 1, hidden.shape[1]] : hidden.shape
            if shape != expected {
                throw TensorError("Expected hidden size \(pythonTuple(expected)), got \(sizeText(shape))")
            }
        }
    }

    /// The output sequence's shape for an input of shape `input` (`(N, L, input_size)` batch first,
    /// `(L, N, input_size)`, or unbatched `(L, input_size)`), or PyTorch's error for the wrong rank,
    /// feature size or an empty sequence.
    ///
    /// ```swift
    /// try RNN.outputShape(input: [4, 7, 3], inputSize: 3, hiddenSize: 5, batchFirst: true)    // [4, 7, 5]
    /// ```
    public static func outputShape(input: [Int], inputSize: Int, hiddenSize: Int, batchFirst: Bool = false) throws -> [Int] {
        guard input.count == 2 || input.count == 3 else {
            throw TensorError("RNN: Expected input to be 2D or 3D, got \(input.count)D tensor instead")
        }
        return try recurrentOutputShape(input: input, inputSize: inputSize, hiddenSize: hiddenSize, batchFirst: batchFirst)
    }

    public override var extraDescription: String {
        recurrentDescription(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                             batchFirst: batchFirst, dropout: dropout)
    }
}

/// The RNN's forward pass over checked input with the given weights (any float dtype); `dropout` > 0
/// drops each layer's output but the last.
func runRNN(_ input: Tensor, _ hidden: Tensor?, layers: [RecurrentLayerWeights], hiddenSize: Int,
            nonlinearity: RNNNonlinearity, batchFirst: Bool, dropout: Double = 0,
            generator: Generator = defaultGenerator) -> (output: Tensor, hidden: Tensor) {
    let batched = input.ndim == 3, batchDim = batchFirst ? 0 : 1
    let x = batched ? input : input.unsqueeze(batchDim)
    let h0 = hidden.map { batched ? $0 : $0.unsqueeze(1) }
        ?? Tensor.zeros([layers.count, x.shape[batchDim], hiddenSize], dtype: x.dtype)
    let initial = SplitTensor(unbinding: h0)
    var sequence = batchFirst ? x.transpose(0, 1) : x
    var finals: [Tensor] = []
    for (l, weights) in layers.enumerated() {
        let steps = SplitTensor(unbinding: sequenceLinear(sequence, weights.weightIH, weights.biasIH))
        var outputs: [Tensor] = []
        outputs.reserveCapacity(steps.parts.count)
        for t in 0..<steps.parts.count {
            let projected = outputs.last.map { stepLinear($0, weights.weightHH, weights.biasHH) }
                ?? initial.linear(part: l, weights.weightHH, weights.biasHH)
            let sum = steps.add(projected, part: t)
            outputs.append(nonlinearity == .tanh ? sum.tanh() : sum.relu())
        }
        finals.append(outputs.last!)
        sequence = stackSteps(outputs)
        if dropout > 0 && l < layers.count - 1 { sequence = NNVizNN.dropout(sequence, p: dropout, generator: generator) }
    }
    let output = batchFirst ? transposeInPlace(sequence) : sequence
    let last = stackSteps(finals)
    guard !batched else { return (output, last) }
    return (output.squeeze(batchDim), last.squeeze(1))
}

/// PyTorch's dtype check of a sequence against the layer's weights.
func checkSequence(_ input: Tensor, weight: Tensor) throws {
    if input.dtype != weight.dtype {
        throw TensorError("RNN input dtype (\(input.dtype)) does not match weight dtype (\(weight.dtype)). Convert input: input.to(\(weight.dtype)), or convert model: model.to(\(input.dtype))")
    }
}

/// The shape rule RNN and LSTM share past their rank checks: the feature size, at least one step, and
/// the output sequence with `hiddenSize` features.
func recurrentOutputShape(input: [Int], inputSize: Int, hiddenSize: Int, batchFirst: Bool) throws -> [Int] {
    if input.last != inputSize {
        throw TensorError("input.size(-1) must be equal to input_size. Expected \(inputSize), got \(input.last ?? 0)")
    }
    let steps = input.count == 3 && batchFirst ? input[1] : input[0]
    if steps == 0 { throw TensorError("Expected sequence length to be larger than 0 in RNN") }
    return Array(input.dropLast()) + [hiddenSize]
}

/// The (layers, batch, hidden) shape an initial state must have for `input` (unbatched input counts as batch 1).
func expectedStateShape(_ input: Tensor, batchFirst: Bool, layers: Int, hiddenSize: Int) -> [Int] {
    let batch = input.ndim == 2 ? 1 : input.shape[batchFirst ? 0 : 1]
    return [layers, batch, hiddenSize]
}

/// PyTorch's `RNNBase.extra_repr`: sizes, then the arguments that differ from their defaults.
func recurrentDescription(inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool,
                          dropout: Double) -> String {
    var text = "\(inputSize), \(hiddenSize)"
    if numLayers != 1 { text += ", num_layers=\(numLayers)" }
    if !bias { text += ", bias=False" }
    if batchFirst { text += ", batch_first=True" }
    if dropout != 0 { text += ", dropout=\(pythonFloat(dropout))" }
    return text
}
