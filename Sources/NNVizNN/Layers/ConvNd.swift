import NNVizCore

/// What ``Conv1d``, ``Conv2d`` and ``ConvTranspose2d`` share, as PyTorch's `_ConvNd`: the channel counts and
/// groups, the weight and bias (drawn as `reset_parameters` draws them), the forward pass, the input check
/// and the printed form.
///
/// ```swift
/// let layers: [ConvNd] = [Conv1d(4, 6, kernelSize: 3), Conv2d(3, 8, kernelSize: 3)]
/// print(layers.map(\.outChannels))   // [6, 8]
/// ```
public class ConvNd: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let groups: Int
    @Param public var weight: Tensor?
    @Param public var bias: Tensor?
    /// Stride, padding, dilation and output padding, with the number of spatial dimensions and the direction.
    let options: ConvOptions
    /// The kernel's size per spatial dimension (one entry for a 1-D convolution).
    let kernel: [Int]

    init(_ name: String, inChannels: Int, outChannels: Int, kernel: [Int], options: ConvOptions, bias: Bool,
         generator: Generator) {
        let perDimension = { (value: IntOrPair) in options.spatial == 1 ? [value.width] : [value.height, value.width] }
        preconditionConvolution(name, inChannels: inChannels, outChannels: outChannels, groups: options.groups,
                                kernelSize: kernel, stride: perDimension(options.stride),
                                padding: perDimension(options.padding), dilation: perDimension(options.dilation))
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.groups = options.groups
        self.options = options
        self.kernel = kernel
        super.init()
        (weight, self.bias) = convolutionParameters(
            weightShape: Self.weightShape(inChannels: inChannels, outChannels: outChannels, kernel: kernel, options: options),
            bias: bias, biasCount: outChannels, generator: generator)
    }

    /// out × in/groups × kernel for a convolution, in × out/groups × kernel for a transposed one.
    static func weightShape(inChannels: Int, outChannels: Int, kernel: [Int], options: ConvOptions) -> [Int] {
        (options.transposed ? [inChannels, outChannels / options.groups] : [outChannels, inChannels / options.groups]) + kernel
    }

    /// The output shape for `input`, or PyTorch's error: the subclasses' `outputShape` rules.
    static func outputShape(input: [Int], inChannels: Int, outChannels: Int, kernel: [Int],
                            options: ConvOptions) throws -> [Int] {
        try checkConvolutionConfiguration(inChannels: inChannels, outChannels: outChannels, groups: options.groups)
        return try options.outputShape(input: input, weight: weightShape(inChannels: inChannels, outChannels: outChannels,
                                                                          kernel: kernel, options: options))
    }

    public override func forward(_ x: Tensor) -> Tensor {
        convolution(x, weight!, bias, options)
    }

    /// Throws PyTorch's error for an input of the wrong rank, channel count, size or dtype.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape, inChannels: inChannels, outChannels: outChannels, kernel: kernel,
                                 options: options)
        try options.check(x, weight!, bias)
    }

    /// PyTorch's `extra_repr`: `3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)`.
    public override var extraDescription: String {
        let kernelSize = IntOrPair(kernel.count == 1 ? (1, kernel[0]) : (kernel[0], kernel[1]))
        var text = "\(inChannels), \(outChannels), kernel_size=\(options.tuple(kernelSize)), stride=\(options.tuple(options.stride))"
        if options.padding != 0 { text += ", padding=\(options.tuple(options.padding))" }
        if options.dilation != 1 { text += ", dilation=\(options.tuple(options.dilation))" }
        if options.outputPadding != 0 { text += ", output_padding=\(options.tuple(options.outputPadding))" }
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
