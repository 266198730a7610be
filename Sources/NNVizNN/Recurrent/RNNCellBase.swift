import NNVizCore

/// What ``RNNCell``, ``LSTMCell`` and ``GRUCell`` share, as PyTorch's `nn.RNNCellBase`: the sizes and the
/// four parameters `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` (gates·hidden rows), drawn uniform in
/// ±1/√hidden in that order from the generator, as PyTorch draws them.
///
/// ```swift
/// manualSeed(0)
/// let cell = GRUCell(4, 3)
/// print(cell.namedParameters().map(\.name))   // ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
/// ```
open class RNNCellBase: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    @Param("weight_ih") public var weightIH: Tensor? = nil
    @Param("weight_hh") public var weightHH: Tensor? = nil
    @Param("bias_ih") public var biasIH: Tensor? = nil
    @Param("bias_hh") public var biasHH: Tensor? = nil

    /// `gates` weight blocks: 1 for an RNN cell, 3 for a GRU cell, 4 for an LSTM cell; `name` for messages.
    init(_ name: String, inputSize: Int, hiddenSize: Int, gates: Int, bias: Bool, generator: Generator) {
        precondition(inputSize >= 0 && hiddenSize > 0, "\(name): hidden_size must be positive, got \(hiddenSize)")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        super.init()
        let weights = RecurrentLayerWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: gates, bias: bias, generator: generator)
        weightIH = weights.weightIH
        weightHH = weights.weightHH
        biasIH = weights.biasIH
        biasHH = weights.biasHH
    }

    open override var extraDescription: String { "\(inputSize), \(hiddenSize)" + (biasIH == nil ? ", bias=False" : "") }

    /// The current parameters as one layer's weights, for the step functions.
    var weights: RecurrentLayerWeights {
        RecurrentLayerWeights(weightIH: weightIH!, weightHH: weightHH!, biasIH: biasIH, biasHH: biasHH)
    }
}
