import NNVizCore

/// Randomly zeroes whole channels during training, like `nn.Dropout2d(p=0.5)`: in training mode each
/// (sample, channel) plane is kept with probability 1 − p and scaled by 1/(1 − p) (see
/// ``dropout2d(_:p:training:generator:)``); in evaluation mode the input passes through unchanged.
///
/// ```swift
/// let features = Sequential(Conv2d(3, 16, kernelSize: 3, padding: 1), ReLU(), Dropout2d(0.2))
/// ```
public final class Dropout2d: DropoutNd {
    /// `input` itself, or the error for fewer than 2 dimensions.
    ///
    /// ```swift
    /// try Dropout2d.outputShape(input: [2, 4, 8, 8])   // [2, 4, 8, 8]
    /// ```
    public static func outputShape(input: [Int]) throws -> [Int] {
        guard input.count >= 2 else {
            throw TensorError("dropout2d expects an input of at least 2 dimensions (N, C, ...), got input of size \(sizeText(input))")
        }
        return input
    }

    public override func forward(_ x: Tensor) -> Tensor {
        dropout2d(x, p: p, training: training, generator: maskGenerator)
    }

    /// Throws for input of fewer than 2 dimensions, and PyTorch's error for integer input in training mode.
    public override func check(_ x: Tensor) throws {
        _ = try Self.outputShape(input: x.shape)
        try super.check(x)
    }
}
