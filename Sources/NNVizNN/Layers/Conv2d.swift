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
public final class Conv2d: ConvNd {
    public var kernelSize: IntOrPair { IntOrPair((kernel[0], kernel[1])) }
    public var stride: IntOrPair { options.stride }
    public var padding: IntOrPair { options.padding }
    public var dilation: IntOrPair { options.dilation }

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: Int = 1, bias: Bool = true,
                generator: Generator = defaultGenerator) {
        super.init("Conv2d", inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.pair,
                   options: Self.options(stride: stride, padding: padding, dilation: dilation, groups: groups),
                   bias: bias, generator: generator)
    }

    private static func options(stride: IntOrPair, padding: IntOrPair, dilation: IntOrPair, groups: Int) -> ConvOptions {
        ConvOptions(spatial: 2, transposed: false, stride: stride, padding: padding, dilation: dilation, outputPadding: 0,
                    groups: groups)
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
        try outputShape(input: input, inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.pair,
                        options: options(stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
}
