import NNVizCore

/// Average pooling to a fixed output size whatever the input's, like `nn.AdaptiveAvgPool2d(output_size)`
/// (the global average pool of a classifier head with output size 1). Runs
/// ``adaptiveAvgPool2d(_:outputSize:)``: `MeanBackward1` for 1 × 1, `AdaptiveAvgPool2DBackward0` otherwise.
///
/// ```swift
/// let head = Sequential(AdaptiveAvgPool2d(1), Flatten(), Linear(16, 10))
/// print(AdaptiveAvgPool2d([2, 3]))      // AdaptiveAvgPool2d(output_size=(2, 3))
/// ```
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: IntOrPair

    public init(_ outputSize: IntOrPair) {
        self.outputSize = outputSize
        super.init()
    }

    /// The output shape for `input` (its last two sizes replaced), or PyTorch's error for a rank other than
    /// 3 or 4 or an empty non-batch dimension.
    ///
    /// ```swift
    /// try AdaptiveAvgPool2d.outputShape(input: [2, 16, 7, 7], outputSize: 1)   // [2, 16, 1, 1]
    /// ```
    public static func outputShape(input: [Int], outputSize: IntOrPair) throws -> [Int] {
        try adaptiveAvgPool2dShape(input, outputSize: outputSize)
    }

    public override func forward(_ x: Tensor) -> Tensor { adaptiveAvgPool2d(x, outputSize: outputSize) }

    /// Throws PyTorch's error for an input of the wrong rank, with an empty dimension, or not floating-point.
    public override func check(_ x: Tensor) throws { try checkAdaptiveAvgPool2d(x, outputSize: outputSize) }

    public override var extraDescription: String { "output_size=\(outputSize.givenText)" }
}
