import NNVizCore

/// 2-D convolution over NCHW images, like `nn.Conv2d(in_channels, out_channels, kernel_size, stride,
/// padding, dilation, groups, bias)` with zero padding.
///
/// Initialised as PyTorch does from the generator: the weight (out × in/groups × kh × kw) uniform in
/// ±the kaiming bound for fan_in = in/groups·kh·kw, then the bias uniform in ±1/√fan_in. The forward
/// pass is ``conv2d(_:_:_:stride:padding:dilation:groups:)`` and records `ConvolutionBackward0`.
///
/// ```swift
/// manualSeed(0)
/// let conv = Conv2d(1, 2, kernelSize: 3, padding: 1)
/// print(conv)    // Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
/// let y = conv(Tensor.randn([8, 1, 28, 28]))     // (8, 2, 28, 28)
/// let depthwise = Conv2d(8, 8, kernelSize: 3, padding: 1, groups: 8)
/// ```
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: IntOrPair
    public let stride: IntOrPair
    public let padding: IntOrPair
    public let dilation: IntOrPair
    public let groups: Int
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: Int = 1, bias: Bool = true,
                generator: Generator = defaultGenerator) {
        preconditionConvolution("Conv2d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                kernelSize: kernelSize.pair, stride: stride.pair, padding: padding.pair, dilation: dilation.pair)
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        super.init()
        (weight, self.bias) = convolutionParameters(
            weightShape: [outChannels, inChannels / groups, kernelSize.height, kernelSize.width], bias: bias,
            biasCount: outChannels, generator: generator)
    }

    /// The output shape for `input`, or PyTorch's error for an input of the wrong rank, channel count or size.
    ///
    /// ```swift
    /// try Conv2d.outputShape(input: [2, 3, 16, 16], inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1)
    /// // [2, 8, 16, 16]
    /// ```
    public static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernelSize: IntOrPair,
                                   stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1,
                                   groups: Int = 1) throws -> [Int] {
        try checkConvolutionConfiguration(inChannels: inChannels, outChannels: outChannels, groups: groups)
        return try ConvOptions(spatial: 2, transposed: false, stride: stride, padding: padding, dilation: dilation,
                        outputPadding: 0, groups: groups)
            .outputShape(input: input, weight: [outChannels, inChannels / groups, kernelSize.height, kernelSize.width])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        conv2d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// Throws PyTorch's error for an input of the wrong rank, channel count, size or dtype.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                                 stride: stride, padding: padding, dilation: dilation, groups: groups)
        try checkConv2d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(kernelSize.tupleText), stride=\(stride.tupleText)"
        if padding != 0 { text += ", padding=\(padding.tupleText)" }
        if dilation != 1 { text += ", dilation=\(dilation.tupleText)" }
        if groups != 1 { text += ", groups=\(groups)" }
        if bias == nil { text += ", bias=False" }
        return text
    }
}

// MARK: - Shared by the convolutions

/// `_ConvNd`'s constructor checks as preconditions (a wrong size in a script is a programmer error), worded
/// as PyTorch's errors; `kernelSize`, `stride`, `padding` and `dilation` have one entry per spatial dimension.
func preconditionConvolution(_ name: String, inChannels: Int, outChannels: Int, groups: Int, kernelSize: [Int],
                             stride: [Int], padding: [Int], dilation: [Int]) {
    precondition(inChannels > 0 && outChannels > 0, "\(name): channel counts must be positive, got (\(inChannels), \(outChannels))")
    do { try checkConvolutionConfiguration(inChannels: inChannels, outChannels: outChannels, groups: groups) } catch {
        preconditionFailure("\(error)")
    }
    precondition(kernelSize.allSatisfy { $0 > 0 }, "kernel size should be greater than zero, but got kernel_size=\(pythonTuple(kernelSize))")
    precondition(stride.allSatisfy { $0 > 0 }, "non-positive stride is not supported")
    precondition(padding.allSatisfy { $0 >= 0 }, "negative padding is not supported")
    precondition(dilation.allSatisfy { $0 > 0 }, "dilation should be greater than zero")
}

/// PyTorch's constructor checks of `_ConvNd`, worded as its errors.
func checkConvolutionConfiguration(inChannels: Int, outChannels: Int, groups: Int) throws {
    guard groups > 0 else { throw TensorError("groups must be a positive integer") }
    guard inChannels % groups == 0 else { throw TensorError("in_channels must be divisible by groups") }
    guard outChannels % groups == 0 else { throw TensorError("out_channels must be divisible by groups") }
}

/// A convolution's weight and optional bias drawn as `_ConvNd.reset_parameters` draws them: the weight
/// uniform in ±the kaiming bound, then the bias uniform in ±1/√fan_in, fan_in being the weight's
/// `size(1)` times its kernel elements (so a transposed convolution's is out/groups·kh·kw).
func convolutionParameters(weightShape: [Int], bias: Bool, biasCount: Int,
                           generator: Generator) -> (weight: Tensor, bias: Tensor?) {
    let fanIn = weightShape.dropFirst().reduce(1, *)
    let w = Tensor.zeros(weightShape)
    let weightBound = Initialization.kaimingUniformBound(fanIn: fanIn)
    w.uniform_(-weightBound, weightBound, generator: generator)
    guard bias else { return (w, nil) }
    let b = Tensor.zeros([biasCount])
    let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
    b.uniform_(-bound, bound, generator: generator)
    return (w, b)
}
