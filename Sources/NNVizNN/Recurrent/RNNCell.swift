import NNVizCore

/// The nonlinearity of ``RNNCell`` and ``RNN``.
public enum RNNNonlinearity: String, Sendable {
    case tanh, relu
}

/// One step of an Elman RNN, `h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`, like
/// `nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')`.
///
/// Parameters `weight_ih` (hidden × input), `weight_hh`, `bias_ih`, `bias_hh`, each uniform in ±1/√hidden
/// from the generator in that order, as PyTorch initialises them. A step records what PyTorch's CPU cell
/// records: `TanhBackward0` (or `ReluBackward0`) of `AddBackward0` of the hidden and the input
/// projections, each an `AddmmBackward0` fed by `TBackward0`. Input is (batch, input) or unbatched
/// (input); without a state the cell starts from zeros.
///
/// ```swift
/// manualSeed(1)
/// let cell = RNNCell(1, 32)
/// var h = Tensor.zeros([176, 32])
/// for s in 0..<25 { h = cell(inputs[TensorIndex.all, s], h) }
/// ```
public final class RNNCell: RNNCellBase {
    public let nonlinearity: RNNNonlinearity

    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, nonlinearity: RNNNonlinearity = .tanh,
                generator: Generator = defaultGenerator) {
        self.nonlinearity = nonlinearity
        super.init("RNNCell", inputSize: inputSize, hiddenSize: hiddenSize, gates: 1, bias: bias, generator: generator)
    }

    /// The next hidden state from `input` and the current `hidden` state (zeros when nil), like `cell(x, h)`.
    public func callAsFunction(_ input: Tensor, _ hidden: Tensor?, file: String = #fileID, line: Int = #line) -> Tensor {
        withRecurrentCallScope(file: file, line: line) { step(input, hidden) }
    }

    /// One step from a zero state.
    public override func forward(_ input: Tensor) -> Tensor { step(input, nil) }

    private func step(_ input: Tensor, _ hidden: Tensor?) -> Tensor {
        do { try check(input, hidden) } catch { preconditionFailure("\(error)") }
        return runRNNCell(input, hidden, weights: weights, nonlinearity: nonlinearity)
    }

    public override func check(_ input: Tensor) throws { try check(input, nil) }

    /// Throws PyTorch's error for an input or state of the wrong rank, size or dtype.
    public func check(_ input: Tensor, _ hidden: Tensor?) throws {
        try checkCell("RNNCell", input, hidden.map { [$0] }, inputSize: inputSize, hiddenSize: hiddenSize, weight: weightIH!)
    }

    public override var extraDescription: String {
        super.extraDescription + (nonlinearity == .tanh ? "" : ", nonlinearity=\(nonlinearity.rawValue)")
    }
}

/// One RNNCell step over checked input with the given weights (any float dtype), as PyTorch's CPU
/// `SimpleCell`: `act(linear_hh(h) + linear_ih(x))`.
func runRNNCell(_ input: Tensor, _ hidden: Tensor?, weights: RecurrentLayerWeights, nonlinearity: RNNNonlinearity) -> Tensor {
    let batched = input.ndim == 2
    let x = batched ? input : input.unsqueeze(0)
    let h = hidden.map { batched ? $0 : $0.unsqueeze(0) }
        ?? Tensor.zeros([x.shape[0], weights.weightHH.shape[1]], dtype: x.dtype)
    let sum = stepLinear(h, weights.weightHH, weights.biasHH) + stepLinear(x, weights.weightIH, weights.biasIH)
    let next = nonlinearity == .tanh ? sum.tanh() : sum.relu()
    return batched ? next : next.squeeze(0)
}

/// The checks RNNCell and LSTMCell share: PyTorch's Python-side rank checks, then its cell checks on
/// the batched shapes, then the dtype (as the first linear map reports it).
func checkCell(_ kind: String, _ input: Tensor, _ state: [Tensor]?, inputSize: Int, hiddenSize: Int, weight: Tensor) throws {
    guard input.ndim == 1 || input.ndim == 2 else {
        throw TensorError("\(kind): Expected input to be 1D or 2D, got \(input.ndim)D instead")
    }
    for (i, h) in (state ?? []).enumerated() where h.ndim != 1 && h.ndim != 2 {
        let label = kind == "LSTMCell" ? "hx[\(i)]" : "hidden"
        throw TensorError("\(kind): Expected \(label) to be 1D or 2D, got \(h.ndim)D instead")
    }
    let batched = input.ndim == 2
    let x = batched ? input.shape : [1] + input.shape
    if x[1] != inputSize {
        throw TensorError("input has inconsistent input_size: got \(x[1]) expected \(inputSize)")
    }
    for (i, h) in (state ?? []).enumerated() {
        let shape = batched ? h.shape : [1] + h.shape
        guard shape.count == 2 else {
            throw TensorError("Expected 2D hidden\(i) (batch x hidden_size), but got \(shape.count)D tensor")
        }
        if shape[0] != x[0] { throw TensorError("Input batch size \(x[0]) doesn't match hidden\(i) batch size \(shape[0])") }
        if shape[1] != hiddenSize {
            throw TensorError("hidden\(i) has inconsistent hidden_size: got \(shape[1]), expected \(hiddenSize)")
        }
    }
    for t in (state ?? []) + [input] where t.dtype != weight.dtype {
        throw TensorError("mat1 and mat2 must have the same dtype, but got \(t.dtype.scalarTypeName) and \(weight.dtype.scalarTypeName)")
    }
}
