// MARK: - Ops with several outputs

extension Tensor {
    /// Splits along `dim` into tensors without that dimension, one node for all (`UnbindBackward0`).
    /// Each part is one contiguous copy; backward writes the parts' gradients straight into the whole
    /// gradient (zeros where a part got none).
    ///
    /// ```swift
    /// let steps = sequence.unbind(0)     // a (T, N, F) tensor → T tensors of (N, F)
    /// ```
    public func unbind(_ dim: Int = 0) -> [Tensor] {
        let d = normalizedDim(dim)
        var partShape = shape
        partShape.remove(at: d)
        let parts = split(dim: d, sizes: Array(repeating: 1, count: shape[d])).map { storage in
            asView(Tensor(shape: partShape, storage: storage))
        }
        return Tensor.multiOutputFunction("UnbindBackward0", inputs: [self], saved: [.attr("dim", "\(d)")],
                                          outputs: parts, backward: joiningBackward(dim: d, sizes: Array(repeating: 1, count: shape[d])))
    }

    /// PyTorch's `unsafe_chunk(chunks, dim)`: `chunks` parts of `ceil(size / chunks)` along `dim` (the last
    /// one shorter when the size does not divide), one node for all (`UnsafeSplitBackward0`), as an RNN
    /// cell splits its projection into gates. The parts are contiguous copies, not views.
    ///
    /// ```swift
    /// let gates = projection.unsafeChunk(4, dim: 1)    // (N, 4H) → 4 tensors of (N, H)
    /// ```
    public func unsafeChunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        precondition(chunks > 0, "chunk expects `chunks` to be greater than 0, got: \(chunks)")
        let d = normalizedDim(dim)
        let size = shape[d], splitSize = (size + chunks - 1) / chunks
        let sizes = splitSize == 0 ? [0] : stride(from: 0, to: size, by: splitSize).map { Swift.min(splitSize, size - $0) }
        let parts = zip(split(dim: d, sizes: sizes), sizes).map { storage, length in
            var partShape = shape
            partShape[d] = length
            return Tensor(shape: partShape, storage: storage)
        }
        let saved: [SavedValue] = [.attr("dim", "\(d)"), .shape("self_sym_sizes", shape), .attr("split_size", "\(splitSize)")]
        return Tensor.multiOutputFunction("UnsafeSplitBackward0", inputs: [self], saved: saved, outputs: parts,
                                          backward: joiningBackward(dim: d, sizes: sizes))
    }

    /// The elements of consecutive runs of `sizes` indices along `dim`, each run contiguous: one block copy
    /// per row of the dimensions before `dim` (one in all for `dim` 0).
    private func split(dim d: Int, sizes: [Int]) -> [Storage] {
        let rows = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *), stride = shape[d] * inner
        func copy<T>(_ values: [T]) -> [[T]] {
            var start = 0
            return values.withUnsafeBufferPointer { source in
                sizes.map { length in
                    let width = length * inner, first = start * inner
                    start += length
                    return [T](unsafeUninitializedCapacity: rows * width) { buffer, initialized in
                        if width > 0, let from = source.baseAddress, let to = buffer.baseAddress {
                            for row in 0..<rows { (to + row * width).initialize(from: from + row * stride + first, count: width) }
                        }
                        initialized = rows * width
                    }
                }
            }
        }
        switch storage {
        case .float32(let a): return copy(a).map { .float32($0) }
        case .float64(let a): return copy(a).map { .float64($0) }
        case .int64(let a): return copy(a).map { .int64($0) }
        case .bool(let a): return copy(a).map { .bool($0) }
        }
    }

    /// The backward of a split of this tensor along `dim` into runs of `sizes`: the parts' gradients
    /// (zeros for parts that got none) laid back side by side.
    private func joiningBackward(dim d: Int, sizes: [Int]) -> ([Tensor?]) -> [Tensor?] {
        let whole = shape, type = dtype
        let outer = whole[..<d].reduce(1, *), inner = whole[(d + 1)...].reduce(1, *)
        return { grads in
            let storages = zip(grads, sizes).map { grad, length in
                grad?.storage ?? Storage.filled(0, outer * length * inner, type)
            }
            return [Tensor(shape: whole, storage: Storage.interleaving(storages, widths: sizes.map { $0 * inner }, rows: outer))]
        }
    }
}

extension Storage {
    /// For each of `rows` rows, every part's next `widths[k]` elements in turn: parts split along one
    /// dimension joined back (`rows` is the product of the dimensions before it).
    static func interleaving(_ parts: [Storage], widths: [Int], rows: Int) -> Storage {
        let total = rows * widths.reduce(0, +)
        func join<T>(_ arrays: [[T]]) -> [T] {
            [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                var position = 0
                for row in 0..<rows {
                    for (values, width) in zip(arrays, widths) where width > 0 {
                        values.withUnsafeBufferPointer { source in
                            (buffer.baseAddress! + position).initialize(from: source.baseAddress! + row * width, count: width)
                        }
                        position += width
                    }
                }
                initialized = total
            }
        }
        switch parts[0] {
        case .float32: return .float32(join(parts.map { if case .float32(let a) = $0 { a } else { preconditionFailure("dtype mismatch") } }))
        case .float64: return .float64(join(parts.map { if case .float64(let a) = $0 { a } else { preconditionFailure("dtype mismatch") } }))
        case .int64: return .int64(join(parts.map { if case .int64(let a) = $0 { a } else { preconditionFailure("dtype mismatch") } }))
        case .bool: return .bool(join(parts.map { if case .bool(let a) = $0 { a } else { preconditionFailure("dtype mismatch") } }))
        }
    }
}
