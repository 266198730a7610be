import NNVizCore

/// Multi-head self-attention, like `nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, batch_first)`
/// called as `attn(x, x, x)`: the module's output is the attention output (the first element of PyTorch's
/// tuple); ``attention(_:)`` also returns the weights averaged over the heads.
///
/// Parameters as PyTorch names them: `in_proj_weight` (3E × E, xavier-uniform), `in_proj_bias` (zeros),
/// `out_proj.weight` and `out_proj.bias` (a `Linear(E, E)` whose bias is then zeroed). The generator is
/// drawn as PyTorch draws it: the out-projection's weight and bias first, then `in_proj_weight`, so the
/// same seed gives the same weights. The graph is what `F.multi_head_attention_forward` records on CPU
/// with `need_weights=True` (`BmmBackward0`, `SoftmaxBackward0`, … — see `Functional+Attention.swift`).
///
/// ```swift
/// manualSeed(0)
/// let attn = MultiheadAttention(64, 4, batchFirst: true)
/// let y = attn(Tensor.randn([16, 32, 64]))      // [16, 32, 64]
/// let (_, weights) = attn.attention(x)           // weights [16, 32, 32]
/// ```
public final class MultiheadAttention: Module {
    public let embedDim: Int
    public let numHeads: Int
    /// Dropout on the attention weights in training mode (PyTorch's `dropout`).
    public let dropout: Double
    public let batchFirst: Bool
    @Param("in_proj_weight") public var inProjWeight: Tensor? = nil
    @Param("in_proj_bias") public var inProjBias: Tensor? = nil
    /// PyTorch's `out_proj` (a `NonDynamicallyQuantizableLinear`, numerically a `Linear`).
    public let outProj: Linear
    /// Where attention dropout masks come from; nil draws from ``defaultGenerator`` at each call.
    private let generator: Generator?

    public init(_ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
                generator: Generator? = nil) {
        do { try MultiheadAttention.checkConfiguration(embedDim: embedDim, numHeads: numHeads) } catch {
            preconditionFailure("\(error)")
        }
        precondition(dropout >= 0 && dropout <= 1, "dropout probability has to be between 0 and 1, but got \(pythonFloat(dropout))")
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
        self.generator = generator
        let draws = generator ?? defaultGenerator
        outProj = Linear(embedDim, embedDim, bias: bias, generator: draws)
        super.init()
        let weight = Tensor.zeros([3 * embedDim, embedDim])
        let bound = Initialization.xavierUniformBound(fanIn: embedDim, fanOut: 3 * embedDim)
        weight.uniform_(-bound, bound, generator: draws)
        inProjWeight = weight
        if bias {
            inProjBias = Tensor.zeros([3 * embedDim])
            noGrad { outProj.bias!.copy_(Tensor.zeros([embedDim])) }
        }
    }

    /// Throws PyTorch's constructor assertion for a head count that does not divide the embedding.
    static func checkConfiguration(embedDim: Int, numHeads: Int) throws {
        guard embedDim > 0, numHeads > 0 else {
            throw TensorError("embed_dim and num_heads must be greater than 0, got embed_dim=\(embedDim) and num_heads=\(numHeads) instead")
        }
        guard embedDim % numHeads == 0 else { throw TensorError("embed_dim must be divisible by num_heads") }
    }

    /// The output shape of self-attention on `input` (the input's own shape), or PyTorch's error: a head
    /// count that does not divide `embedDim`, an input that is not 2-D or 3-D, or another embedding size.
    ///
    /// ```swift
    /// try MultiheadAttention.outputShape(input: [2, 5, 32], embedDim: 64, numHeads: 4)
    /// // was expecting embedding dimension of 64, but got 32
    /// ```
    public static func outputShape(input: [Int], embedDim: Int, numHeads: Int) throws -> [Int] {
        try checkConfiguration(embedDim: embedDim, numHeads: numHeads)
        guard input.count == 2 || input.count == 3 else {
            throw TensorError("query should be unbatched 2D or batched 3D tensor but received \(input.count)-D query tensor")
        }
        guard input.last == embedDim else {
            throw TensorError("was expecting embedding dimension of \(embedDim), but got \(input.last!)")
        }
        return input
    }

    public override func namedChildren() -> [(name: String, module: Module)] { [("out_proj", outProj)] }

    public override func forward(_ x: Tensor) -> Tensor { run(x, needWeights: true).output }

    /// The attention output and the attention weights averaged over the heads ((N, L, L), or (L, L) for
    /// unbatched input), as `attn(x, x, x)` returns them.
    public func attention(_ x: Tensor, file: String = #fileID, line: Int = #line) -> (output: Tensor, weights: Tensor) {
        let result = withRecurrentCallScope(file: file, line: line) { run(x, needWeights: true) }
        return (result.output, result.weights!)
    }

    /// Self-attention as the encoder layer calls it (`need_weights=False`: `scaled_dot_product_attention`).
    func selfAttentionBlock(_ x: Tensor) -> Tensor { run(x, needWeights: false).output }

    private func run(_ x: Tensor, needWeights: Bool) -> (output: Tensor, weights: Tensor?) {
        do { try check(x) } catch { preconditionFailure("\(error)") }
        let weights = AttentionWeights(inProjWeight: inProjWeight!, inProjBias: inProjBias, outProjWeight: outProj.weight!,
                                       outProjBias: outProj.bias, numHeads: numHeads)
        return selfAttention(x, weights, batchFirst: batchFirst, needWeights: needWeights,
                             dropoutP: training ? dropout : 0, generator: generator ?? defaultGenerator)
    }

    public override func check(_ x: Tensor) throws {
        _ = try MultiheadAttention.outputShape(input: x.shape, embedDim: embedDim, numHeads: numHeads)
        if x.dtype != inProjWeight!.dtype {
            throw TensorError("mat1 and mat2 must have the same dtype, but got \(x.dtype.scalarTypeName) and \(inProjWeight!.dtype.scalarTypeName)")
        }
    }
}
