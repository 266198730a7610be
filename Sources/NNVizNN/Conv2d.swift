import NNVizCore

/// 2-D convolution over NCHW images, like `nn.Conv2d(in_channels, out_channels, kernel_size, stride,
/// padding, dilation, bias)` with `groups=1` and zero padding.
///
/// Initialised as PyTorch does from the generator: the weight (out × in × kh × kw) uniform in ±the
/// kaiming bound for fan_in = in·kh·kw, then the bias uniform in ±1/√fan_in. The forward pass is
/// ``conv2d(_:_:_:stride:padding:dilation:)`` and records `ConvolutionBackward0`.
///
/// ```swift
/// manualSeed(0)
/// let conv = Conv2d(1, 2, kernelSize: 3, padding: 1)
/// print(conv)    // Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
/// let y = conv(Tensor.randn([8, 1, 28, 28]))     // (8, 2, 28, 28)
/// ```
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: IntOrPair
    public let stride: IntOrPair
    public let padding: IntOrPair
    public let dilation: IntOrPair
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: IntOrPair = 0, dilation: IntOrPair = 1, bias: Bool = true,
                generator: Generator = defaultGenerator) {
        precondition(inChannels > 0 && outChannels > 0, "Conv2d: channel counts must be positive, got (\(inChannels), \(outChannels))")
        precondition(kernelSize.height > 0 && kernelSize.width > 0, "kernel size should be greater than zero, but got kernel_size=\(kernelSize.tupleText)")
        precondition(stride.height > 0 && stride.width > 0, "non-positive stride is not supported")
        precondition(padding.height >= 0 && padding.width >= 0, "negative padding is not supported")
        precondition(dilation.height > 0 && dilation.width > 0, "dilation should be greater than zero")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        super.init()
        let fanIn = inChannels * kernelSize.height * kernelSize.width
        let w = Tensor.zeros([outChannels, inChannels, kernelSize.height, kernelSize.width])
        let weightBound = Initialization.kaimingUniformBound(fanIn: fanIn)
        w.uniform_(-weightBound, weightBound, generator: generator)
        weight = w
        if bias {
            let b = Tensor.zeros([outChannels])
            let bound = 1 / Double(fanIn).squareRoot()
            b.uniform_(-bound, bound, generator: generator)
            self.bias = b
        }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        conv2d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation)
    }

    /// Throws PyTorch's error for an input of the wrong rank, channel count, size or dtype.
    public override func check(_ x: Tensor) throws {
        try checkConv2d(x, weight!, bias, stride: stride, padding: padding, dilation: dilation)
    }

    /// The output shape for an input of shape `input`, or PyTorch's error for the wrong rank, channel
    /// count, or an input smaller than the (dilated) kernel.
    ///
    /// ```swift
    /// try Conv2d.outputShape(input: [8, 1, 28, 28], inChannels: 1, outChannels: 2, kernelSize: 3, padding: 1)   // [8, 2, 28, 28]
    /// ```
    public static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernelSize: IntOrPair,
                                   stride: IntOrPair = 1, padding: IntOrPair = 0, dilation: IntOrPair = 1) throws -> [Int] {
        guard input.count == 3 || input.count == 4 else {
            throw TensorError("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(sizeText(input))")
        }
        let batched = input.count == 4 ? input : [1] + input
        if batched[1] != inChannels {
            let weight = [outChannels, inChannels, kernelSize.height, kernelSize.width]
            throw TensorError("Given groups=1, weight of size \(sizeText(weight)), expected input\(sizeText(batched)) to have \(inChannels) channels, but got \(batched[1]) channels instead")
        }
        let paddedHeight = batched[2] + 2 * padding.height, paddedWidth = batched[3] + 2 * padding.width
        let kernelHeight = dilation.height * (kernelSize.height - 1) + 1, kernelWidth = dilation.width * (kernelSize.width - 1) + 1
        if paddedHeight < kernelHeight || paddedWidth < kernelWidth {
            throw TensorError("Calculated padded input size per channel: (\(paddedHeight) x \(paddedWidth)). Kernel size: (\(kernelHeight) x \(kernelWidth)). Kernel size can't be greater than actual input size")
        }
        let spatial = [(paddedHeight - kernelHeight) / stride.height + 1, (paddedWidth - kernelWidth) / stride.width + 1]
        return Array(input.dropLast(3)) + [outChannels] + spatial
    }

    public override var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(kernelSize.tupleText), stride=\(stride.tupleText)"
        if padding != 0 { text += ", padding=\(padding.tupleText)" }
        if dilation != 1 { text += ", dilation=\(dilation.tupleText)" }
        if bias == nil { text += ", bias=False" }
        return text
    }
}
