import NNVizCore

/// Layer normalisation over the trailing dimensions, like
/// `nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)`.
///
/// With `elementwiseAffine` the layer has `weight` (ones) and `bias` (zeros) of `normalizedShape`, so
/// construction draws nothing from the generator, as in PyTorch. Records `NativeLayerNormBackward0`
/// (see ``layerNorm(_:normalizedShape:weight:bias:eps:)``).
///
/// ```swift
/// let norm = LayerNorm(64)
/// let y = norm(Tensor.randn([16, 32, 64]))   // each of the 16 × 32 rows: mean 0, variance 1
/// ```
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Double
    public let elementwiseAffine: Bool
    public let hasBias: Bool
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public convenience init(_ normalizedShape: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.init([normalizedShape], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        precondition(normalizedShape.allSatisfy { $0 >= 0 },
                     "LayerNorm: normalized_shape must be non-negative, got \(sizeText(normalizedShape))")
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.elementwiseAffine = elementwiseAffine
        self.hasBias = bias
        super.init()
        if elementwiseAffine {
            weight = Tensor.ones(normalizedShape)
            if bias { self.bias = Tensor.zeros(normalizedShape) }
        }
    }

    /// The output shape of a layer norm over `normalizedShape` on `input` (the input's own shape), or
    /// PyTorch's error when the input's trailing dimensions are not `normalizedShape`.
    ///
    /// ```swift
    /// try LayerNorm.outputShape(input: [2, 5], normalizedShape: [4])
    /// // Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]
    /// ```
    public static func outputShape(input: [Int], normalizedShape: [Int]) throws -> [Int] {
        guard input.count >= normalizedShape.count, Array(input.suffix(normalizedShape.count)) == normalizedShape else {
            throw TensorError("Given normalized_shape=\(sizeText(normalizedShape)), expected input with shape [*, \(normalizedShape.map(String.init).joined(separator: ", "))], but got input of size\(sizeText(input))")
        }
        return input
    }

    public override func forward(_ x: Tensor) -> Tensor {
        layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }

    public override func check(_ x: Tensor) throws {
        try checkLayerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias)
    }

    public override var extraDescription: String {
        "\(pythonTuple(normalizedShape)), eps=\(pythonFloat(eps)), elementwise_affine=\(elementwiseAffine ? "True" : "False"), bias=\(hasBias ? "True" : "False")"
    }
}
