/// Broadcasting, PyTorch's rules: shapes align at the right; a dimension of 1 stretches.
enum Broadcast {
    /// The broadcast shape of `a` and `b`, or nil when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Strides that read an operand of `shape` as if it had `outShape` (0 where it is stretched).
    static func strides(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let offset = outShape.count - shape.count
        let own = Tensor.contiguousStrides(shape)
        return (0..<outShape.count).map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }

    /// Applies `f` elementwise over two broadcast operands.
    @inline(__always)
    static func zip<A, B, R>(_ a: [A], _ aShape: [Int], _ b: [B], _ bShape: [Int], _ outShape: [Int],
                             _ f: (A, B) -> R) -> [R] {
        if aShape == bShape {
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in makeArray(count: pa.count) { f(pa[$0], pb[$0]) } }
            }
        }
        let total = outShape.reduce(1, *)
        if b.count == 1 && a.count == total {
            let s = b[0]
            return mapped(a) { f($0, s) }
        }
        if a.count == 1 && b.count == total {
            let s = a[0]
            return mapped(b) { f(s, $0) }
        }
        let sa = strides(aShape, to: outShape), sb = strides(bShape, to: outShape)
        let n = outShape.count
        let inner = n == 0 ? 1 : outShape[n - 1]
        let ia = n == 0 ? 0 : sa[n - 1], ib = n == 0 ? 0 : sb[n - 1]
        var index = [Int](repeating: 0, count: max(n - 1, 0))
        return filledArray(count: total) { buffer in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    var o = 0, offA = 0, offB = 0
                    while o < total {
                        var pA = offA, pB = offB
                        for _ in 0..<inner {
                            (buffer + o).initialize(to: f(pa[pA], pb[pB]))
                            o += 1; pA += ia; pB += ib
                        }
                        // advance the outer multi-index
                        var d = n - 2
                        while d >= 0 {
                            index[d] += 1
                            offA += sa[d]; offB += sb[d]
                            if index[d] < outShape[d] { break }
                            offA -= sa[d] * outShape[d]; offB -= sb[d] * outShape[d]
                            index[d] = 0
                            d -= 1
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Sums `self` down to `shape` over the dimensions that broadcasting stretched (backward of broadcasting).
    func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let offset = shape.count - target.count
        var dims: [Int] = Array(0..<offset)
        for (i, size) in target.enumerated() where size == 1 && shape[i + offset] != 1 { dims.append(i + offset) }
        var result = self
        if !dims.isEmpty { result = result.sum(dims: dims, keepdim: true) }
        return result.count == target.reduce(1, *) ? result.reshapedData(target) : result
    }

    /// A new tensor with the same storage and another shape of the same element count (no graph).
    func reshapedData(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}
