import NNVizCore

// MARK: - embedding

/// Rows of `weight` picked by int64 `indices` of any shape, like `torch.nn.functional.embedding`: the
/// result has shape `indices.shape + [embedding dim]`. Backward (`EmbeddingBackward0`) adds each output
/// row's gradient to the row it was read from, except the `paddingIdx` row.
///
/// ```swift
/// let vectors = embedding(Tensor([[1, 2], [4, 9]]), table.weight!)    // (2, 2, dim)
/// ```
public func embedding(_ indices: Tensor, _ weight: Tensor, paddingIdx: Int? = nil) -> Tensor {
    do { try checkEmbedding(indices, weight) } catch { preconditionFailure("\(error)") }
    let rows = indices.scalars.map { Int($0) }
    let count = weight.shape[0], dim = weight.shape[1]
    func gather<T: LayerElement>(_: T.Type) -> Tensor {
        let table: [T] = T.elementValues(of: weight)
        var values = [T]()
        values.reserveCapacity(rows.count * dim)
        for row in rows { values.append(contentsOf: table[(row * dim)..<((row + 1) * dim)]) }
        let output = T.elementTensor(values, shape: indices.shape + [dim])
        let saved: [SavedValue] = [
            .tensor("indices", shape: indices.shape, dtype: .int64),
            .attribute("padding_idx", paddingIdx.map(String.init) ?? "18446744073709551615"),
            .attribute("scale_grad_by_freq", "False"),
            .attribute("sparse", "False"),
            .attribute("weight_sym_argsize_0", "\(count)"),
        ]
        return Tensor.function("EmbeddingBackward0", inputs: [weight], saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dw = [T](repeating: 0, count: count * dim)
            for (i, row) in rows.enumerated() where row != paddingIdx {
                for j in 0..<dim { dw[row * dim + j] += g[i * dim + j] }
            }
            return [T.elementTensor(dw, shape: [count, dim])]
        }
    }
    return weight.dtype == .float64 ? gather(Double.self) : gather(Float.self)
}

/// Throws the error ``embedding(_:_:paddingIdx:)`` would stop with: indices that are not int64, or out of range.
///
/// ```swift
/// try checkEmbedding(Tensor([1.0, 2.0]), table.weight!)
/// // Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)
/// ```
public func checkEmbedding(_ indices: Tensor, _ weight: Tensor) throws {
    guard indices.dtype == .int64 else {
        throw TensorError("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.\(indices.dtype.scalarTypeName)Tensor instead (while checking arguments for embedding)")
    }
    guard weight.ndim == 2 else { throw TensorError("'weight' must be 2-D") }
    if indices.scalars.contains(where: { $0 < 0 || $0 >= Double(weight.shape[0]) }) {
        throw TensorError("index out of range in self")
    }
}
