import NNVizCore

/// One GRU step as PyTorch's CPU `GRUCell` computes it: the input gates (already projected, given as
/// a split into reset, update and new thirds) and the hidden projection's thirds (`UnsafeSplitBackward0`)
/// give `r = σ(h_r + i_r)`, `z = σ(h_z + i_z)`, `n = tanh(i_n + h_n·r)` and `h' = (h − n)·z + n`.
func gruStep(inputGates: [Tensor], hidden: Tensor, weights: RecurrentLayerWeights) -> Tensor {
    let hiddenGates = stepLinear(hidden, weights.weightHH, weights.biasHH).unsafeChunk(3, dim: 1)
    let reset = (hiddenGates[0] + inputGates[0]).sigmoid()
    let update = (hiddenGates[1] + inputGates[1]).sigmoid()
    let candidate = (inputGates[2] + hiddenGates[2] * reset).tanh()
    return (hidden - candidate) * update + candidate
}

/// One GRUCell step over checked input with the given weights (any float dtype).
func runGRUCell(_ input: Tensor, _ hidden: Tensor?, weights: RecurrentLayerWeights) -> Tensor {
    let batched = input.ndim == 2
    let x = batched ? input : input.unsqueeze(0)
    let h = hidden.map { batched ? $0 : $0.unsqueeze(0) }
        ?? Tensor.zeros([x.shape[0], weights.weightHH.shape[1]], dtype: x.dtype)
    let inputGates = stepLinear(x, weights.weightIH, weights.biasIH).unsafeChunk(3, dim: 1)
    let next = gruStep(inputGates: inputGates, hidden: h, weights: weights)
    return batched ? next : next.squeeze(0)
}

/// One step of a gated recurrent unit, like `nn.GRUCell(input_size, hidden_size, bias=True)`:
/// `cell(x, h)` gives the next hidden state.
///
/// Parameters `weight_ih` (3·hidden × input), `weight_hh` (3·hidden × hidden), `bias_ih`, `bias_hh`,
/// with the gates in PyTorch's order (reset, update, new), each uniform in ±1/√hidden from the generator
/// in that order. The graph is PyTorch's CPU cell: each projection (`AddmmBackward0`) split into thirds
/// (`UnsafeSplitBackward0`), `AddBackward0` + `SigmoidBackward0` for the reset and update gates,
/// `MulBackward0`, `AddBackward0` and `TanhBackward0` for the new gate, then `SubBackward0`,
/// `MulBackward0` and `AddBackward0` for the next state. Input is (batch, input) or unbatched (input);
/// without a state the cell starts from zeros.
///
/// ```swift
/// let cell = GRUCell(4, 3)
/// var h = Tensor.zeros([2, 3])
/// for x in steps { h = cell(x, h) }
/// ```
public final class GRUCell: RNNCellBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, generator: Generator = defaultGenerator) {
        super.init("GRUCell", inputSize: inputSize, hiddenSize: hiddenSize, gates: 3, bias: bias, generator: generator)
    }

    /// The next hidden state from `input` and the current `hidden` state (zeros when nil), like `cell(x, h)`.
    public func callAsFunction(_ input: Tensor, _ hidden: Tensor?, file: String = #fileID, line: Int = #line) -> Tensor {
        withRecurrentCallScope(file: file, line: line) { step(input, hidden) }
    }

    /// One step from a zero state.
    public override func forward(_ input: Tensor) -> Tensor { step(input, nil) }

    private func step(_ input: Tensor, _ hidden: Tensor?) -> Tensor {
        do { try check(input, hidden) } catch { preconditionFailure("\(error)") }
        return runGRUCell(input, hidden, weights: weights)
    }

    /// The next state's shape for an input of shape `input`, or PyTorch's error for an input of the
    /// wrong rank or feature size.
    ///
    /// ```swift
    /// try GRUCell.outputShape(input: [2, 4], inputSize: 4, hiddenSize: 3)   // [2, 3]
    /// ```
    public static func outputShape(input: [Int], inputSize: Int, hiddenSize: Int) throws -> [Int] {
        guard input.count == 1 || input.count == 2 else {
            throw TensorError("GRUCell: Expected input to be 1D or 2D, got \(input.count)D instead")
        }
        if input.last != inputSize {
            throw TensorError("input has inconsistent input_size: got \(input.last ?? 0) expected \(inputSize)")
        }
        return input.dropLast() + [hiddenSize]
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ hidden: Tensor?) throws {
        _ = try Self.outputShape(input: input.shape, inputSize: inputSize, hiddenSize: hiddenSize)
        try checkCell("GRUCell", input, hidden.map { [$0] }, inputSize: inputSize, hiddenSize: hiddenSize, weight: weightIH!)
    }
}

/// A multi-layer gated recurrent unit over a whole sequence, like `nn.GRU(input_size, hidden_size,
/// num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False)`; calling it gives
/// `(output, h_n)`.
///
/// Shapes are ``RNN``'s: input (steps, batch, input), (batch, steps, input) with `batchFirst`, or
/// unbatched (steps, input); the optional initial state and `h_n` are (layers·directions, batch, hidden);
/// `output` has hidden·directions features. Parameters are named and initialised as PyTorch's
/// (`weight_ih_l0` with 3·hidden rows in the gate order reset, update, new, `weight_hh_l0`, `bias_ih_l0`,
/// `bias_hh_l0`, `…_l0_reverse` when bidirectional, then `…_l1`, each uniform in ±1/√hidden in that
/// order). A `generator` given to `init` draws them and the dropout masks; otherwise
/// ``defaultGenerator`` does.
///
/// The graph is the one PyTorch's CPU implementation records (it has no fused GRU kernel): each layer
/// projects its whole input at once and unbinds it into steps (`UnbindBackward0`), each step splits its
/// input projection into thirds and runs the ``GRUCell`` step, the steps are stacked (`StackBackward0`),
/// directions joined (`CatBackward0`) and batch-first output transposed in place (`TransposeBackward1`).
///
/// `let (output, hidden) = gru(x)` and `gru(x, h0)` give both; `gru(x)` used as a tensor (or inside
/// ``Sequential``) gives the output alone.
///
/// ```swift
/// let gru = GRU(4, 3, numLayers: 2, batchFirst: true, bidirectional: true)
/// let (output, hidden) = gru(x)       // x (2, 5, 4) → output (2, 5, 6), hidden (4, 2, 3)
/// ```
public final class GRU: RNNBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, generator: Generator? = nil) {
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 3, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, generator: generator)
    }

    /// Runs the sequence from `hidden` (zeros when nil), like `gru(x, h0)`: the last layer's output at
    /// every step and every layer's and direction's final hidden state.
    public func callAsFunction(_ input: Tensor, _ hidden: Tensor? = nil, file: String = #fileID,
                               line: Int = #line) -> (output: Tensor, hidden: Tensor) {
        withRecurrentCallScope(file: file, line: line) { run(input, hidden) }
    }

    /// The output sequence alone (as a layer inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, nil).output }

    private func run(_ input: Tensor, _ hidden: Tensor?) -> (output: Tensor, hidden: Tensor) {
        do { try check(input, hidden) } catch { preconditionFailure("\(error)") }
        return runGRU(input, hidden, layers: layers, hiddenSize: hiddenSize, batchFirst: batchFirst,
                      bidirectional: bidirectional, dropout: training ? dropout : 0,
                      generator: dropoutGenerator ?? defaultGenerator)
    }

    /// The output's shape for an input of shape `input`, or PyTorch's error for an input of the wrong
    /// rank or feature size, or without steps.
    ///
    /// ```swift
    /// try GRU.outputShape(input: [2, 5, 4], inputSize: 4, hiddenSize: 3, batchFirst: true)   // [2, 5, 3]
    /// ```
    public static func outputShape(input: [Int], inputSize: Int, hiddenSize: Int, batchFirst: Bool = false,
                                   bidirectional: Bool = false) throws -> [Int] {
        try recurrentSequenceShape(input, kind: "GRU", inputSize: inputSize, hiddenSize: hiddenSize,
                                   bidirectional: bidirectional, batchFirst: batchFirst)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or initial state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ hidden: Tensor?) throws {
        try checkSequence(input, hidden: hidden, kind: "GRU")
    }
}

/// The GRU's forward pass over checked input with the given weights (any float dtype); `dropout` > 0
/// drops each layer's output but the last.
func runGRU(_ input: Tensor, _ hidden: Tensor?, layers: [RecurrentLayerWeights], hiddenSize: Int, batchFirst: Bool,
            bidirectional: Bool = false, dropout: Double = 0,
            generator: Generator = defaultGenerator) -> (output: Tensor, hidden: Tensor) {
    runUnfusedLayers(input, hidden, layers: layers, hiddenSize: hiddenSize, batchFirst: batchFirst,
                     bidirectional: bidirectional, dropout: dropout, generator: generator) { steps, t, h, weights in
        gruStep(inputGates: steps[t].unsafeChunk(3, dim: 1), hidden: h, weights: weights)
    }
}
