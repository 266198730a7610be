import NNVizCore

/// Inputs and targets whose first dimension indexes the samples, like `TensorDataset(x, y)`.
///
/// ```swift
/// let data = TensorDataset(Tensor.randn([100, 3]), Tensor.zeros([100], dtype: .int64))
/// let (x0, y0) = data[0]        // shapes [3] and []
/// ```
public struct TensorDataset: Dataset {
    /// The inputs, one row per sample.
    public let inputs: Tensor
    /// The targets, one row per sample.
    public let targets: Tensor
    private let inputRows: Rows
    private let targetRows: Rows

    /// A dataset over the rows of `inputs` and `targets`, which must have the same first dimension.
    public init(_ inputs: Tensor, _ targets: Tensor) {
        precondition(inputs.ndim > 0 && targets.ndim > 0, "TensorDataset needs tensors with at least one dimension")
        precondition(inputs.shape[0] == targets.shape[0], "Size mismatch between tensors")
        self.inputs = inputs
        self.targets = targets
        inputRows = Rows(inputs)
        targetRows = Rows(targets)
    }

    public var count: Int { inputs.shape[0] }

    /// Row `index` of the inputs and of the targets.
    public subscript(index: Int) -> (Tensor, Tensor) {
        precondition(index >= 0 && index < count, "index \(index) is out of bounds for dimension 0 with size \(count)")
        return (inputs.select(0, index), targets.select(0, index))
    }

    /// The rows at `indices` gathered into two new tensors (equal to stacking the samples; dtypes kept).
    public func batch(_ indices: [Int]) -> (Tensor, Tensor) {
        (inputRows.gather(indices), targetRows.gather(indices))
    }
}

// MARK: - Row gathering

/// A tensor's elements kept flat, so that batches copy rows without going through per-sample tensors.
private struct Rows {
    enum Values {
        case float32([Float])
        case other([Double], DType)
    }

    let values: Values
    let rowShape: [Int]
    let rowSize: Int

    init(_ tensor: Tensor) {
        rowShape = Array(tensor.shape.dropFirst())
        rowSize = rowShape.reduce(1, *)
        values = tensor.dtype == .float32 ? .float32(tensor.floats) : .other(tensor.scalars, tensor.dtype)
    }

    func gather(_ indices: [Int]) -> Tensor {
        let shape = [indices.count] + rowShape
        switch values {
        case .float32(let all):
            return Tensor(shape: shape, floats: Rows.pick(all, indices, rowSize))
        case .other(let all, let dtype):
            return Tensor(shape: shape, values: Rows.pick(all, indices, rowSize), dtype: dtype)
        }
    }

    static func pick<T>(_ all: [T], _ indices: [Int], _ rowSize: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(indices.count * rowSize)
        for i in indices { out.append(contentsOf: all[(i * rowSize)..<((i + 1) * rowSize)]) }
        return out
    }
}
