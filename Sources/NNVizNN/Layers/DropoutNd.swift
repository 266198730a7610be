import NNVizCore

/// What ``Dropout`` and ``Dropout2d`` share, as PyTorch's `_DropoutNd`: the probability, where the masks
/// are drawn from, the check for integer input and the printed form.
///
/// ```swift
/// let layers: [DropoutNd] = [Dropout(0.1), Dropout2d(0.2)]
/// print(layers.map(\.p))   // [0.1, 0.2]
/// ```
public class DropoutNd: Module {
    public let p: Double
    /// The generator masks are drawn from; nil draws from ``defaultGenerator`` at each call (as PyTorch
    /// draws from the global generator), so a ``withManualSeed(_:_:)`` block around the call seeds it.
    private let generator: Generator?

    public init(_ p: Double = 0.5, generator: Generator? = nil) {
        precondition(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got \(pythonFloat(p))")
        self.p = p
        self.generator = generator
        super.init()
    }

    /// The generator this call's mask comes from.
    var maskGenerator: Generator { generator ?? defaultGenerator }

    /// Throws PyTorch's error for integer input in training mode.
    public override func check(_ x: Tensor) throws {
        if training && p > 0 && x.count > 0 && !x.dtype.isFloatingPoint {
            throw TensorError("result type Float can't be cast to the desired output type \(x.dtype.scalarTypeName)")
        }
    }

    public override var extraDescription: String { "p=\(pythonFloat(p)), inplace=False" }
}
