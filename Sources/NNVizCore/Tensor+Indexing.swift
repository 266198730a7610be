// MARK: - Index expressions

/// One entry of a subscript: an integer, a range, or `.all` (PyTorch's `:`).
///
/// ```swift
/// x[0]            // first row
/// x[0, 2]         // one element
/// x[.all, 0]      // first column
/// x[1..<3, 0]     // rows 1 and 2 of column 0
/// ```
public enum TensorIndex {
    case at(Int)
    case range(Int?, Int?, step: Int)
    case all
}

/// Values that can stand in a tensor subscript.
public protocol TensorIndexConvertible {
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible { public var tensorIndex: TensorIndex { self } }
extension Int: TensorIndexConvertible { public var tensorIndex: TensorIndex { .at(self) } }
extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound, step: 1) }
}
extension ClosedRange: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound + 1, step: 1) }
}
extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lowerBound, nil, step: 1) }
}
extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(nil, upperBound, step: 1) }
}
extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(nil, upperBound + 1, step: 1) }
}

// MARK: - Select and slice

extension Tensor {
    /// Flat source positions of the sub-tensor picking `picks[d]` along every dimension d.
    static func pickIndices(_ shape: [Int], _ picks: [[Int]]) -> [Int] {
        let strides = contiguousStrides(shape)
        var result = [0]
        for d in 0..<shape.count {
            var next: [Int] = []
            next.reserveCapacity(result.count * picks[d].count)
            for base in result { for p in picks[d] { next.append(base + p * strides[d]) } }
            result = next
        }
        return result
    }

    /// Scatters `g` into zeros of `shape` at flat `positions` (adding repeats): backward of every gather.
    static func scatter(_ g: Tensor, into shape: [Int], at positions: [Int]) -> Tensor {
        let total = shape.reduce(1, *)
        switch g.storage {
        case .float32(let v):
            var out = [Float](repeating: 0, count: total)
            for (i, p) in positions.enumerated() { out[p] += v[i] }
            return Tensor(shape: shape, storage: .float32(out))
        default:
            var out = [Double](repeating: 0, count: total)
            for (i, p) in positions.enumerated() { out[p] += g.storage.double(at: i) }
            return Tensor(shape: shape, storage: Storage.fromDoubles(out, g.dtype))
        }
    }

    /// Index `index` of dimension `dim`, removing that dimension (`SelectBackward0`).
    public func select(_ dim: Int, _ index: Int) -> Tensor {
        let d = normalizedDim(dim)
        let size = shape[d]
        precondition(index >= -size && index < size,
                     "index \(index) is out of bounds for dimension \(d) with size \(size)")
        let i = index < 0 ? index + size : index
        var newShape = shape, viewStrides = Tensor.contiguousStrides(shape)
        let offset = i * viewStrides[d]
        newShape.remove(at: d)
        viewStrides.remove(at: d)
        let out = asView(Tensor(shape: newShape, storage: storage.strided(offset: offset, shape: newShape, strides: viewStrides)))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape, total = count
        return out.attach(context, "SelectBackward0", self,
                          saved: [.attr("dim", "\(d)"), .attr("index", "\(i)"), .shape("self_sym_sizes", original)]) { g in
            Tensor(shape: original,
                   storage: g.storage.embedded(inZerosOf: total, offset: offset, shape: newShape, strides: viewStrides))
        }
    }

    /// Elements `start..<end` by `step` of dimension `dim` (`SliceBackward0`); bounds clamp as Python's do.
    public func slice(_ dim: Int, _ start: Int?, _ end: Int?, _ step: Int = 1) -> Tensor {
        precondition(step > 0, "slice step must be positive")
        let d = normalizedDim(dim)
        let size = shape[d]
        func clampIndex(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += size }
            return Swift.min(Swift.max(v, 0), size)
        }
        let s = clampIndex(start, 0), e = Swift.max(clampIndex(end, size), clampIndex(start, 0))
        var newShape = shape, viewStrides = Tensor.contiguousStrides(shape)
        let offset = s * viewStrides[d]
        newShape[d] = (e - s + step - 1) / step
        viewStrides[d] *= step
        let out = asView(Tensor(shape: newShape, storage: storage.strided(offset: offset, shape: newShape, strides: viewStrides)))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape, total = count
        return out.attach(context, "SliceBackward0", self,
                          saved: [.attr("dim", "\(d)"), .attr("end", end.map { "\($0)" } ?? "9223372036854775807"),
                                  .shape("self_sym_sizes", original), .attr("start", "\(s)"), .attr("step", "\(step)")]) { g in
            Tensor(shape: original,
                   storage: g.storage.embedded(inZerosOf: total, offset: offset, shape: newShape, strides: viewStrides))
        }
    }

    /// The sub-tensor an index expression names: integers select (dropping the dimension), ranges slice,
    /// `.all` keeps a dimension whole. Assigning writes into this tensor in place.
    ///
    /// ```swift
    /// let row = x[0]
    /// x[.all, 1] = Tensor(0.0)
    /// ```
    public subscript(_ indices: TensorIndexConvertible...) -> Tensor {
        get { index(indices.map(\.tensorIndex)) }
        set { assign(newValue, at: indices.map(\.tensorIndex)) }
    }

    func index(_ indices: [TensorIndex]) -> Tensor {
        precondition(indices.count <= ndim, "too many indices for tensor of dimension \(ndim)")
        var result = self
        var dim = 0
        for entry in indices {
            switch entry {
            case .at(let i): result = result.select(dim, i)
            case .all: dim += 1
            case let .range(s, e, step):
                if !(s == nil && e == nil && step == 1) { result = result.slice(dim, s, e, step) }
                dim += 1
            }
        }
        return result
    }

    /// Flat positions of the elements an index expression names (for assignment).
    func positions(_ indices: [TensorIndex]) -> (shape: [Int], positions: [Int]) {
        precondition(indices.count <= ndim, "too many indices for tensor of dimension \(ndim)")
        var picks = shape.map { Array(0..<$0) }
        var kept: [Int] = []
        for (d, entry) in indices.enumerated() {
            switch entry {
            case .at(let i):
                precondition(i >= -shape[d] && i < shape[d], "index \(i) is out of bounds for dimension \(d) with size \(shape[d])")
                picks[d] = [i < 0 ? i + shape[d] : i]
            case .all: kept.append(shape[d])
            case let .range(s, e, step):
                let size = shape[d]
                func c(_ v: Int?, _ f: Int) -> Int { guard var v else { return f }; if v < 0 { v += size }; return Swift.min(Swift.max(v, 0), size) }
                picks[d] = Array(stride(from: c(s, 0), to: Swift.max(c(e, size), c(s, 0)), by: step))
                kept.append(picks[d].count)
            }
        }
        kept += shape[indices.count...]
        return (kept, Tensor.pickIndices(shape, picks))
    }

    func assign(_ value: Tensor, at indices: [TensorIndex]) {
        let (targetShape, positions) = self.positions(indices)
        guard let b = Broadcast.shape(targetShape, value.shape), b == targetShape else {
            preconditionFailure("shape mismatch: value tensor of shape \(shapeText(value.shape)) cannot be broadcast to indexing result of shape \(shapeText(targetShape))")
        }
        let expanded = noGrad { value.expand(targetShape).to(dtype) }
        write(expanded.storage, at: positions, node: "CopySlices", saved: [], source: value)
    }

    /// Writes `values` at flat `positions`, recording the write when this tensor is in a graph.
    func write(_ values: Storage, at positions: [Int], node: String, saved: [SavedValue], source: Tensor?) {
        checkInPlace()
        var data = storage.doubles
        let float32 = dtype == .float32
        if float32, case .float32(var f) = storage, case .float32(let v) = values {
            for (i, p) in positions.enumerated() { f[p] = v[i] }
            storage = .float32(f)
        } else {
            for (i, p) in positions.enumerated() { data[p] = values.double(at: i) }
            storage = Storage.fromDoubles(data, dtype)
        }
        let sourceNeedsGrad = source?.requiresGrad ?? false
        guard requiresGrad || sourceNeedsGrad, let context = GraphContext.recordingContext else { return }
        let previous = Tensor(shape: shape, storage: storage, gradFn: gradFn)
        let sourceShape = source?.shape ?? []
        let written = Set(positions)
        let keepMask = Tensor(shape: shape, storage: .float32((0..<count).map { written.contains($0) ? 0 : 1 }))
        let inputs = sourceNeedsGrad ? [previous, source!] : [previous]
        let out = Tensor(shape: shape, storage: storage)
        out.attach(context, node, inputs, saved: saved) { g in
            var grads: [Tensor?] = [g * keepMask]
            if sourceNeedsGrad {
                let picked = Tensor(shape: [positions.count], storage: g.storage.gather(positions))
                let n = sourceShape.reduce(1, *)
                grads.append(n == picked.count ? picked.reshapedData(sourceShape) : picked.sum().reshapedData(sourceShape))
            }
            return grads
        }
        gradFn = out.gradFn
    }
}

// MARK: - Masks

extension Tensor {
    /// Elements where `mask` is true, as a 1-D tensor (`IndexBackward0`); assigning fills them in place.
    ///
    /// ```swift
    /// x[x > 300] = Tensor(2.0)
    /// ```
    public subscript(mask mask: Tensor) -> Tensor {
        get { maskedSelect(mask) }
        set { maskedAssign(mask, newValue) }
    }

    func maskPositions(_ mask: Tensor) -> [Int] {
        precondition(mask.dtype == .bool, "indexing with a mask needs a bool tensor, got \(mask.dtype.scalarTypeName)")
        guard let b = Broadcast.shape(shape, mask.shape), b == shape else {
            preconditionFailure("The shape of the mask \(shapeText(mask.shape)) does not match the shape of the indexed tensor \(shapeText(shape))")
        }
        let m = mask.shape == shape ? mask : noGrad { mask.expand(shape) }
        guard case .bool(let flags) = m.storage else { return [] }
        return flags.indices.filter { flags[$0] }
    }

    /// The elements where `mask` holds, flattened (`IndexBackward0`).
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        let positions = maskPositions(mask)
        let out = Tensor(shape: [positions.count], storage: storage.gather(positions))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "IndexBackward0", self,
                          saved: [SavedValue("indices", .tensors(shapes: [mask.shape]), dtype: mask.dtype), .shape("self_sym_sizes", original)]) { g in
            Tensor.scatter(g, into: original, at: positions)
        }
    }

    /// Sets the elements where `mask` holds to `value` (a one-element tensor, or one per selected element).
    public func maskedAssign(_ mask: Tensor, _ value: Tensor) {
        let positions = maskPositions(mask)
        let values: Storage
        if value.count == 1 {
            values = Storage.filled(value.item(), positions.count, dtype)
        } else {
            precondition(value.count == positions.count,
                         "shape mismatch: value tensor of shape \(shapeText(value.shape)) cannot be broadcast to indexing result of shape [\(positions.count)]")
            values = value.storage.converted(to: dtype)
        }
        if value.count == 1 && !value.requiresGrad {
            write(values, at: positions, node: "MaskedFillBackward0", saved: [.tensor("mask", mask)], source: nil)
        } else {
            write(values, at: positions, node: "IndexPutBackward0",
                  saved: [SavedValue("indices", .tensors(shapes: [mask.shape]), dtype: mask.dtype)], source: value.requiresGrad ? value : nil)
        }
    }

    /// Sets the elements where `mask` holds to a number, in place (`MaskedFillBackward0` in a graph).
    ///
    /// ```swift
    /// x.maskedFill_(x > 300, 2)
    /// ```
    public func maskedFill_(_ mask: Tensor, _ value: Double) {
        let positions = maskPositions(mask)
        write(Storage.filled(value, positions.count, dtype), at: positions, node: "MaskedFillBackward0",
              saved: [.tensor("mask", mask)], source: nil)
    }

    /// A copy with the elements where `mask` holds set to `value` (`MaskedFillBackward0`).
    public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
        let positions = maskPositions(mask)
        var values = storage.doubles
        for p in positions { values[p] = value }
        let out = Tensor(shape: shape, storage: Storage.fromDoubles(values, dtype))
        guard let context = Tensor.recording(self) else { return out }
        let keep = Tensor(shape: shape, storage: .float32((0..<count).map { Set(positions).contains($0) ? 0 : 1 }))
        return out.attach(context, "MaskedFillBackward0", self, saved: [.tensor("mask", mask)]) { g in g * keep }
    }
}
