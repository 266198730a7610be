import NNVizCore

/// Randomly zeroes elements during training, like `nn.Dropout(p=0.5)`: in training mode each element is
/// kept with probability 1 − p and scaled by 1/(1 − p) (see ``dropout(_:p:training:generator:)`` for the
/// mask, which is PyTorch's after the same seed on non-Intel CPUs); in evaluation mode the input passes
/// through unchanged (no graph node).
///
/// ```swift
/// let model = Sequential(Linear(10, 10), ReLU(), Dropout(0.2), Linear(10, 1))
/// model.eval()          // dropout off
/// ```
public final class Dropout: Module {
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

    public override func forward(_ x: Tensor) -> Tensor {
        dropout(x, p: p, training: training, generator: generator ?? defaultGenerator)
    }

    /// Throws PyTorch's error for integer input in training mode.
    public override func check(_ x: Tensor) throws {
        if training && p > 0 && x.count > 0 && !x.dtype.isFloatingPoint {
            throw TensorError("result type Float can't be cast to the desired output type \(x.dtype.scalarTypeName)")
        }
    }

    public override var extraDescription: String { "p=\(pythonFloat(p)), inplace=False" }
}
