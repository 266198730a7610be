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
public final class ConvTranspose2d: ConvNd {
    public var kernelSize: IntOrPair { IntOrPair((kernel[0], kernel[1])) }
    public var stride: IntOrPair { options.stride }
    public var padding: IntOrPair { options.padding }
    public var outputPadding: IntOrPair { options.outputPadding }
    public var dilation: IntOrPair { options.dilation }

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: IntOrPair = 0, outputPadding: IntOrPair = 0, groups: Int = 1, bias: Bool = true,
                dilation: IntOrPair = 1, generator: Generator = defaultGenerator) {
        super.init("ConvTranspose2d", inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.pair,
                   options: Self.options(stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                                         dilation: dilation),
                   bias: bias, generator: generator)
    }

    private static func options(stride: IntOrPair, padding: IntOrPair, outputPadding: IntOrPair, groups: Int,
                                dilation: IntOrPair) -> ConvOptions {
        ConvOptions(spatial: 2, transposed: true, stride: stride, padding: padding, dilation: dilation,
                    outputPadding: outputPadding, groups: groups)
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
        try outputShape(input: input, inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.pair,
                        options: options(stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                                         dilation: dilation))
    }
}
