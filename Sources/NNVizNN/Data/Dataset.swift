import NNVizCore

/// A source of (input, target) samples that a ``DataLoader`` batches, like `torch.utils.data.Dataset`.
///
/// Implement ``count`` and the subscript; ``batch(_:)`` stacks the samples unless the dataset can gather
/// rows more directly (as ``TensorDataset`` does).
///
/// ```swift
/// struct Squares: Dataset {
///     var count: Int { 100 }
///     subscript(index: Int) -> (Tensor, Tensor) { (Tensor([Double(index)]), Tensor([Double(index * index)])) }
/// }
/// ```
public protocol Dataset {
    /// The number of samples.
    var count: Int { get }
    /// Sample `index` (0 ≤ index < count).
    subscript(index: Int) -> (Tensor, Tensor) { get }
    /// The samples at `indices`, stacked along a new first dimension.
    func batch(_ indices: [Int]) -> (Tensor, Tensor)
}

extension Dataset {
    /// Stacks the samples at `indices`, as PyTorch's `default_collate` does.
    public func batch(_ indices: [Int]) -> (Tensor, Tensor) {
        let samples = indices.map { self[$0] }
        return (Tensor.stack(samples.map(\.0)), Tensor.stack(samples.map(\.1)))
    }
}
