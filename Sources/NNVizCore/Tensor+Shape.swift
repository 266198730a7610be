// MARK: - Layout

extension Tensor {
    /// A contiguous copy with dimensions reordered as `dims` (no graph).
    func permutedData(_ dims: [Int]) -> Tensor {
        let strides = Tensor.contiguousStrides(shape)
        let newShape = dims.map { shape[$0] }
        return Tensor(shape: newShape, storage: storage.strided(shape: newShape, strides: dims.map { strides[$0] }))
    }

    /// Marks `out` as a view of `self` (torchviz draws the base of a view output).
    func asView(_ out: Tensor, strides: [Int]? = nil) -> Tensor {
        out.viewBase = viewBase ?? self
        out.viewStrides = strides
        return out
    }
}

// MARK: - Transposes

extension Tensor {
    /// The transpose of a tensor of at most 2 dimensions (`TBackward0`).
    public func t() -> Tensor {
        precondition(ndim <= 2, "t() expects a tensor with <= 2 dimensions, but self is \(ndim)D")
        guard ndim == 2 else { return self }
        let (elements, transposed) = matrixOperand
        let newShape = [shape[1], shape[0]]
        let out = transposed ? Tensor(shape: newShape, storage: elements) : Tensor(shape: newShape, transposing: elements)
        _ = asView(out, strides: [strides[1], strides[0]])
        guard let context = Tensor.recording(self) else { return out }
        return out.attach(context, "TBackward0", self) { g in g.t() }
    }

    /// The transpose, as `x.T`.
    public var T: Tensor { ndim <= 2 ? t() : permute(Array((0..<ndim).reversed())) }

    /// Swaps two dimensions (`TransposeBackward0`).
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        let d0 = normalizedDim(dim0), d1 = normalizedDim(dim1)
        var dims = Array(0..<ndim)
        dims.swapAt(d0, d1)
        let out = permutedData(dims)
        _ = asView(out, strides: dims.map { strides[$0] })
        guard let context = Tensor.recording(self) else { return out }
        return out.attach(context, "TransposeBackward0", self, saved: [.attr("dim0", "\(d0)"), .attr("dim1", "\(d1)")]) { g in
            g.transpose(d0, d1)
        }
    }

    /// Reorders dimensions (`PermuteBackward0`).
    ///
    /// ```swift
    /// let nchw = nhwc.permute([0, 3, 1, 2])
    /// ```
    public func permute(_ dims: [Int]) -> Tensor {
        let ds = dims.map { normalizedDim($0) }
        precondition(ds.count == ndim && Set(ds).count == ndim,
                     "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(ndim) is not equal to len(dims) = \(dims.count)")
        let out = permutedData(ds)
        _ = asView(out, strides: ds.map { strides[$0] })
        guard let context = Tensor.recording(self) else { return out }
        var inverse = [Int](repeating: 0, count: ds.count)
        for (i, d) in ds.enumerated() { inverse[d] = i }
        return out.attach(context, "PermuteBackward0", self, saved: [.attr("dims", pyTuple(ds))]) { g in g.permute(inverse) }
    }
}

// MARK: - Views of the same elements

extension Tensor {
    /// Resolves one -1 in `shape` against the element count.
    func inferShape(_ newShape: [Int]) -> [Int] {
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        precondition(newShape.filter { $0 == -1 }.count <= 1, "only one dimension can be inferred")
        var result = newShape
        if let i = newShape.firstIndex(of: -1) {
            precondition(known != 0 && count % known == 0, "shape '\(shapeText(newShape))' is invalid for input of size \(count)")
            result[i] = count / known
        }
        precondition(result.reduce(1, *) == count && result.allSatisfy { $0 >= 0 },
                     "shape '\(shapeText(newShape))' is invalid for input of size \(count)")
        return result
    }

    /// The same elements in another shape (one dimension may be -1) (`ViewBackward0`).
    ///
    /// ```swift
    /// let flat = images.view([batch, -1])
    /// ```
    public func view(_ newShape: [Int]) -> Tensor {
        let target = inferShape(newShape)
        let out = asView(Tensor(shape: target, storage: storage))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "ViewBackward0", self, saved: [.shape("self_sym_sizes", original)]) { g in
            g.reshapedData(original)
        }
    }

    /// Like ``view(_:)``; on a non-contiguous tensor (a transpose) it copies first, as PyTorch does
    /// (`CloneBackward0` then `UnsafeViewBackward0`).
    public func reshape(_ newShape: [Int]) -> Tensor {
        if viewStrides == nil || viewStrides! == Tensor.contiguousStrides(shape) { return view(newShape) }
        return contiguous().unsafeView(inferShape(newShape))
    }

    /// A contiguous copy of a non-contiguous tensor (`CloneBackward0`); self when already contiguous.
    public func contiguous() -> Tensor {
        guard let strides = viewStrides, strides != Tensor.contiguousStrides(shape) else { return self }
        let out = Tensor(shape: shape, storage: storage)
        guard let context = Tensor.recording(self) else { return out }
        return out.attach(context, "CloneBackward0", self) { g in g }
    }

    /// A reshape PyTorch records as `UnsafeViewBackward0` (results of folded products, as `aten::linear`
    /// unfolds its N-D result).
    ///
    /// ```swift
    /// let y = addmm(bias, x.view([-1, 4]), w.t()).unsafeView([2, 3, 6])
    /// ```
    public func unsafeView(_ newShape: [Int]) -> Tensor {
        let out = Tensor(shape: newShape, storage: storage)
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "UnsafeViewBackward0", self, saved: [.shape("self_sym_sizes", original)]) { g in
            g.reshapedData(original)
        }
    }

    /// Flattens dimensions `startDim...endDim` into one, like `torch.flatten`.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if ndim == 0 { return reshape([1]) }
        let s = normalizedDim(startDim), e = normalizedDim(endDim)
        if s == e { return self }
        let merged = shape[s...e].reduce(1, *)
        return reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Removes dimensions of size 1: all of them (`SqueezeBackward0`) or just `dim` (`SqueezeBackward1`).
    public func squeeze(_ dim: Int? = nil) -> Tensor { squeeze(dim, nodeName: nil) }

    func squeeze(_ dim: Int?, nodeName: String?) -> Tensor {
        let original = shape
        let newShape: [Int]
        let name: String
        var saved: [SavedValue] = []
        if let dim {
            let d = normalizedDim(dim)
            newShape = ndim > 0 && shape[d] == 1 ? Array(shape[..<d] + shape[(d + 1)...]) : shape
            name = nodeName ?? "SqueezeBackward1"
            saved = [.attr("dim", "\(d)"), .shape("self_sym_sizes", original)]
        } else {
            newShape = shape.filter { $0 != 1 }
            name = "SqueezeBackward0"
            saved = [.shape("self_sym_sizes", original)]
        }
        let out = asView(Tensor(shape: newShape, storage: storage))
        guard let context = Tensor.recording(self) else { return out }
        return out.attach(context, name, self, saved: saved) { g in g.reshapedData(original) }
    }

    /// Inserts a dimension of size 1 at `dim` (`UnsqueezeBackward0`).
    public func unsqueeze(_ dim: Int) -> Tensor {
        let d = normalizedDim(dim, extra: 1)
        var newShape = shape
        newShape.insert(1, at: d)
        let out = asView(Tensor(shape: newShape, storage: storage))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "UnsqueezeBackward0", self, saved: [.attr("dim", "\(d)")]) { g in g.reshapedData(original) }
    }

    /// Broadcasts to a larger shape (`ExpandBackward0`); -1 keeps a dimension.
    public func expand(_ newShape: [Int]) -> Tensor { expand(newShape, always: false) }

    /// `always`: record the node even when nothing is stretched (PyTorch's matmul does).
    func expand(_ newShape: [Int], always: Bool) -> Tensor {
        let offset = newShape.count - ndim
        precondition(offset >= 0, "expand: the number of sizes provided (\(newShape.count)) must be greater or equal to the number of dimensions in the tensor (\(ndim))")
        let target = newShape.enumerated().map { i, s in s == -1 && i >= offset ? shape[i - offset] : s }
        if target == shape && !always { return self }
        for i in 0..<ndim where shape[i] != 1 && shape[i] != target[i + offset] {
            preconditionFailure("The expanded size of the tensor (\(target[i + offset])) must match the existing size (\(shape[i])) at non-singleton dimension \(i + offset).  Target sizes: \(shapeText(newShape)).  Tensor sizes: \(shapeText(shape))")
        }
        let out = asView(Tensor(shape: target, storage: storage.strided(shape: target, strides: Broadcast.strides(shape, to: target))))
        guard let context = Tensor.recording(self) else { return out }
        let original = shape
        return out.attach(context, "ExpandBackward0", self, saved: [.shape("self_sym_sizes", original)]) { g in g.sumTo(original) }
    }
}

// MARK: - Joining

extension Tensor {
    /// Concatenates tensors along `dim` (`CatBackward0`).
    ///
    /// ```swift
    /// let both = Tensor.cat([a, b], dim: 0)
    /// ```
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "torch.cat(): expected a non-empty list of Tensors")
        let first = tensors[0]
        let d = first.normalizedDim(dim)
        for (i, t) in tensors.enumerated() {
            precondition(t.ndim == first.ndim, "Tensors must have same number of dimensions: got \(first.ndim) and \(t.ndim)")
            for j in 0..<first.ndim where j != d && t.shape[j] != first.shape[j] {
                preconditionFailure("Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[j]) but got size \(t.shape[j]) for tensor number \(i) in the list.")
            }
        }
        let dtype = tensors.map(\.dtype).reduce(first.dtype, DType.promote)
        let outer = first.shape[..<d].reduce(1, *)
        let inner = first.shape[(d + 1)...].reduce(1, *)
        var values: [Double] = []
        var floats: [Float] = []
        let sizes = tensors.map { $0.shape[d] }
        let parts = tensors.map { $0.storage.converted(to: dtype) }
        values.reserveCapacity(dtype == .float32 ? 0 : tensors.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for (t, part) in parts.enumerated() {
                let chunk = sizes[t] * inner
                if case .float32(let a) = part { floats.append(contentsOf: a[(o * chunk)..<((o + 1) * chunk)]) }
                else { for i in (o * chunk)..<((o + 1) * chunk) { values.append(part.double(at: i)) } }
            }
        }
        var shape = first.shape
        shape[d] = sizes.reduce(0, +)
        let out = Tensor(shape: shape, storage: dtype == .float32 ? .float32(floats) : Storage.fromDoubles(values, dtype))
        guard let context = recording(tensors) else { return out }
        return out.attach(context, "CatBackward0", tensors, saved: [.attr("dim", "\(d)")]) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.narrow(d, start, size)
            }
        }
    }

    /// Stacks same-shaped tensors along a new dimension `dim` (`StackBackward0`).
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack expects a non-empty TensorList")
        for (i, t) in tensors.enumerated() where t.shape != tensors[0].shape {
            preconditionFailure("stack expects each tensor to be equal size, but got \(shapeText(tensors[0].shape)) at entry 0 and \(shapeText(t.shape)) at entry \(i)")
        }
        let d = tensors[0].normalizedDim(dim, extra: 1)
        let parts = noGrad { tensors.map { $0.unsqueeze(d) } }
        let out = noGrad { cat(parts, dim: d) }
        guard let context = recording(tensors) else { return out }
        return out.attach(context, "StackBackward0", tensors, saved: [.attr("dim", "\(d)")]) { g in
            (0..<tensors.count).map { i in g.narrow(d, i, 1).squeeze(d) }
        }
    }

    /// Elements `start..<start+length` of dimension `dim` (`SliceBackward0`).
    public func narrow(_ dim: Int, _ start: Int, _ length: Int) -> Tensor {
        slice(dim, start, start + length, 1)
    }
}
