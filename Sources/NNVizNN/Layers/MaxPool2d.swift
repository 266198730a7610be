import NNVizCore

/// 2-D max pooling, like `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`:
/// the stride defaults to the kernel size. Runs ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)``
/// and records `MaxPool2DWithIndicesBackward0`.
///
/// ```swift
/// let pool = MaxPool2d(2)
/// print(pool)            // MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
/// let y = pool(Tensor.randn([1, 2, 4, 6]))      // (1, 2, 2, 3)
/// ```
public final class MaxPool2d: Module {
    public let kernelSize: IntOrPair
    public let stride: IntOrPair
    public let padding: IntOrPair
    public let dilation: IntOrPair
    public let ceilMode: Bool

    public init(_ kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0, dilation: IntOrPair = 1,
                ceilMode: Bool = false) {
        let stride = stride ?? kernelSize
        precondition(kernelSize.height > 0 && kernelSize.width > 0,
                     "kernel_size must be greater than zero, but got kH: \(kernelSize.height) kW: \(kernelSize.width)")
        precondition(stride.height > 0 && stride.width > 0, "stride should be greater than zero, but got dH: \(stride.height) dW: \(stride.width)")
        precondition(dilation.height > 0 && dilation.width > 0,
                     "dilation should be greater than zero, but got dilationH: \(dilation.height) dilationW: \(dilation.width)")
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    public override func forward(_ x: Tensor) -> Tensor {
        maxPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    /// Throws PyTorch's error for an input of the wrong rank or too small for the window.
    public override func check(_ x: Tensor) throws {
        try checkMaxPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    /// The pooled shape of an input of shape `input`, or PyTorch's error for the wrong rank, too much
    /// padding, or a window larger than the input.
    ///
    /// ```swift
    /// try MaxPool2d.outputShape(input: [1, 2, 4, 6], kernelSize: 2)    // [1, 2, 2, 3]
    /// ```
    public static func outputShape(input: [Int], kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                                   dilation: IntOrPair = 1, ceilMode: Bool = false) throws -> [Int] {
        try PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation,
                       ceilMode: ceilMode).outputShape(input: input)
    }

    public override var extraDescription: String {
        "kernel_size=\(kernelSize.givenText), stride=\(stride.givenText), padding=\(padding.givenText), "
            + "dilation=\(dilation.givenText), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}
