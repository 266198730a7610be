import NNVizCore

/// The step both LSTM layers take, as PyTorch's CPU `LSTMCell` computes it: `gates = h·W_hhᵀ + b_hh +
/// (x·W_ihᵀ + b_ih)` split into input, forget, cell and output gates (`UnsafeSplitBackward0`), then
/// `c' = σ(f)·c + σ(i)·tanh(g)` and `h' = σ(o)·tanh(c')`.
private func lstmStep(gates: Tensor, cell: (Tensor) -> Tensor) -> (h: Tensor, c: Tensor) {
    let chunks = gates.unsafeChunk(4, dim: 1)
    let input = chunks[0].sigmoid(), forget = chunks[1].sigmoid()
    let candidate = chunks[2].tanh(), output = chunks[3].sigmoid()
    let c = cell(forget) + input * candidate
    return (output * c.tanh(), c)
}

/// One LSTMCell step over checked input with the given weights (any float dtype).
func runLSTMCell(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?, weights: RecurrentLayerWeights) -> (h: Tensor, c: Tensor) {
    let batched = input.ndim == 2
    let x = batched ? input : input.unsqueeze(0)
    let zeros = Tensor.zeros([x.shape[0], weights.weightHH.shape[1]], dtype: x.dtype)
    let h = state.map { batched ? $0.h : $0.h.unsqueeze(0) } ?? zeros
    let c = state.map { batched ? $0.c : $0.c.unsqueeze(0) } ?? zeros
    let gates = stepLinear(h, weights.weightHH, weights.biasHH) + stepLinear(x, weights.weightIH, weights.biasIH)
    let next = lstmStep(gates: gates) { $0 * c }
    return batched ? next : (next.h.squeeze(0), next.c.squeeze(0))
}

/// One step of a long short-term memory cell, like `nn.LSTMCell(input_size, hidden_size, bias=True)`;
/// `cell(x, (h, c))` gives the next `(h, c)`.
///
/// Parameters `weight_ih` (4·hidden × input), `weight_hh`, `bias_ih`, `bias_hh` with the gates in
/// PyTorch's order (input, forget, cell, output), each uniform in ±1/√hidden. The graph is PyTorch's
/// CPU cell: the two projections added, one `UnsafeSplitBackward0` into the gates, `SigmoidBackward0` /
/// `TanhBackward0` on each, `MulBackward0` and `AddBackward0` for the cell and hidden states.
///
/// ```swift
/// let cell = LSTMCell(2, 3)
/// var state = (h: Tensor.zeros([4, 3]), c: Tensor.zeros([4, 3]))
/// for x in steps { state = cell(x, state) }
/// ```
public final class LSTMCell: RNNCellBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, generator: Generator = defaultGenerator) {
        super.init("LSTMCell", inputSize: inputSize, hiddenSize: hiddenSize, gates: 4, bias: bias, generator: generator)
    }

    /// The next `(h, c)` from `input` and the current state (zeros when nil), like `cell(x, (h, c))`.
    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?, file: String = #fileID,
                               line: Int = #line) -> (h: Tensor, c: Tensor) {
        withRecurrentCallScope(file: file, line: line) { step(input, state) }
    }

    /// The next hidden state from a zero state.
    public override func forward(_ input: Tensor) -> Tensor { step(input, nil).h }

    private func step(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) -> (h: Tensor, c: Tensor) {
        do { try check(input, state) } catch { preconditionFailure("\(error)") }
        return runLSTMCell(input, state, weights: weights)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) throws {
        try checkCell("LSTMCell", input, state.map { [$0.h, $0.c] }, inputSize: inputSize, hiddenSize: hiddenSize,
                      weight: weightIH!)
    }
}

/// A multi-layer long short-term memory network over a whole sequence, like `nn.LSTM(input_size,
/// hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False)`; calling it
/// gives `(output, (h_n, c_n))`.
///
/// Shapes, parameter names (`weight_ih_l0`, …, 4·hidden rows in the gate order input, forget, cell,
/// output; `…_l0_reverse` for the reverse direction) and initialisation are PyTorch's. A `generator` given to `init` draws the weights and the
/// dropout masks; otherwise ``defaultGenerator`` does. PyTorch's CPU LSTM runs a fused oneDNN kernel
/// whose graph is one `MkldnnRnnLayerBackward0` node; this one records the steps as PyTorch's unfused
/// CPU path does (see ``LSTMCell``), with each layer's input projected once and unbound into steps as
/// in ``RNN``. A bidirectional layer records a second node for the reverse direction (which runs the
/// steps from last to first) and joins the two outputs (`CatBackward0`).
///
/// `let (output, state) = lstm(x)` and `lstm(x, (h0, c0))` give both; `lstm(x)` used as a tensor (or
/// inside ``Sequential``) gives the output alone.
///
/// ```swift
/// let lstm = LSTM(1, 4, batchFirst: true)
/// let (output, state) = lstm(x)       // output (batch, steps, 4); state.h, state.c (1, batch, 4)
/// ```
public final class LSTM: RNNBase {
    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, generator: Generator? = nil) {
        super.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 4, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, generator: generator)
    }

    /// The output's shape for an input of shape `input`, or PyTorch's error for an input of the wrong
    /// rank or feature size, or without steps.
    ///
    /// ```swift
    /// try LSTM.outputShape(input: [7, 2, 4], inputSize: 4, hiddenSize: 3, bidirectional: true)  // [7, 2, 6]
    /// ```
    public static func outputShape(input: [Int], inputSize: Int, hiddenSize: Int, batchFirst: Bool = false,
                                   bidirectional: Bool = false) throws -> [Int] {
        try recurrentSequenceShape(input, kind: "LSTM", inputSize: inputSize, hiddenSize: hiddenSize,
                                   bidirectional: bidirectional, batchFirst: batchFirst)
    }

    /// Runs the sequence from `state` (zeros when nil), like `lstm(x, (h0, c0))`: the last layer's hidden
    /// state at every step and every layer's final hidden and cell states.
    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)? = nil, file: String = #fileID,
                               line: Int = #line) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        withRecurrentCallScope(file: file, line: line) { run(input, state) }
    }

    /// The output sequence alone (as a layer inside ``Sequential``).
    public override func forward(_ input: Tensor) -> Tensor { run(input, nil).output }

    private func run(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        do { try check(input, state) } catch { preconditionFailure("\(error)") }
        return runLSTM(input, state, layers: layers, hiddenSize: hiddenSize, batchFirst: batchFirst,
                       bidirectional: bidirectional, dropout: training ? dropout : 0, generator: dropoutGenerator ?? defaultGenerator)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or initial state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) throws {
        _ = try Self.outputShape(input: input.shape, inputSize: inputSize, hiddenSize: hiddenSize, batchFirst: batchFirst,
                                 bidirectional: bidirectional)
        if let state, input.ndim == 3, state.h.ndim != 3 || state.c.ndim != 3 {
            throw TensorError("For batched 3-D input, hx and cx should also be 3-D but got (\(state.h.ndim)-D, \(state.c.ndim)-D) tensors")
        }
        if let state, input.ndim == 2, state.h.ndim != 2 || state.c.ndim != 2 {
            throw TensorError("For unbatched 2-D input, hx and cx should also be 2-D but got (\(state.h.ndim)-D, \(state.c.ndim)-D) tensors")
        }
        try checkDtype(input, weight: layers[0].weightIH)
        if let state {
            let expected = expectedStateShape(input, batchFirst: batchFirst, layers: layers.count, hiddenSize: hiddenSize)
            for (i, s) in [state.h, state.c].enumerated() {
                let shape = input.ndim == 2 ? [s.shape[0], 1, s.shape[1]] : s.shape
                if shape != expected {
                    throw TensorError("Expected hidden[\(i)] size \(pythonTuple(expected)), got \(sizeText(shape))")
                }
            }
        }
    }
}

/// One LSTM layer over a time-major sequence, recorded as PyTorch's CPU kernel records it: one
/// `MkldnnRnnLayerBackward0` node with the output sequence, h and c as its three outputs, fed by the
/// input, the four weights and the initial state. Inside, the steps run as ordinary ops on detached
/// copies of the inputs; that inner graph is what the node's backward differentiates. `reverse` runs the
/// steps from last to first (the reverse direction of a bidirectional layer).
func fusedLSTMLayer(_ sequence: Tensor, h0: Tensor, c0: Tensor, weights: RecurrentLayerWeights,
                    reverse: Bool) -> (output: Tensor, h: Tensor, c: Tensor) {
    let inputs = [sequence, weights.weightIH, weights.weightHH] + [weights.biasIH, weights.biasHH].compactMap { $0 } + [h0, c0]
    guard Tensor.isRecording(inputs) else { return lstmLayer(sequence, h0: h0, c0: c0, weights: weights, reverse: reverse) }
    let leaves = inputs.map { input in input.requiresGrad ? input.detach().requiresGrad_() : input.detach() }
    let hasBias = weights.biasIH != nil
    let inner = RecurrentLayerWeights(weightIH: leaves[1], weightHH: leaves[2], biasIH: hasBias ? leaves[3] : nil,
                                      biasHH: hasBias ? leaves[4] : nil)
    let result = lstmLayer(leaves[0], h0: leaves[leaves.count - 2], c0: leaves[leaves.count - 1], weights: inner,
                           reverse: reverse)
    let outputs = [result.output, result.h, result.c]
    let parts = Tensor.multiOutputFunction("MkldnnRnnLayerBackward0", inputs: inputs,
                                           outputs: outputs.map { $0.detach() }) { grads in
        withGradEnabled(true) {
            let terms = zip(outputs, grads).compactMap { output, grad in grad.map { (output * $0).sum() } }
            guard var total = terms.first else { return leaves.map { _ in nil } }
            for term in terms.dropFirst() { total = total + term }
            for leaf in leaves { leaf.grad = nil }
            total.backward(retainGraph: true)
            return leaves.map { $0.requiresGrad ? $0.grad : nil }
        }
    }
    return (parts[0], parts[1], parts[2])
}

/// The steps of one LSTM layer as ordinary ops, last to first when `reverse` (outputs in time order).
private func lstmLayer(_ sequence: Tensor, h0: Tensor, c0: Tensor, weights: RecurrentLayerWeights,
                       reverse: Bool) -> (output: Tensor, h: Tensor, c: Tensor) {
    let steps = sequenceLinear(sequence, weights.weightIH, weights.biasIH).unbind(0)
    let count = steps.count
    var outputs: [Tensor] = []
    outputs.reserveCapacity(count)
    var h = h0, c = c0
    for i in 0..<count {
        let t = reverse ? count - 1 - i : i
        let next = lstmStep(gates: stepLinear(h, weights.weightHH, weights.biasHH) + steps[t]) { forget in forget * c }
        outputs.append(next.h)
        h = next.h
        c = next.c
    }
    return (stackSteps(reverse ? Array(outputs.reversed()) : outputs), h, c)
}

/// The LSTM's forward pass over checked input with the given weights (any float dtype); `dropout` > 0
/// drops each layer's output but the last.
func runLSTM(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?, layers: [RecurrentLayerWeights], hiddenSize: Int,
             batchFirst: Bool, bidirectional: Bool = false, dropout: Double = 0,
             generator: Generator = defaultGenerator) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
    let batched = input.ndim == 3, batchDim = batchFirst ? 0 : 1
    let directions = bidirectional ? 2 : 1, depth = layers.count / directions
    let x = batched ? input : input.unsqueeze(batchDim)
    let zeros = Tensor.zeros([layers.count, x.shape[batchDim], hiddenSize], dtype: x.dtype)
    let initialH = state.map { batched ? $0.h : $0.h.unsqueeze(1) } ?? zeros
    let initialC = state.map { batched ? $0.c : $0.c.unsqueeze(1) } ?? zeros
    var sequence = batchFirst ? x.transpose(0, 1) : x
    var finalH: [Tensor] = [], finalC: [Tensor] = []
    for l in 0..<depth {
        // PyTorch hands each layer a contiguous input (`CloneBackward0` after a transpose) and its slice of the state.
        let layerInput = sequence.contiguous()
        var outputs: [Tensor] = []
        for d in 0..<directions {
            let index = l * directions + d
            let layer = fusedLSTMLayer(layerInput, h0: initialH[index], c0: initialC[index], weights: layers[index],
                                       reverse: d == 1)
            finalH.append(layer.h)
            finalC.append(layer.c)
            outputs.append(layer.output)
        }
        sequence = directions == 1 ? outputs[0] : joiningDirections(outputs[0], outputs[1])
        if dropout > 0 && l < depth - 1 { sequence = NNVizNN.dropout(sequence, p: dropout, generator: generator) }
    }
    // PyTorch's CPU LSTM returns batch-first output as a transposed view (`TransposeBackward0`).
    let output = batchFirst ? sequence.transpose(0, 1) : sequence
    let h = stackSteps(finalH), c = stackSteps(finalC)
    guard !batched else { return (output, (h, c)) }
    return (output.squeeze(batchDim), (h.squeeze(1), c.squeeze(1)))
}

/// `torch.cat([forward, reverse], -1)` as PyTorch's oneDNN LSTM joins a bidirectional layer's outputs
/// (`CatBackward0`, its dim saved as given, -1, which PyTorch prints as the unsigned 2⁶⁴ − 1).
private func joiningDirections(_ forward: Tensor, _ reverse: Tensor) -> Tensor {
    let width = forward.shape[2]
    let output = noGrad { Tensor.cat([forward, reverse], dim: 2) }
    return Tensor.function("CatBackward0", inputs: [forward, reverse], saved: [.attribute("dim", "\(UInt64.max)")],
                           output: output) { g in [g.narrow(2, 0, width), g.narrow(2, width, width)] }
}
