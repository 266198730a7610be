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
public final class Dropout: DropoutNd {
    public override func forward(_ x: Tensor) -> Tensor {
        dropout(x, p: p, training: training, generator: maskGenerator)
    }

    /// Dropout of `x` where PyTorch holds it as a transposed view (dimensions 0 and 1 swapped, as
    /// multi-head attention's batch-first output): PyTorch draws the mask in memory order, so it is drawn
    /// in the untransposed shape and transposed.
    func dropTransposedView(_ x: Tensor, transposed: Bool, file: String = #fileID, line: Int = #line) -> Tensor {
        guard transposed, training, p > 0, p < 1, x.count > 0 else { return self(x, file: file, line: line) }
        let storedShape = [x.shape[1], x.shape[0]] + x.shape.dropFirst(2)
        let noise = dropoutNoise(shape: storedShape, dtype: x.dtype, p: p, generator: maskGenerator)
        return withRecurrentCallScope(file: file, line: line) { x * noise.transpose(0, 1) }
    }
}
