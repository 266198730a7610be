// MARK: - Exact int64 elements

extension Tensor {
    /// An int64 leaf of `shape` from flat row-major values, exact for every `Int64` (no detour through
    /// `Double`, which would round values above 2⁵³).
    ///
    /// ```swift
    /// let steps = Tensor(shape: [], int64s: [9_007_199_254_740_993])
    /// ```
    public convenience init(shape: [Int], int64s: [Int64]) {
        precondition(shape.reduce(1, *) == int64s.count,
                     "shape \(shapeText(shape)) is invalid for input of size \(int64s.count)")
        self.init(shape: shape, storage: .int64(int64s))
    }

    /// All elements in row-major order as `Int64`: exact for an int64 tensor, converted like ``long()``
    /// (floats truncate toward zero) otherwise.
    public var int64s: [Int64] {
        guard case .int64(let values) = storage.converted(to: .int64) else {
            preconditionFailure("converting to int64 gave \(storage.converted(to: .int64).dtype)")
        }
        return values
    }
}
