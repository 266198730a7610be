import NNVizCore

/// A multi-layer Elman RNN over a whole sequence, like `nn.RNN(input_size, hidden_size, num_layers=1,
/// nonlinearity='tanh', bias=True, batch_first=False, dropout=0, bidirectional=False)`; calling it gives
/// `(output, h_n)`.
///
/// Input is (steps, batch, input), (batch, steps, input) with `batchFirst`, or unbatched (steps, input);
/// the optional initial state is (layers·directions, batch, hidden), zeros when nil. `output` holds the
/// last layer's hidden state at every step (both directions side by side when bidirectional), `h_n`
/// every layer's and direction's last one. Parameters are named and initialised as PyTorch's
/// (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then `…_l0_reverse` when bidirectional,
/// then `…_l1`, each uniform in ±1/√hidden in that order). A `generator` given to `init` draws them and
/// the dropout masks; otherwise ``defaultGenerator`` does (at construction, and at each call for the masks).
///
/// The graph is the one PyTorch's CPU implementation records, an RNNCell loop read step by step: each
/// layer projects its whole input at once (`AddmmBackward0` or `MmBackward0`, unbound into steps by one
/// `UnbindBackward0`), each step is `TanhBackward0` of `AddBackward0` of the hidden projection
/// (`AddmmBackward0` fed by `TBackward0`) and that step's input projection, and the steps are stacked
/// (`StackBackward0`, then `TransposeBackward1` for batch-first output). A bidirectional layer runs the
/// reverse direction the same way over the steps from last to first, restacks its outputs in time order
/// and joins the two (`CatBackward0` on the feature dimension).
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
public final class RNN: RNNBase {
    public let nonlinearity: RNNNonlinearity

    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: RNNNonlinearity = .tanh,
                bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false,
                generator: Generator? = nil) {
        self.nonlinearity = nonlinearity
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 1, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, generator: generator)
    }

    /// The output's shape for an input of shape `input`, or PyTorch's error for an input of the wrong
    /// rank or feature size, or without steps.
    ///
    /// ```swift
    /// try RNN.outputShape(input: [2, 5, 4], inputSize: 4, hiddenSize: 3, batchFirst: true, bidirectional: true)  // [2, 5, 6]
    /// ```
    public static func outputShape(input: [Int], inputSize: Int, hiddenSize: Int, batchFirst: Bool = false,
                                   bidirectional: Bool = false) throws -> [Int] {
        try recurrentSequenceShape(input, kind: "RNN", inputSize: inputSize, hiddenSize: hiddenSize,
                                   bidirectional: bidirectional, batchFirst: batchFirst)
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
                      batchFirst: batchFirst, bidirectional: bidirectional, dropout: training ? dropout : 0,
                      generator: dropoutGenerator ?? defaultGenerator)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or initial state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ hidden: Tensor?) throws {
        try checkSequence(input, hidden: hidden, kind: "RNN")
    }
}

/// The RNN's forward pass over checked input with the given weights (any float dtype); `dropout` > 0
/// drops each layer's output but the last.
func runRNN(_ input: Tensor, _ hidden: Tensor?, layers: [RecurrentLayerWeights], hiddenSize: Int,
            nonlinearity: RNNNonlinearity, batchFirst: Bool, bidirectional: Bool = false, dropout: Double = 0,
            generator: Generator = defaultGenerator) -> (output: Tensor, hidden: Tensor) {
    runUnfusedLayers(input, hidden, layers: layers, hiddenSize: hiddenSize, batchFirst: batchFirst,
                     bidirectional: bidirectional, dropout: dropout, generator: generator) { steps, t, h, weights in
        let sum = stepLinear(h, weights.weightHH, weights.biasHH) + steps[t]
        return nonlinearity == .tanh ? sum.tanh() : sum.relu()
    }
}

/// The layers of an RNN or GRU as PyTorch's CPU `FullLayer` / `FullBidirectionalLayer` record them: each
/// direction of a layer projects the layer's whole input at once, unbinds it into steps and runs `step`
/// (given the unbound projections, the step's index, the hidden state and the weights) from the initial
/// state, first to last step forward and last to first in reverse; the reverse outputs are put back in
/// time order, each direction's outputs stacked and the two joined on the feature dimension. Returns the
/// last layer's output sequence and every layer's and direction's final hidden state, stacked.
func runUnfusedLayers(_ input: Tensor, _ hidden: Tensor?, layers: [RecurrentLayerWeights], hiddenSize: Int,
                      batchFirst: Bool, bidirectional: Bool, dropout: Double, generator: Generator,
                      step: ([Tensor], Int, Tensor, RecurrentLayerWeights) -> Tensor) -> (output: Tensor, hidden: Tensor) {
    let batched = input.ndim == 3, batchDim = batchFirst ? 0 : 1
    let directions = bidirectional ? 2 : 1, depth = layers.count / directions
    let x = batched ? input : input.unsqueeze(batchDim)
    let h0 = hidden.map { batched ? $0 : $0.unsqueeze(1) }
        ?? Tensor.zeros([layers.count, x.shape[batchDim], hiddenSize], dtype: x.dtype)
    let initial = h0.unbind(0)
    var sequence = batchFirst ? x.transpose(0, 1) : x
    var finals: [Tensor] = []
    for l in 0..<depth {
        var directionOutputs: [Tensor] = []
        for d in 0..<directions {
            let index = l * directions + d, weights = layers[index]
            let steps = sequenceLinear(sequence, weights.weightIH, weights.biasIH).unbind(0)
            let count = steps.count
            var outputs: [Tensor] = []
            outputs.reserveCapacity(count)
            var h = initial[index]
            for i in 0..<count {
                let next = step(steps, d == 0 ? i : count - 1 - i, h, weights)
                outputs.append(next)
                h = next
            }
            finals.append(outputs.last!)
            directionOutputs.append(stackSteps(d == 0 ? outputs : Array(outputs.reversed())))
        }
        sequence = directions == 1 ? directionOutputs[0] : Tensor.cat(directionOutputs, dim: 2)
        if dropout > 0 && l < depth - 1 { sequence = NNVizNN.dropout(sequence, p: dropout, generator: generator) }
    }
    let output = batchFirst ? transposeInPlace(sequence) : sequence
    let last = stackSteps(finals)
    guard !batched else { return (output, last) }
    return (output.squeeze(batchDim), last.squeeze(1))
}

/// The static rule RNN, LSTM and GRU share (PyTorch's Python-side rank check, then the feature size and
/// the kernel's step count): the output shape, `input` with its features replaced by hidden·directions.
func recurrentSequenceShape(_ input: [Int], kind: String, inputSize: Int, hiddenSize: Int, bidirectional: Bool,
                            batchFirst: Bool) throws -> [Int] {
    guard input.count == 2 || input.count == 3 else {
        throw TensorError("\(kind): Expected input to be 2D or 3D, got \(input.count)D\(kind == "RNN" ? " tensor" : "") instead")
    }
    if input.last != inputSize {
        throw TensorError("input.size(-1) must be equal to input_size. Expected \(inputSize), got \(input.last ?? 0)")
    }
    let steps = input.count == 3 && batchFirst ? input[1] : input[0]
    if steps == 0 { throw TensorError("Expected sequence length to be larger than 0 in RNN") }
    return input.dropLast() + [hiddenSize * (bidirectional ? 2 : 1)]
}

/// The initial-state checks RNN and GRU share: rank against the input's, dtype, then shape `expected`.
func checkHiddenState(_ input: Tensor, _ hidden: Tensor?, weight: Tensor, expected: [Int]) throws {
    if let hidden, input.ndim == 2, hidden.ndim != 2 {
        throw TensorError("For unbatched 2-D input, hx should also be 2-D but got \(hidden.ndim)-D tensor")
    }
    if let hidden, input.ndim == 3, hidden.ndim != 3 {
        throw TensorError("For batched 3-D input, hx should also be 3-D but got \(hidden.ndim)-D tensor")
    }
    try checkDtype(input, weight: weight)
    if let hidden {
        let shape = input.ndim == 2 ? [hidden.shape[0], 1, hidden.shape[1]] : hidden.shape
        if shape != expected { throw TensorError("Expected hidden size \(pythonTuple(expected)), got \(sizeText(shape))") }
    }
}

/// PyTorch's check of a sequence's dtype against the layer's.
func checkDtype(_ input: Tensor, weight: Tensor) throws {
    if input.dtype != weight.dtype {
        throw TensorError("RNN input dtype (\(input.dtype)) does not match weight dtype (\(weight.dtype)). Convert input: input.to(\(weight.dtype)), or convert model: model.to(\(input.dtype))")
    }
}

/// The (layers·directions, batch, hidden) shape an initial state must have for `input` (unbatched input counts as batch 1).
func expectedStateShape(_ input: Tensor, batchFirst: Bool, layers: Int, hiddenSize: Int) -> [Int] {
    let batch = input.ndim == 2 ? 1 : input.shape[batchFirst ? 0 : 1]
    return [layers, batch, hiddenSize]
}
