import NNVizCore

/// 2-D average pooling, like `nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
/// count_include_pad=True)`: the stride defaults to the kernel size. Runs
/// ``avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:)`` and records `AvgPool2DBackward0`.
///
/// ```swift
/// let pool = AvgPool2d(3, stride: 2, padding: 1)
/// print(pool)            // AvgPool2d(kernel_size=3, stride=2, padding=1)
/// let y = pool(Tensor.randn([1, 2, 9, 9]))      // (1, 2, 5, 5)
/// ```
public final class AvgPool2d: Module {
    public let kernelSize: IntOrPair
    public let stride: IntOrPair
    public let padding: IntOrPair
    public let ceilMode: Bool
    public let countIncludePad: Bool

    public init(_ kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) {
        let stride = stride ?? kernelSize
        precondition(kernelSize.height > 0 && kernelSize.width > 0,
                     "kernel_size must be greater than zero, but got kH: \(kernelSize.height) kW: \(kernelSize.width)")
        precondition(stride.height > 0 && stride.width > 0, "stride should be greater than zero, but got dH: \(stride.height) dW: \(stride.width)")
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init()
    }

    /// The output shape for `input`, or PyTorch's error for a padding over half the kernel or a window
    /// larger than the padded input.
    ///
    /// ```swift
    /// try AvgPool2d.outputShape(input: [1, 2, 9, 9], kernelSize: 3, stride: 2, padding: 1)   // [1, 2, 5, 5]
    /// ```
    public static func outputShape(input: [Int], kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                                   ceilMode: Bool = false) throws -> [Int] {
        try PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: 1, ceilMode: ceilMode)
            .outputShape(input: input)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        avgPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                  countIncludePad: countIncludePad)
    }

    /// Throws PyTorch's error for an input of the wrong rank or too small for the window.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode)
        try checkAvgPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode)
    }

    public override var extraDescription: String {
        "kernel_size=\(kernelSize.givenText), stride=\(stride.givenText), padding=\(padding.givenText)"
    }
}
