import NNVizCore

/// Flattens dimensions `startDim...endDim` into one, like `nn.Flatten(start_dim=1, end_dim=-1)`: by
/// default an (N, C, H, W) batch becomes (N, C·H·W). A contiguous input records `ViewBackward0`.
///
/// ```swift
/// let head = Sequential(Flatten(), Linear(8, 3))
/// print(Flatten()(Tensor.zeros([2, 2, 2, 3])).shape)    // [2, 12]
/// ```
public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    public override func forward(_ x: Tensor) -> Tensor {
        do { try check(x) } catch { preconditionFailure("\(error)") }
        return x.flatten(startDim: startDim, endDim: endDim)
    }

    /// Throws PyTorch's error for a dimension out of range or `startDim` after `endDim`.
    public override func check(_ x: Tensor) throws {
        let n = max(x.ndim, 1)
        for d in [startDim, endDim] where d < -n || d >= n {
            throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        if (startDim < 0 ? startDim + n : startDim) > (endDim < 0 ? endDim + n : endDim) {
            throw TensorError("flatten() has invalid args: start_dim cannot come after end_dim")
        }
    }

    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}
