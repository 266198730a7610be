import NNVizCore

/// 1-D convolution over (N, C, L) sequences, like `nn.Conv1d(in_channels, out_channels, kernel_size,
/// stride, padding, dilation, groups, bias)` with zero padding.
///
/// Initialised as PyTorch does: the weight (out × in/groups × k) uniform in ±the kaiming bound for
/// fan_in = in/groups·k, then the bias in ±1/√fan_in. Runs ``conv1d(_:_:_:stride:padding:dilation:groups:)``
/// and records `ConvolutionBackward0`.
///
/// ```swift
/// manualSeed(0)
/// let conv = Conv1d(4, 6, kernelSize: 3, stride: 2, padding: 1)
/// print(conv)    // Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,))
/// let y = conv(Tensor.randn([2, 4, 10]))     // (2, 6, 5)
/// ```
public final class Conv1d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let groups: Int
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator = defaultGenerator) {
        preconditionConvolution("Conv1d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                kernelSize: [kernelSize], stride: [stride], padding: [padding], dilation: [dilation])
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        super.init()
        (weight, self.bias) = convolutionParameters(weightShape: [outChannels, inChannels / groups, kernelSize],
                                                    bias: bias, biasCount: outChannels, generator: generator)
    }

    /// The output shape for `input`, or PyTorch's error for an input of the wrong rank, channel count or size.
    ///
    /// ```swift
    /// try Conv1d.outputShape(input: [2, 4, 10], inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2)   // [2, 6, 4]
    /// ```
    public static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1,
                                   padding: Int = 0, dilation: Int = 1, groups: Int = 1) throws -> [Int] {
        try checkConvolutionConfiguration(inChannels: inChannels, outChannels: outChannels, groups: groups)
        return try ConvOptions.oneDimensional(stride: stride, padding: padding, dilation: dilation, outputPadding: 0,
                                       groups: groups, transposed: false)
            .outputShape(input: input, weight: [outChannels, inChannels / groups, kernelSize])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        conv1d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// Throws PyTorch's error for an input of the wrong rank, channel count, size or dtype.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                                 stride: stride, padding: padding, dilation: dilation, groups: groups)
        try checkConv1d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=(\(kernelSize),), stride=(\(stride),)"
        if padding != 0 { text += ", padding=(\(padding),)" }
        if dilation != 1 { text += ", dilation=(\(dilation),)" }
        if groups != 1 { text += ", groups=\(groups)" }
        if bias == nil { text += ", bias=False" }
        return text
    }
}
