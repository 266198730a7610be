import NNVizCore

/// Upsampling of NCHW images by a scale factor, like `nn.Upsample(scale_factor=s, mode='nearest')`.
/// Runs ``upsampleNearest2d(_:scaleFactor:)`` and records `UpsampleNearest2DBackward0`.
///
/// ```swift
/// let up = Upsample(scaleFactor: 2)
/// print(up)                                   // Upsample(scale_factor=2.0, mode='nearest')
/// let y = up(Tensor.randn([1, 3, 8, 8]))      // (1, 3, 16, 16)
/// ```
public final class Upsample: Module {
    /// The interpolation: nearest neighbour (PyTorch's default mode).
    public enum Mode: String, Sendable {
        case nearest
    }

    public let scaleFactor: Double
    public let mode: Mode

    public init(scaleFactor: Double, mode: Mode = .nearest) {
        precondition(scaleFactor > 0, "upsample: scale_factor must be positive, got \(pythonFloat(scaleFactor))")
        self.scaleFactor = scaleFactor
        self.mode = mode
        super.init()
    }

    /// The output shape for `input`, or the error for an input that is not 4-D.
    ///
    /// ```swift
    /// try Upsample.outputShape(input: [1, 3, 8, 8], scaleFactor: 2)   // [1, 3, 16, 16]
    /// ```
    public static func outputShape(input: [Int], scaleFactor: Double, mode: Mode = .nearest) throws -> [Int] {
        try upsampleNearest2dShape(input, scaleFactor: scaleFactor)
    }

    public override func forward(_ x: Tensor) -> Tensor { upsampleNearest2d(x, scaleFactor: scaleFactor) }

    /// Throws the error for an input that is not 4-D or not floating-point.
    public override func check(_ x: Tensor) throws { try checkUpsampleNearest2d(x, scaleFactor: scaleFactor) }

    public override var extraDescription: String { "scale_factor=\(pythonFloat(scaleFactor)), mode='\(mode.rawValue)'" }
}
