import NNVizCore

// MARK: - State buffers

/// A float32 buffer of optimizer state (a momentum or a running average), allocated once per parameter and
/// updated in place through its pointer.
final class StateBuffer {
    let values: UnsafeMutableBufferPointer<Float>
    let shape: [Int]

    /// A buffer shaped like `parameter`, filled with `value`.
    init(like parameter: Tensor, filledWith value: Float = 0) {
        shape = parameter.shape
        values = .allocate(capacity: parameter.count)
        values.initialize(repeating: value)
    }

    /// A buffer holding a copy of `source`.
    init(shape: [Int], copying source: UnsafeBufferPointer<Float>) {
        self.shape = shape
        values = .allocate(capacity: source.count)
        _ = values.initialize(from: source)
    }

    deinit { values.deallocate() }

    /// The values as a new tensor.
    var tensor: Tensor { Tensor(shape: shape, floats: Array(values)) }
}

// MARK: - Elementwise updates

/// `a · b + c` rounded once, as PyTorch's CPU kernels compute `add(alpha:)`, `addcmul` and `lerp` (GCC
/// fuses them into FMA instructions). The product of two floats is exact in double, so rounding the double
/// sum to float gives the fused result unless that sum falls exactly on a float32 rounding tie (about one
/// operation in 2²⁹), and it vectorises where a call to `fmaf` would not.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    Float(Double(a) * Double(b) + Double(c))
}

/// `torch.lerp(start, end, weight)` for a scalar weight, with PyTorch's two forms around 0.5
/// (`start + w·(end − start)` below, `end − (1 − w)·(end − start)` from 0.5 on), each one fused operation.
@inline(__always)
func torchLerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
    let small = weight.magnitude < 0.5
    return fusedMultiplyAdd(small ? weight : weight - 1, end - start, small ? start : end)
}

/// The correctly rounded square root as `torch.sqrt` gives it (NaN below zero, −0 for −0), written so that
/// loops vectorise: on Linux `squareRoot()` keeps libm's errno fallback, which blocks `sqrtps`, unless the
/// compiler sees a non-negative argument.
@inline(__always)
func torchSqrt(_ x: Float) -> Float {
    x < 0 ? .nan : (x == 0 ? x : x.magnitude.squareRoot())
}

/// `torch.maximum(a, b)`: the larger value, NaN if either is NaN.
@inline(__always)
func torchMaximum(_ a: Float, _ b: Float) -> Float {
    a >= b || a.isNaN ? a : b
}

/// The pointers an update kernel works with: `count` elements of the parameter's current values, of the
/// gradient the rule uses (negated for `maximize`, with the L2 term added), and of the buffer receiving the
/// new values. Kernels are straight loops over them, so they vectorise.
struct UpdateBuffers {
    let count: Int
    let param: UnsafePointer<Float>
    let grad: UnsafePointer<Float>
    let result: UnsafeMutablePointer<Float>
}

/// Reusable memory for the adjusted gradient, grown to the largest parameter.
final class ScratchBuffer {
    private(set) var values = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)

    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if values.count < count {
            values.deallocate()
            values = .allocate(capacity: count)
        }
        return values.baseAddress!
    }

    deinit { values.deallocate() }
}

extension Optimizer {
    /// Calls `body` for every parameter that has a gradient (with its group), without recording a graph.
    func forEachParameterWithGrad(_ body: (ParamGroup, Tensor, Tensor) -> Void) {
        noGrad {
            for group in paramGroups {
                for p in group.params {
                    guard let grad = p.grad else { continue }
                    precondition(grad.shape == p.shape,
                                 "grad of shape \(grad.shape) does not match its parameter's shape \(p.shape)")
                    body(group, p, grad)
                }
            }
        }
    }

    /// Replaces `parameter`'s values by what `kernel` writes into the result buffer, keeping its identity.
    /// The kernel sees the gradient as PyTorch's rules first adjust it: `−grad` when `maximize`, then
    /// `grad.add(param, alpha: weightDecay)` when the decay is not zero. With `inPlace` the result buffer is
    /// the parameter's own elements when it is float32 (no array per step): only for kernels that write each `result[i]` after
    /// their last read of `param[i]` and read no other element of either.
    func update(_ parameter: Tensor, grad: Tensor, maximize: Bool = false, weightDecay: Double = 0, inPlace: Bool = false,
                _ kernel: (UpdateBuffers) -> Void) {
        let gradient = grad.floats
        let n = parameter.count
        guard n > 0 else { return }
        func run(_ p: UnsafePointer<Float>, into result: UnsafeMutablePointer<Float>) {
            gradient.withUnsafeBufferPointer { g in
                let raw = g.baseAddress!
                var d = raw
                if maximize || weightDecay != 0 {
                    let adjusted = scratch.reserve(n)
                    let decay = Float(weightDecay)
                    switch (maximize, weightDecay != 0) {
                    case (true, true): for i in 0..<n { adjusted[i] = fusedMultiplyAdd(p[i], decay, -raw[i]) }
                    case (false, true): for i in 0..<n { adjusted[i] = fusedMultiplyAdd(p[i], decay, raw[i]) }
                    default: for i in 0..<n { adjusted[i] = -raw[i] }
                    }
                    d = UnsafePointer(adjusted)
                }
                kernel(UpdateBuffers(count: n, param: p, grad: d, result: result))
            }
        }
        if inPlace && parameter.dtype == .float32 {
            parameter.withUnsafeMutableFloats { values in run(UnsafePointer(values.baseAddress!), into: values.baseAddress!) }
            return
        }
        let values = parameter.floats
        let result = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { v in run(v.baseAddress!, into: buffer.baseAddress!) }
            initialized = n
        }
        parameter.copy_(Tensor(shape: parameter.shape, floats: result))
    }
}
