import NNVizCore

/// What ``RNN``, ``LSTM`` and ``GRU`` share, as PyTorch's `nn.RNNBase`: the sizes, the layer count, batch
/// order, dropout between layers, directions, and the weights of every layer and direction, drawn from the
/// generator in PyTorch's order (uniform ±1/√hidden) and named as PyTorch names them.
///
/// ```swift
/// let gru = GRU(4, 3, numLayers: 2, bidirectional: true)
/// print(gru.namedParameters().map(\.name).prefix(5))
/// // ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse"]
/// ```
open class RNNBase: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bias: Bool
    public let batchFirst: Bool
    /// Dropout probability applied to each layer's output but the last, in training mode.
    public let dropout: Double
    public let bidirectional: Bool
    /// Each layer's weights (forward then reverse direction of each layer when bidirectional).
    public let layers: [RecurrentLayerWeights]
    /// The generator dropout masks are drawn from; nil draws from ``defaultGenerator`` at each call.
    let dropoutGenerator: Generator?

    /// `gates` weight blocks per layer: 1 for an RNN, 3 for a GRU, 4 for an LSTM.
    init(inputSize: Int, hiddenSize: Int, numLayers: Int, gates: Int, bias: Bool, batchFirst: Bool, dropout: Double,
         bidirectional: Bool, generator: Generator?) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bias = bias
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        dropoutGenerator = generator
        layers = RecurrentLayerWeights.layers(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                              directions: bidirectional ? 2 : 1, gates: gates, bias: bias, dropout: dropout,
                                              generator: generator ?? defaultGenerator)
        super.init()
    }

    /// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, (`weight_ih_l0_reverse`, …,) `weight_ih_l1`, …
    public override func ownParameters() -> [(name: String, tensor: Tensor)] {
        RecurrentLayerWeights.named(layers, directions: bidirectional ? 2 : 1)
    }

    /// Throws PyTorch's error for an input of the wrong rank or size (`kind` names the layer in the
    /// message) or, when given, an initial hidden state of the wrong rank, size or dtype: RNN's and GRU's
    /// checks (an LSTM's state is a pair, checked by LSTM).
    func checkSequence(_ input: Tensor, hidden: Tensor?, kind: String) throws {
        _ = try recurrentSequenceShape(input.shape, kind: kind, inputSize: inputSize, hiddenSize: hiddenSize,
                                       bidirectional: bidirectional, batchFirst: batchFirst)
        try checkHiddenState(input, hidden, weight: layers[0].weightIH, expected: expectedStateShape(
            input, batchFirst: batchFirst, layers: layers.count, hiddenSize: hiddenSize))
    }

    /// PyTorch's `RNNBase.extra_repr`: sizes, then the arguments that differ from their defaults.
    public override var extraDescription: String {
        var text = "\(inputSize), \(hiddenSize)"
        if numLayers != 1 { text += ", num_layers=\(numLayers)" }
        if !bias { text += ", bias=False" }
        if batchFirst { text += ", batch_first=True" }
        if dropout != 0 { text += ", dropout=\(pythonFloat(dropout))" }
        if bidirectional { text += ", bidirectional=True" }
        return text
    }
}
