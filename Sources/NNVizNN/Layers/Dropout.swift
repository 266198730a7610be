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

    /// Dropout of `x` where PyTorch holds it as a transposed view (dimensions 0 and 1 swapped, as
    /// multi-head attention's batch-first output): PyTorch draws the mask in memory order, so it is drawn
    /// in the untransposed shape and transposed.
    func dropTransposedView(_ x: Tensor, transposed: Bool, file: String = #fileID, line: Int = #line) -> Tensor {
        guard transposed, training, p > 0, p < 1, x.count > 0 else { return self(x, file: file, line: line) }
        let storedShape = [x.shape[1], x.shape[0]] + x.shape.dropFirst(2)
        let noise = dropoutNoise(shape: storedShape, dtype: x.dtype, p: p, generator: generator ?? defaultGenerator)
        return withRecurrentCallScope(file: file, line: line) { x * noise.transpose(0, 1) }
    }

    /// Throws PyTorch's error for integer input in training mode.
    public override func check(_ x: Tensor) throws {
        if training && p > 0 && x.count > 0 && !x.dtype.isFloatingPoint {
            throw TensorError("result type Float can't be cast to the desired output type \(x.dtype.scalarTypeName)")
        }
    }

    public override var extraDescription: String { "p=\(pythonFloat(p)), inplace=False" }
}
