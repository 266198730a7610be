// MARK: - Reduction plans

extension Tensor {
    /// For reducing `dims`: the kept-dims output shape and, for every input element, its output position.
    func reductionMap(_ dims: [Int]) -> (keptShape: [Int], map: [Int]) {
        let reduce = Set(dims)
        let keptShape = shape.enumerated().map { reduce.contains($0.offset) ? 1 : $0.element }
        let outStrides = Tensor.contiguousStrides(keptShape)
        let step = shape.indices.map { reduce.contains($0) ? 0 : outStrides[$0] }
        var map = [Int](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: ndim)
        var offset = 0
        for i in 0..<count {
            map[i] = offset
            var d = ndim - 1
            while d >= 0 {
                index[d] += 1
                offset += step[d]
                if index[d] < shape[d] { break }
                offset -= step[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
        return (keptShape, map)
    }

    /// Sums into the kept-dims shape, accumulating in Double in input order. Reduced dimensions that
    /// form one block (leading, trailing, all, or any consecutive run) are summed row by row;
    /// others go through ``reductionMap(_:)``.
    func sumData(_ dims: [Int]) -> Tensor {
        let keptShape = shape.indices.map { dims.contains($0) ? 1 : shape[$0] }
        var acc = [Double](repeating: 0, count: keptShape.reduce(1, *))
        let sorted = dims.sorted()
        if let first = sorted.first, let last = sorted.last, last - first + 1 == sorted.count {
            let outer = shape[..<first].reduce(1, *), reduced = shape[first...last].reduce(1, *)
            let inner = shape[(last + 1)...].reduce(1, *)
            switch storage {
            case .float32(let a): a.withUnsafeBufferPointer { Tensor.sumBlocks($0, into: &acc, outer, reduced, inner) { Double($0) } }
            case .float64(let a): a.withUnsafeBufferPointer { Tensor.sumBlocks($0, into: &acc, outer, reduced, inner) { $0 } }
            case .int64(let a): a.withUnsafeBufferPointer { Tensor.sumBlocks($0, into: &acc, outer, reduced, inner) { Double($0) } }
            case .bool(let a): a.withUnsafeBufferPointer { Tensor.sumBlocks($0, into: &acc, outer, reduced, inner) { $0 ? 1 : 0 } }
            }
        } else if !dims.isEmpty {
            let (_, map) = reductionMap(dims)
            for i in 0..<count { acc[map[i]] += storage.double(at: i) }
        } else {
            for i in 0..<count { acc[i] = storage.double(at: i) }
        }
        let dtype: DType = self.dtype == .bool ? .int64 : self.dtype
        return Tensor(shape: keptShape, storage: Storage.fromDoubles(acc, dtype))
    }

    /// Adds `values`, an (outer × reduced × inner) block, over its middle dimension into `sums`
    /// (outer × inner), each sum taken in order of the reduced index.
    @inline(__always)
    private static func sumBlocks<T>(_ values: UnsafeBufferPointer<T>, into sums: inout [Double], _ outer: Int,
                                     _ reduced: Int, _ inner: Int, _ toDouble: (T) -> Double) {
        guard let source = values.baseAddress else { return }
        sums.withUnsafeMutableBufferPointer { sums in
            let out = sums.baseAddress!
            if inner == 1 {
                for o in 0..<outer {
                    var total = 0.0
                    let row = source + o * reduced
                    for r in 0..<reduced { total += toDouble(row[r]) }
                    out[o] += total
                }
                return
            }
            for o in 0..<outer {
                let destination = out + o * inner
                for r in 0..<reduced {
                    let row = source + (o * reduced + r) * inner
                    for i in 0..<inner { destination[i] += toDouble(row[i]) }
                }
            }
        }
    }

    /// Broadcasts a gradient of the kept-dims shape back over an input of `inputShape` whose `dims` were
    /// reduced (backward of sum and mean).
    static func spread(_ g: Tensor, over inputShape: [Int], reducing dims: [Int]) -> Tensor {
        let keptStrides = contiguousStrides(inputShape.indices.map { dims.contains($0) ? 1 : inputShape[$0] })
        let strides = inputShape.indices.map { dims.contains($0) ? 0 : keptStrides[$0] }
        return Tensor(shape: inputShape, storage: g.storage.strided(shape: inputShape, strides: strides))
    }

    func normalizedDims(_ dims: [Int]) -> [Int] {
        Array(Set(dims.map { normalizedDim($0) })).sorted()
    }
}

// MARK: - Sum and mean

extension Tensor {
    /// Sum of all elements (`SumBackward0`).
    ///
    /// ```swift
    /// Tensor([[1.0, 2.0], [3.0, 4.0]]).sum()     // tensor(10.)
    /// ```
    public func sum() -> Tensor {
        let all = Array(0..<ndim)
        let out = sumData(all).reshapedData([])
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "SumBackward0", self, saved: [.shape("self_sym_sizes", original)]) { g in
            Tensor(shape: original, storage: Storage.filled(g.item(), original.reduce(1, *), g.dtype))
        }
    }

    /// Sums over `dim` (`SumBackward1`).
    public func sum(dim: Int, keepdim: Bool = false) -> Tensor { sum(dims: [dim], keepdim: keepdim) }

    /// Sums over several dimensions (`SumBackward1`).
    public func sum(dims: [Int], keepdim: Bool = false) -> Tensor {
        let ds = normalizedDims(dims)
        let reduced = sumData(ds)
        let outShape = keepdim ? reduced.shape : shape.enumerated().filter { !ds.contains($0.offset) }.map(\.element)
        let out = reduced.reshapedData(outShape)
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "SumBackward1", self,
                          saved: [.attr("dim", pyTuple(ds)), .attr("keepdim", keepdim ? "True" : "False"),
                                  .shape("self_sym_sizes", original)]) { g in
            Tensor.spread(g, over: original, reducing: ds)
        }
    }

    /// Mean of all elements (`MeanBackward0`).
    public func mean() -> Tensor {
        precondition(dtype.isFloatingPoint, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        let n = Double(Swift.max(count, 1))
        let total = sumData(Array(0..<ndim)).item()
        let out = Tensor(shape: [], storage: Storage.fromDoubles([count == 0 ? .nan : total / n], dtype))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "MeanBackward0", self,
                          saved: [.attr("self_sym_numel", "\(count)"), .shape("self_sym_sizes", original)]) { g in
            Tensor(shape: original, storage: Storage.filled(g.item() / n, original.reduce(1, *), g.dtype))
        }
    }

    /// Mean over `dim` (`MeanBackward1`).
    public func mean(dim: Int, keepdim: Bool = false) -> Tensor { mean(dims: [dim], keepdim: keepdim) }

    /// Mean over several dimensions (`MeanBackward1`).
    public func mean(dims: [Int], keepdim: Bool = false) -> Tensor {
        precondition(dtype.isFloatingPoint, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.scalarTypeName)")
        let ds = normalizedDims(dims)
        let n = Double(ds.map { shape[$0] }.reduce(1, *))
        let reduced = sumData(ds)
        let outShape = keepdim ? reduced.shape : shape.enumerated().filter { !ds.contains($0.offset) }.map(\.element)
        let out = Tensor(shape: outShape, storage: Storage.fromDoubles(reduced.scalars.map { $0 / n }, dtype))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "MeanBackward1", self,
                          saved: [.attr("dim", pyTuple(ds)), .attr("keepdim", keepdim ? "True" : "False"),
                                  .attr("self_sym_numel", "\(count)"), .shape("self_sym_sizes", original)]) { g in
            Tensor.spread(g / n, over: original, reducing: ds)
        }
    }
}

// MARK: - Max, min, argmax

extension Tensor {
    /// Positions of the extreme element of each reduced group (first one on ties; NaN wins, as in PyTorch).
    private func extremes(_ dims: [Int], largest: Bool) -> (kept: [Int], best: [Int]) {
        let (kept, map) = reductionMap(dims)
        var best = [Int](repeating: -1, count: kept.reduce(1, *))
        for i in 0..<count {
            let o = map[i]
            let b = best[o]
            if b < 0 { best[o] = i; continue }
            let v = storage.double(at: i), cur = storage.double(at: b)
            if cur.isNaN { continue }
            if v.isNaN || (largest ? v > cur : v < cur) { best[o] = i }
        }
        return (kept, best)
    }

    private func extreme(largest: Bool) -> Tensor {
        precondition(count > 0, "\(largest ? "max" : "min")(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        let (_, best) = extremes(Array(0..<ndim), largest: largest)
        let position = best[0]
        let out = Tensor(shape: [], storage: storage.gather([position]))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, largest ? "MaxBackward1" : "MinBackward1", self,
                          saved: [.tensor("result", out), .tensor("self", self)]) { g in
            Tensor.scatter(g.reshapedData([1]), into: original, at: [position])
        }
    }

    private func extreme(dim: Int, keepdim: Bool, largest: Bool) -> (values: Tensor, indices: Tensor) {
        let d = normalizedDim(dim)
        let (kept, best) = extremes([d], largest: largest)
        let outShape = keepdim ? kept : shape.enumerated().filter { $0.offset != d }.map(\.element)
        let inner = shape[(d + 1)...].reduce(1, *)
        let indices = Tensor(shape: outShape, storage: .int64(best.map { Int64(($0 / inner) % shape[d]) }))
        let values = Tensor(shape: outShape, storage: storage.gather(best))
        guard let context = Tensor.recording(self) else { return (values, indices) }
        let original = shape
        values.attach(context, largest ? "MaxBackward0" : "MinBackward0", self,
                      saved: [.attr("dim", "\(d)"), .tensor("indices", indices), .attr("keepdim", keepdim ? "True" : "False"),
                              .shape("self_sym_sizes", original)]) { g in
            Tensor.scatter(g, into: original, at: best)
        }
        return (values, indices)
    }

    /// Largest element (`MaxBackward1`).
    public func max() -> Tensor { extreme(largest: true) }
    /// Smallest element (`MinBackward1`).
    public func min() -> Tensor { extreme(largest: false) }

    /// Largest values along `dim` and their indices, like `x.max(dim)` (`MaxBackward0`).
    ///
    /// ```swift
    /// let (values, indices) = logits.max(dim: 1)
    /// ```
    public func max(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extreme(dim: dim, keepdim: keepdim, largest: true)
    }

    /// Smallest values along `dim` and their indices (`MinBackward0`).
    public func min(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extreme(dim: dim, keepdim: keepdim, largest: false)
    }

    /// Index of the largest element (flattened) or along `dim`, as int64.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        guard let dim else {
            let (_, best) = extremes(Array(0..<ndim), largest: true)
            return Tensor(shape: [], storage: .int64([Int64(best[0])]))
        }
        return max(dim: dim, keepdim: keepdim).indices
    }

    /// Index of the smallest element (flattened) or along `dim`, as int64.
    public func argmin(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        guard let dim else {
            let (_, best) = extremes(Array(0..<ndim), largest: false)
            return Tensor(shape: [], storage: .int64([Int64(best[0])]))
        }
        return min(dim: dim, keepdim: keepdim).indices
    }
}
