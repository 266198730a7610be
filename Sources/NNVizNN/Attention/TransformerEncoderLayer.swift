import NNVizCore

/// One transformer encoder layer, like `nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048,
/// dropout=0.1, activation="relu", norm_first=False, batch_first=...)`: self-attention and a feed-forward
/// block, each with dropout and a residual connection, layer-normalised after (or, with `normFirst`,
/// before) each block.
///
/// Sub-modules and parameters as PyTorch names them (`self_attn.in_proj_weight`, `linear1.weight`,
/// `norm1.weight`, …), built in PyTorch's order so the same seed gives the same weights. In training
/// mode the graph is PyTorch's CPU training graph (the attention through
/// `ScaledDotProductFlashAttentionForCpuBackward0` when `dropout` is 0, through its decomposed path with
/// `SafeSoftmaxBackward0` otherwise) and the four dropout masks are drawn in PyTorch's order (attention,
/// `dropout1`, `dropout`, `dropout2`).
///
/// ```swift
/// manualSeed(0)
/// let layer = TransformerEncoderLayer(64, 4, dimFeedforward: 256)
/// let y = layer(Tensor.randn([16, 32, 64]))   // [16, 32, 64]
/// ```
public final class TransformerEncoderLayer: Module {
    /// The feed-forward block's activation.
    public enum Activation: String, Sendable, CaseIterable {
        case relu, gelu
    }

    public let dModel: Int
    public let nhead: Int
    public let dimFeedforward: Int
    public let activation: Activation
    public let normFirst: Bool
    public let batchFirst: Bool
    public let selfAttn: MultiheadAttention
    public let linear1: Linear
    public let dropout: Dropout
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let dropout1: Dropout
    public let dropout2: Dropout

    public init(_ dModel: Int, _ nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1,
                activation: Activation = .relu, layerNormEps: Double = 1e-5, normFirst: Bool = false,
                batchFirst: Bool = true, bias: Bool = true, generator: Generator? = nil) {
        self.dModel = dModel
        self.nhead = nhead
        self.dimFeedforward = dimFeedforward
        self.activation = activation
        self.normFirst = normFirst
        self.batchFirst = batchFirst
        selfAttn = MultiheadAttention(dModel, nhead, dropout: dropout, bias: bias, batchFirst: batchFirst, generator: generator)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, generator: generator ?? defaultGenerator)
        self.dropout = Dropout(dropout, generator: generator)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, generator: generator ?? defaultGenerator)
        norm1 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        norm2 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        dropout1 = Dropout(dropout, generator: generator)
        dropout2 = Dropout(dropout, generator: generator)
        super.init()
    }

    /// The output shape of the layer on `input` (its own shape), or PyTorch's error (see
    /// ``MultiheadAttention/outputShape(input:embedDim:numHeads:)``).
    ///
    /// ```swift
    /// try TransformerEncoderLayer.outputShape(input: [2, 5, 4], dModel: 8, nhead: 2)
    /// // was expecting embedding dimension of 8, but got 4
    /// ```
    public static func outputShape(input: [Int], dModel: Int, nhead: Int) throws -> [Int] {
        try MultiheadAttention.outputShape(input: input, embedDim: dModel, numHeads: nhead)
    }

    public override func namedChildren() -> [(name: String, module: Module)] {
        [("self_attn", selfAttn), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    public override func forward(_ x: Tensor) -> Tensor {
        do { try check(x) } catch { preconditionFailure("\(error)") }
        if normFirst {
            let attended = x + attentionBlock(norm1(x))
            return attended + feedForwardBlock(norm2(attended))
        }
        let attended = norm1(x + attentionBlock(x))
        return norm2(attended + feedForwardBlock(attended))
    }

    /// `dropout1(self_attn(x, x, x, need_weights=False)[0])`; the mask is drawn in the memory order of
    /// PyTorch's transposed attention output.
    private func attentionBlock(_ x: Tensor) -> Tensor {
        let attended = selfAttn.withRecurrentCallScope(file: #fileID, line: #line) { selfAttn.selfAttentionBlock(x) }
        return dropout1.dropTransposedView(attended, transposed: batchFirst && x.ndim == 3)
    }

    /// `dropout2(linear2(dropout(activation(linear1(x)))))`.
    private func feedForwardBlock(_ x: Tensor) -> Tensor {
        let hidden = linear1(x)
        let activated = activation == .relu ? hidden.relu() : hidden.gelu()
        return dropout2(linear2(dropout(activated)))
    }

    public override func check(_ x: Tensor) throws {
        try selfAttn.check(x)
    }
}
