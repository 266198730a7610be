import NNVizCore
import NNVizSupport

// Normalising activations over one dimension, as methods on Tensor.

// MARK: - Functions

extension Tensor {
    /// `eˣ / Σ eˣ` along `dim` (negative counts from the end), like `torch.softmax`
    /// (`SoftmaxBackward0`, saving `dim` as given and the result).
    ///
    /// ```swift
    /// Tensor([[1.0, 2.0, 3.0]]).softmax(dim: 1)   // tensor([[0.0900, 0.2447, 0.6652]])
    /// ```
    public func softmax(dim: Int) -> Tensor {
        normalized(dim: dim, logarithm: false)
    }

    /// `x − log Σ eˣ` along `dim`, like `torch.log_softmax` (`LogSoftmaxBackward0`): the stable way to get
    /// log-probabilities for ``nllLoss(_:_:weight:ignoreIndex:reduction:)``.
    ///
    /// ```swift
    /// Tensor([[1.0, 2.0, 3.0]]).logSoftmax(dim: 1)   // tensor([[-2.4076, -1.4076, -0.4076]])
    /// ```
    public func logSoftmax(dim: Int) -> Tensor {
        normalized(dim: dim, logarithm: true)
    }

    /// `softmax(−x)` along `dim`, like `F.softmin`: PyTorch records `SoftmaxBackward0` of `NegBackward0`.
    ///
    /// ```swift
    /// Tensor([[1.0, 2.0, 3.0]]).softmin(dim: 1)   // tensor([[0.6652, 0.2447, 0.0900]])
    /// ```
    public func softmin(dim: Int) -> Tensor {
        (-self).softmax(dim: dim)
    }

    /// Softmax whose rows of all −∞ give zeros instead of NaN, as PyTorch's `_safe_softmax`
    /// (`SafeSoftmaxBackward0`), which scaled-dot-product attention's decomposed CPU path records.
    func safeSoftmax(dim: Int) -> Tensor {
        normalized(dim: dim, logarithm: false, safe: true)
    }

    /// Throws the error `softmax(dim:)` / `logSoftmax(dim:)` would stop with: an integer tensor or a
    /// dimension out of range.
    public func checkSoftmax(dim: Int, logarithm: Bool = false) throws {
        try checkFloatingPoint(logarithm ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl")
        _ = try Softmax.outputShape(input: shape, dim: dim)
    }

    /// Softmax or log-softmax along `dim`, computed as PyTorch's CPU kernels do (subtract the maximum,
    /// sum the exponentials in the element type).
    private func normalized(dim: Int, logarithm: Bool, safe: Bool = false) -> Tensor {
        do { try checkSoftmax(dim: dim, logarithm: logarithm) } catch { preconditionFailure("\(error)") }
        let d = dim < 0 ? dim + Swift.max(ndim, 1) : dim
        let size = ndim == 0 ? 1 : shape[d]
        let inner = ndim == 0 ? 1 : shape[(d + 1)...].reduce(1, *)
        let outer = count / Swift.max(size * inner, 1)
        // PyTorch keeps `dim` as an int64 and prints it as unsigned: -3 shows as 18446744073709551613.
        let saved: [SavedValue] = [.attribute("dim", String(UInt64(bitPattern: Int64(dim)))),
                                   .tensor("result", shape: shape)]
        // Each line along `dim` is independent: the lines are split over threads, each computed as on one.
        let lines = outer * inner, cost = 8 * size
        func run<T: KernelFloat>(_: T.Type) -> Tensor {
            let x: [T] = T.elementValues(of: self)
            var y = [T](unsafeUninitializedCapacity: x.count) { $1 = x.count }
            x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    Parallel.forEachPart(lines, cost: cost) { _, range in
                        for line in range {
                            let base = (line / inner) * size * inner + line % inner
                            var top = -T.infinity
                            for k in 0..<size where !(x[base + k * inner] <= top) && !top.isNaN { top = x[base + k * inner] }
                            if safe && top == -T.infinity {
                                for k in 0..<size { y[base + k * inner] = 0 }
                                continue
                            }
                            var sum: T = 0
                            for k in 0..<size {
                                let e = T.exp(x[base + k * inner] - top)
                                sum += e
                                y[base + k * inner] = e
                            }
                            if logarithm {
                                let logSum = T.log(sum)
                                for k in 0..<size { y[base + k * inner] = x[base + k * inner] - top - logSum }
                            } else if inner == 1 {
                                let reciprocal = 1 / sum
                                for k in 0..<size { y[base + k] *= reciprocal }
                            } else {
                                for k in 0..<size { y[base + k * inner] /= sum }
                            }
                        }
                    }
                }
            }
            let node = logarithm ? "LogSoftmaxBackward0" : safe ? "SafeSoftmaxBackward0" : "SoftmaxBackward0"
            return Tensor.function(node, inputs: [self], saved: saved, output: T.elementTensor(y, shape: shape)) { grad in
                let g: [T] = T.elementValues(of: grad)
                var gx = [T](unsafeUninitializedCapacity: g.count) { $1 = g.count }
                g.withUnsafeBufferPointer { g in
                    y.withUnsafeBufferPointer { y in
                        gx.withUnsafeMutableBufferPointer { gx in
                            Parallel.forEachPart(lines, cost: cost) { _, range in
                                for line in range {
                                    let base = (line / inner) * size * inner + line % inner
                                    var sum: T = 0
                                    for k in 0..<size {
                                        let j = base + k * inner
                                        if logarithm { sum += g[j] } else if inner == 1 { sum += g[j] * y[j] } else { sum.addProduct(g[j], y[j]) }
                                    }
                                    for k in 0..<size {
                                        let j = base + k * inner
                                        gx[j] = logarithm ? g[j].addingProduct(-T.exp(y[j]), sum) : (g[j] - sum) * y[j]
                                    }
                                }
                            }
                        }
                    }
                }
                return [T.elementTensor(gx, shape: grad.shape)]
            }
        }
        return dtype == .float64 ? run(Double.self) : run(Float.self)
    }
}

// MARK: - Modules

/// Softmax along `dim`, like `nn.Softmax(dim=...)` (`SoftmaxBackward0`).
///
/// ```swift
/// let probabilities = Softmax(dim: 1)(logits)
/// print(Softmax(dim: 1))   // Softmax(dim=1)
/// ```
public final class Softmax: Module {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.softmax(dim: dim) }
    public override func check(_ input: Tensor) throws { try input.checkSoftmax(dim: dim) }

    /// The output shape (the input's), or PyTorch's error for `dim` out of range.
    ///
    /// ```swift
    /// try Softmax.outputShape(input: [2, 3], dim: 1)    // [2, 3]
    /// ```
    public static func outputShape(input: [Int], dim: Int) throws -> [Int] {
        let n = max(input.count, 1)
        guard dim >= -n && dim < n else {
            throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(dim))")
        }
        return input
    }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// Softmax of `−x` along `dim`, like `nn.Softmin(dim=...)` (`SoftmaxBackward0` of `NegBackward0`).
///
/// ```swift
/// print(Softmin(dim: 1))   // Softmin(dim=1)
/// ```
public final class Softmin: Module {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.softmin(dim: dim) }
    public override func check(_ input: Tensor) throws { try input.checkSoftmax(dim: dim) }

    /// The output shape (the input's), or PyTorch's error for `dim` out of range.
    ///
    /// ```swift
    /// try Softmin.outputShape(input: [2, 3], dim: 1)    // [2, 3]
    /// ```
    public static func outputShape(input: [Int], dim: Int) throws -> [Int] {
        try Softmax.outputShape(input: input, dim: dim)
    }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// Log-softmax along `dim`, like `nn.LogSoftmax(dim=...)` (`LogSoftmaxBackward0`); pair it with
/// ``NLLLoss`` for classification.
///
/// ```swift
/// print(LogSoftmax(dim: 1))   // LogSoftmax(dim=1)
/// ```
public final class LogSoftmax: Module {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public override func forward(_ input: Tensor) -> Tensor { input.logSoftmax(dim: dim) }
    public override func check(_ input: Tensor) throws { try input.checkSoftmax(dim: dim, logarithm: true) }

    /// The output shape (the input's), or PyTorch's error for `dim` out of range.
    ///
    /// ```swift
    /// try LogSoftmax.outputShape(input: [2, 3], dim: 1)    // [2, 3]
    /// ```
    public static func outputShape(input: [Int], dim: Int) throws -> [Int] {
        try Softmax.outputShape(input: input, dim: dim)
    }
    public override var extraDescription: String { "dim=\(dim)" }
}

/// Softmax over the channels of every pixel of a (C, H, W) or (N, C, H, W) input, like `nn.Softmax2d()`:
/// PyTorch's `softmax(dim=-3)` (saved `dim` shows as 18446744073709551613).
///
/// ```swift
/// let perPixel = Softmax2d()(Tensor.randn([1, 3, 4, 4]))
/// ```
public final class Softmax2d: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor {
        do { try check(input) } catch { preconditionFailure("\(error)") }
        return input.softmax(dim: -3)
    }
    public override func check(_ input: Tensor) throws {
        _ = try Softmax2d.outputShape(input: input.shape)
        try input.checkSoftmax(dim: -3)
    }

    /// The output shape (the input's), or PyTorch's error for input that is not 3-D or 4-D.
    ///
    /// ```swift
    /// try Softmax2d.outputShape(input: [1, 3, 4, 4])    // [1, 3, 4, 4]
    /// ```
    public static func outputShape(input: [Int]) throws -> [Int] {
        guard input.count == 3 || input.count == 4 else {
            throw TensorError("Softmax2d: expected input to be 3D or 4D, got \(input.count)D instead")
        }
        return input
    }
}
