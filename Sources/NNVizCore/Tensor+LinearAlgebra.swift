import NNVizSupport


// MARK: - Checks

extension Tensor {
    /// Why `a.mm(b)` cannot run, or nil when it can.
    static func mmProblem(_ a: Tensor, _ b: Tensor) -> TensorError? {
        if a.ndim != 2 { return TensorError("self must be a matrix") }
        if b.ndim != 2 { return TensorError("mat2 must be a matrix") }
        if a.dtype != b.dtype {
            return TensorError("mat1 and mat2 must have the same dtype, but got \(a.dtype.scalarTypeName) and \(b.dtype.scalarTypeName)")
        }
        if a.shape[1] != b.shape[0] {
            return TensorError("mat1 and mat2 shapes cannot be multiplied (\(a.shape[0])x\(a.shape[1]) and \(b.shape[0])x\(b.shape[1]))")
        }
        return nil
    }

    /// Throws the error `matmul(a, b)` would stop with (dtype or shape mismatch).
    public static func checkMatmul(_ a: Tensor, _ b: Tensor) throws {
        if a.dtype != b.dtype {
            throw TensorError("mat1 and mat2 must have the same dtype, but got \(a.dtype.scalarTypeName) and \(b.dtype.scalarTypeName)")
        }
        precondition(a.ndim >= 1 && b.ndim >= 1, "both arguments to matmul need to be at least 1D")
        let k1 = a.shape[a.ndim - 1], k2 = b.ndim == 1 ? b.shape[0] : b.shape[b.ndim - 2]
        if k1 != k2 {
            let rows = a.count / Swift.max(k1, 1)
            if b.ndim == 1 {
                throw TensorError("size mismatch, got input (\(rows)), mat (\(rows)x\(k1)), vec (\(k2))")
            }
            throw TensorError("mat1 and mat2 shapes cannot be multiplied (\(rows)x\(k1) and \(k2)x\(b.shape[b.ndim - 1]))")
        }
    }
}

// MARK: - Kernels

extension Storage {
    /// `op(A) · op(B)` for row-major A (m×k after op) and B (k×n after op), through BLAS for floats.
    static func gemm(_ a: Storage, _ b: Storage, m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
                     accumulate c0: consuming Storage? = nil) -> Storage {
        let lda = transA ? m : k, ldb = transB ? k : n
        let c0 = consume c0  // owned here, so BLAS writes into it without a copy when nothing else holds it
        switch (a, b) {
        case let (.float32(x), .float32(y)):
            if case .float32(let c)? = consume c0 {
                return .float32(product(x, y, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb,
                                        accumulate: c))
            }
            return .float32(product(x, y, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb,
                                    accumulate: nil))
        case let (.float64(x), .float64(y)):
            if case .float64(let c)? = consume c0 {
                return .float64(product(x, y, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb,
                                        accumulate: c))
            }
            return .float64(product(x, y, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb,
                                    accumulate: nil))
        case let (.int64(x), .int64(y)):
            var c: [Int64]
            if case .int64(let c0)? = c0 { c = c0 } else { c = [Int64](repeating: 0, count: m * n) }
            for i in 0..<m {
                for p in 0..<k {
                    let av = transA ? x[p * m + i] : x[i * k + p]
                    for j in 0..<n { c[i * n + j] &+= av &* (transB ? y[j * k + p] : y[p * n + j]) }
                }
            }
            return .int64(c)
        default:
            preconditionFailure("expected m1 and m2 to have the same dtype, but got: \(a.dtype.scalarTypeName) != \(b.dtype.scalarTypeName)")
        }
    }
}

/// The element types BLAS multiplies, with ``BLAS/gemm(transA:transB:m:n:k:a:lda:b:ldb:beta:c:ldc:)`` by type.
package protocol BLASElement: BinaryFloatingPoint {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: BLASElement {
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

extension Double: BLASElement {
    package static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                     b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

extension Storage {
    /// `op(x)·op(y)` as a new array, or added onto `c0` when given (written in place when nothing else holds it).
    fileprivate static func product<T: BLASElement>(_ x: [T], _ y: [T], m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                                                     lda: Int, ldb: Int, accumulate c0: consuming [T]?) -> [T] {
        let run = m > 0 && n > 0 && k > 0
        if var c = consume c0 {
            if run {
                T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: x, lda: lda, b: y, ldb: ldb, beta: 1, c: &c, ldc: n)
            }
            return c
        }
        guard run else { return [T](repeating: 0, count: m * n) }
        return [T](unsafeUninitializedCapacity: m * n) { c, initialized in  // beta 0: BLAS writes every element
            T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: x, lda: lda, b: y, ldb: ldb, beta: 0,
                   c: c.baseAddress!, ldc: n)
            initialized = m * n
        }
    }
}

// MARK: - Products of tensors

extension Tensor {
    /// `op(a) · op(b)` for 2-D tensors, `op(a)` being m×k and `op(b)` k×n. A pending transpose (the
    /// result of `t()`) is read in place, its transpose folded into the BLAS call.
    static func product(_ a: Tensor, transA: Bool = false, _ b: Tensor, transB: Bool = false, m: Int, n: Int, k: Int,
                        accumulate c0: consuming Storage? = nil) -> Storage {
        let (x, xTransposed) = a.matrixOperand, (y, yTransposed) = b.matrixOperand
        return Storage.gemm(x, y, m: m, n: n, k: k, transA: transA != xTransposed, transB: transB != yTransposed,
                            accumulate: consume c0)
    }

    /// The gradient of the right factor (k×n) of `left · right` (m×k · k×n): `leftᵀ · g`. When the right
    /// factor was a pending transpose (a weight's `t()`), the gradient is computed as `(gᵀ · left)ᵀ`,
    /// itself a pending transpose, so `TBackward0` hands it on without copying.
    static func productGradient(rightTransposed: Bool, left: Tensor, _ g: Tensor, m: Int, n: Int, k: Int) -> Tensor {
        if rightTransposed {
            return Tensor(shape: [k, n], transposing: product(g, transA: true, left, m: n, n: k, k: m))
        }
        return Tensor(shape: [k, n], storage: product(left, transA: true, g, m: k, n: n, k: m))
    }
}

// MARK: - Ops

extension Tensor {
    /// Matrix product of two 2-D tensors (`MmBackward0`).
    ///
    /// ```swift
    /// let c = a.mm(b)    // (n×k)·(k×m) → n×m; a shape or dtype mismatch stops with PyTorch's message
    /// ```
    public func mm(_ other: Tensor) -> Tensor {
        if let problem = Tensor.mmProblem(self, other) { preconditionFailure(problem.description) }
        let m = shape[0], k = shape[1], n = other.shape[1]
        let out = Tensor(shape: [m, n], storage: Tensor.product(self, other, m: m, n: n, k: k))
        guard let context = Tensor.recording(self, other) else { return out }
        let needA = requiresGrad, needB = other.requiresGrad
        let a = needB ? detach() : nil, b = needA ? other.detach() : nil
        let rightTransposed = other.matrixOperand.transposed
        let saved: [SavedValue] = [
            needA ? .tensor("mat2", other) : .attr("mat2", "None"),
            .shape("mat2_sym_sizes", other.shape),
            needB ? .shape("mat2_sym_strides", other.strides) : .attr("mat2_sym_strides", "()"),
            needB ? .tensor("self", self) : .attr("self", "None"),
            .shape("self_sym_sizes", shape),
            needA ? .shape("self_sym_strides", strides) : .attr("self_sym_strides", "()"),
        ]
        return out.attach(context, "MmBackward0", self, other, saved: saved) { g in
            (b.map { Tensor(shape: [m, k], storage: Tensor.product(g, $0, transB: true, m: m, n: k, k: n)) },
             a.map { Tensor.productGradient(rightTransposed: rightTransposed, left: $0, g, m: m, n: n, k: k) })
        }
    }

    /// `bias + mat1 · mat2` with `bias` broadcast over rows (`AddmmBackward0`), as `nn.Linear` computes.
    ///
    /// ```swift
    /// let y = addmm(fc.bias, x, fc.weight.t())
    /// ```
    public static func addmm(_ bias: Tensor, _ mat1: Tensor, _ mat2: Tensor) -> Tensor {
        if let problem = mmProblem(mat1, mat2) { preconditionFailure(problem.description) }
        if bias.dtype != mat1.dtype {
            preconditionFailure("self and mat2 must have the same dtype, but got \(bias.dtype.scalarTypeName) and \(mat2.dtype.scalarTypeName)")
        }
        let m = mat1.shape[0], k = mat1.shape[1], n = mat2.shape[1]
        guard let bshape = Broadcast.shape(bias.shape, [m, n]), bshape == [m, n] else {
            preconditionFailure("The expanded size of the tensor (\(n)) must match the existing size (\(bias.shape.last ?? 0)) at non-singleton dimension 1.  Target sizes: [\(m), \(n)].  Tensor sizes: \(shapeText(bias.shape))")
        }
        let c0 = bias.shape == [m, n] ? bias.storage
            : bias.storage.strided(shape: [m, n], strides: Broadcast.strides(bias.shape, to: [m, n]))
        let out = Tensor(shape: [m, n], storage: product(mat1, mat2, m: m, n: n, k: k, accumulate: consume c0))
        guard let context = recording([bias, mat1, mat2]) else { return out }
        let need1 = mat1.requiresGrad, need2 = mat2.requiresGrad, needBias = bias.requiresGrad
        let a = need2 ? mat1.detach() : nil, b = need1 ? mat2.detach() : nil
        let rightTransposed = mat2.matrixOperand.transposed, biasShape = bias.shape
        let saved: [SavedValue] = [
            .attr("alpha", "1"), .attr("beta", "1"),
            need2 ? .tensor("mat1", mat1) : .attr("mat1", "None"),
            .shape("mat1_sym_sizes", mat1.shape),
            need1 ? .shape("mat1_sym_strides", mat1.strides) : .attr("mat1_sym_strides", "()"),
            need1 ? .tensor("mat2", mat2) : .attr("mat2", "None"),
            .shape("mat2_sym_sizes", mat2.shape),
            need2 ? .shape("mat2_sym_strides", mat2.strides) : .attr("mat2_sym_strides", "()"),
        ]
        return out.attach(context, "AddmmBackward0", [bias, mat1, mat2], saved: saved) { g in
            [needBias ? g.sumTo(biasShape) : nil,
             b.map { Tensor(shape: [m, k], storage: product(g, $0, transB: true, m: m, n: k, k: n)) },
             a.map { productGradient(rightTransposed: rightTransposed, left: $0, g, m: m, n: n, k: k) }]
        }
    }

    /// Matrix product with PyTorch's `matmul` rules: 1-D·1-D dot (`DotBackward0`), 2-D·1-D (`MvBackward0`),
    /// 1-D·2-D, 2-D·2-D (`MmBackward0`), N-D·2-D folded into one product, and batched N-D·N-D (`BmmBackward0`).
    ///
    /// ```swift
    /// let y = x.matmul(w)      // or x ⊗ w as matmul(x, w)
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        do { try Tensor.checkMatmul(self, other) } catch { preconditionFailure("\(error)") }
        switch (ndim, other.ndim) {
        case (1, 1): return dot(other)
        case (2, 1): return mv(other)
        case (1, 2): return unsqueeze(0).mm(other).squeeze(0, nodeName: "SqueezeBackward4")
        case (2, 2): return mm(other)
        case (_, 1): return matmul(other.unsqueeze(1)).squeeze(-1)
        case (_, 2):
            let k = shape[ndim - 1]
            let folded = reshape([-1, k]).mm(other)
            return folded.unsafeView(Array(shape.dropLast()) + [other.shape[1]])
        default:
            return batchedMatmul(other)
        }
    }

    /// Dot product of two 1-D tensors (`DotBackward0`).
    public func dot(_ other: Tensor) -> Tensor {
        precondition(ndim == 1 && other.ndim == 1 && count == other.count,
                     "inconsistent tensor size, expected tensor [\(count)] and src [\(other.count)] to have the same number of elements, but got \(count) and \(other.count) elements respectively")
        let out = (self.detach() * other.detach()).sum().detach()
        guard let context = Tensor.recording(self, other) else { return out }
        let a = detach(), b = other.detach()
        return out.attach(context, "DotBackward0", self, other, saved: [.tensor("other", other), .tensor("self", self)]) { g in
            (g * b, g * a)
        }
    }

    /// Matrix–vector product (`MvBackward0`).
    public func mv(_ vector: Tensor) -> Tensor {
        let m = shape[0], k = shape[1]
        let out = Tensor(shape: [m], storage: Tensor.product(self, vector, m: m, n: 1, k: k))
        guard let context = Tensor.recording(self, vector) else { return out }
        let a = detach(), v = vector.detach()
        return out.attach(context, "MvBackward0", self, vector, saved: [.tensor("self", self), .tensor("vec", vector)]) { g in
            (Tensor(shape: [m, k], storage: Storage.gemm(g.storage, v.storage, m: m, n: k, k: 1)),
             Tensor(shape: [k], storage: Tensor.product(a, transA: true, g, m: k, n: 1, k: m)))
        }
    }

    /// Batched product over leading dimensions (broadcast), via `BmmBackward0` on 3-D folds.
    private func batchedMatmul(_ other: Tensor) -> Tensor {
        let a = ndim == 1 ? unsqueeze(0) : self
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        guard let batch = Broadcast.shape(batchA, batchB) else { preconditionFailure(Tensor.broadcastMessage(batchA, batchB)) }
        let n = a.shape[a.ndim - 2], k = a.shape[a.ndim - 1], m = other.shape[other.ndim - 1]
        let count = batch.reduce(1, *)
        let a3 = a.expand(batch + [n, k], always: true).reshape([count, n, k])
        let b3 = other.expand(batch + [k, m], always: true).reshape([count, k, m])
        return a3.bmm(b3).unsafeView(batch + [n, m])
    }

    /// Batched matrix product of two 3-D tensors (`BmmBackward0`).
    public func bmm(_ other: Tensor) -> Tensor {
        precondition(ndim == 3 && other.ndim == 3, "batch1 must be a 3D tensor")
        precondition(shape[0] == other.shape[0] && shape[2] == other.shape[1],
                     "Expected size for first two dimensions of batch2 tensor to be: [\(shape[0]), \(shape[2])] but got: [\(other.shape[0]), \(other.shape[1])].")
        let b = shape[0], n = shape[1], k = shape[2], m = other.shape[2]
        func product(_ x: Storage, _ y: Storage, n: Int, m: Int, k: Int, transA: Bool = false, transB: Bool = false) -> Storage {
            switch (x, y) {
            case let (.float32(x), .float32(y)):
                return .float32(Storage.batchedProduct(x, y, batch: b, m: n, n: m, k: k, transA: transA, transB: transB))
            case let (.float64(x), .float64(y)):
                return .float64(Storage.batchedProduct(x, y, batch: b, m: n, n: m, k: k, transA: transA, transB: transB))
            default:
                break
            }
            let xs = n * k, ys = k * m
            var parts: [Double] = []
            var floats: [Float] = []
            for i in 0..<b {
                let xi = x.slice(i * xs, xs), yi = y.slice(i * ys, ys)
                switch Storage.gemm(xi, yi, m: n, n: m, k: k, transA: transA, transB: transB) {
                case .float32(let c): floats += c
                case let other: parts += other.doubles
                }
            }
            return x.dtype == .float32 ? .float32(floats) : Storage.fromDoubles(parts, x.dtype)
        }
        let out = Tensor(shape: [b, n, m], storage: product(storage, other.storage, n: n, m: m, k: k))
        guard let context = Tensor.recording(self, other) else { return out }
        let x = detach(), y = other.detach()
        return out.attach(context, "BmmBackward0", self, other, saved: [.tensor("mat2", other), .tensor("self", self)]) { g in
            (Tensor(shape: [b, n, k], storage: product(g.storage, y.storage, n: n, m: k, k: m, transB: true)),
             Tensor(shape: [b, k, m], storage: product(x.storage, g.storage, n: k, m: m, k: n, transA: true)))
        }
    }
}

/// `bias + mat1 · mat2`, like `torch.addmm`.
public func addmm(_ bias: Tensor, _ mat1: Tensor, _ mat2: Tensor) -> Tensor { Tensor.addmm(bias, mat1, mat2) }
/// Matrix product with PyTorch's broadcasting rules, like `torch.matmul`.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor { a.matmul(b) }

extension Storage {
    /// `batch` products `op(x_i)·op(y_i)` of consecutive m×k and k×n matrices (before `op`), the batch
    /// split over threads, each product written straight into its slice of the result.
    fileprivate static func batchedProduct<T: BLASElement>(_ x: [T], _ y: [T], batch: Int, m: Int, n: Int, k: Int,
                                                            transA: Bool, transB: Bool) -> [T] {
        let count = batch * m * n
        guard k > 0 else { return [T](repeating: 0, count: count) }
        return [T](unsafeUninitializedCapacity: count) { c, initialized in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    Parallel.forEachPart(batch, cost: Parallel.multiplyAdds(m * n * k)) { _, items in
                        for i in items {
                            T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: x.baseAddress! + i * m * k,
                                   lda: transA ? m : k, b: y.baseAddress! + i * k * n, ldb: transB ? k : n, beta: 0,
                                   c: c.baseAddress! + i * m * n, ldc: n)
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// `count` elements starting at `start`.
    func slice(_ start: Int, _ count: Int) -> Storage {
        switch self {
        case .float32(let a): return .float32(Array(a[start..<(start + count)]))
        case .float64(let a): return .float64(Array(a[start..<(start + count)]))
        case .int64(let a): return .int64(Array(a[start..<(start + count)]))
        case .bool(let a): return .bool(Array(a[start..<(start + count)]))
        }
    }
}
