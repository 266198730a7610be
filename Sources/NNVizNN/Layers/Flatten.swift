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
        _ = try Flatten.outputShape(input: x.shape, startDim: startDim, endDim: endDim)
    }

    /// The flattened shape, or PyTorch's error for a dimension out of range or `startDim` after `endDim`.
    ///
    /// ```swift
    /// try Flatten.outputShape(input: [2, 2, 2, 3])    // [2, 12]
    /// ```
    public static func outputShape(input: [Int], startDim: Int = 1, endDim: Int = -1) throws -> [Int] {
        let n = max(input.count, 1)
        for d in [startDim, endDim] where d < -n || d >= n {
            throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(d))")
        }
        let start = startDim < 0 ? startDim + n : startDim, end = endDim < 0 ? endDim + n : endDim
        if start > end {
            throw TensorError("flatten() has invalid args: start_dim cannot come after end_dim")
        }
        guard !input.isEmpty else { return [1] }
        return Array(input[..<start]) + [input[start...end].reduce(1, *)] + Array(input[(end + 1)...])
    }

    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}
