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
public final class Conv1d: ConvNd {
    public var kernelSize: Int { kernel[0] }
    public var stride: Int { options.stride.width }
    public var padding: Int { options.padding.width }
    public var dilation: Int { options.dilation.width }

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator = defaultGenerator) {
        super.init("Conv1d", inChannels: inChannels, outChannels: outChannels, kernel: [kernelSize],
                   options: Self.options(stride: stride, padding: padding, dilation: dilation, groups: groups),
                   bias: bias, generator: generator)
    }

    private static func options(stride: Int, padding: Int, dilation: Int, groups: Int) -> ConvOptions {
        .oneDimensional(stride: stride, padding: padding, dilation: dilation, outputPadding: 0, groups: groups, transposed: false)
    }

    /// The output shape for `input`, or PyTorch's error for an input of the wrong rank, channel count or size.
    ///
    /// ```swift
    /// try Conv1d.outputShape(input: [2, 4, 10], inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2)   // [2, 6, 4]
    /// ```
    public static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1,
                                   padding: Int = 0, dilation: Int = 1, groups: Int = 1) throws -> [Int] {
        try outputShape(input: input, inChannels: inChannels, outChannels: outChannels, kernel: [kernelSize],
                        options: options(stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
}
