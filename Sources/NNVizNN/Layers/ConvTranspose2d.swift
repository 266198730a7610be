import NNVizCore

/// 2-D transposed convolution over NCHW images, like `nn.ConvTranspose2d(in_channels, out_channels,
/// kernel_size, stride, padding, output_padding, groups, bias, dilation)`: the layer that upsamples in
/// decoders (stride 2, kernel 3, padding 1, output padding 1 doubles the size).
///
/// Initialised as PyTorch does: the weight (in × out/groups × kh × kw) uniform in ±the kaiming bound
/// for PyTorch's fan_in = out/groups·kh·kw, then the bias in ±1/√fan_in. Runs
/// ``convTranspose2d(_:_:_:stride:padding:outputPadding:groups:dilation:)``, recording
/// `ConvolutionBackward0` with `transposed=True`.
///
/// ```swift
/// let up = ConvTranspose2d(8, 4, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1)
/// let y = up(Tensor.randn([2, 8, 8, 8]))     // (2, 4, 16, 16)
/// ```
public final class ConvTranspose2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: IntOrPair
    public let stride: IntOrPair
    public let padding: IntOrPair
    public let outputPadding: IntOrPair
    public let groups: Int
    public let dilation: IntOrPair
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: IntOrPair = 0, outputPadding: IntOrPair = 0, groups: Int = 1, bias: Bool = true,
                dilation: IntOrPair = 1, generator: Generator = defaultGenerator) {
        preconditionConvolution("ConvTranspose2d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                kernelSize: kernelSize.pair, stride: stride.pair, padding: padding.pair, dilation: dilation.pair)
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.groups = groups
        self.dilation = dilation
        super.init()
        (weight, self.bias) = convolutionParameters(
            weightShape: [inChannels, outChannels / groups, kernelSize.height, kernelSize.width], bias: bias,
            biasCount: outChannels, generator: generator)
    }

    /// The output shape for `input`, or PyTorch's error for an input of the wrong rank or channel count, or
    /// an output padding not smaller than the stride or the dilation.
    ///
    /// ```swift
    /// try ConvTranspose2d.outputShape(input: [2, 8, 8, 8], inChannels: 8, outChannels: 4, kernelSize: 3,
    ///                                 stride: 2, padding: 1, outputPadding: 1)   // [2, 4, 16, 16]
    /// ```
    public static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernelSize: IntOrPair,
                                   stride: IntOrPair = 1, padding: IntOrPair = 0, outputPadding: IntOrPair = 0,
                                   groups: Int = 1, dilation: IntOrPair = 1) throws -> [Int] {
        try checkConvolutionConfiguration(inChannels: inChannels, outChannels: outChannels, groups: groups)
        return try ConvOptions(spatial: 2, transposed: true, stride: stride, padding: padding, dilation: dilation,
                        outputPadding: outputPadding, groups: groups)
            .outputShape(input: input, weight: [inChannels, outChannels / groups, kernelSize.height, kernelSize.width])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight!, bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                        dilation: dilation)
    }

    /// Throws PyTorch's error for an input of the wrong rank, channel count or dtype.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                                 stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                                 dilation: dilation)
        try checkConvTranspose2d(x, weight!, bias, stride: stride, padding: padding, outputPadding: outputPadding,
                                 groups: groups, dilation: dilation)
    }

    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(kernelSize.tupleText), stride=\(stride.tupleText)"
        if padding != 0 { text += ", padding=\(padding.tupleText)" }
        if dilation != 1 { text += ", dilation=\(dilation.tupleText)" }
        if outputPadding != 0 { text += ", output_padding=\(outputPadding.tupleText)" }
        if groups != 1 { text += ", groups=\(groups)" }
        if bias == nil { text += ", bias=False" }
        return text
    }
}
