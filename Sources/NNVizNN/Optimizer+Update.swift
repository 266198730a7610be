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

/// `torch.lerp(start, end, weight)` for a scalar weight, with PyTorch's two forms around 0.5.
@inline(__always)
func lerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
    weight.magnitude < 0.5
        ? fusedMultiplyAdd(weight, end - start, start)
        : fusedMultiplyAdd(weight - 1, end - start, end)
}

/// The pointers an update kernel works with: `count` elements of the parameter's current values, its
/// gradient, and the buffer receiving the new values.
struct UpdateBuffers {
    let count: Int
    let param: UnsafePointer<Float>
    let grad: UnsafePointer<Float>
    let result: UnsafeMutablePointer<Float>
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
    func update(_ parameter: Tensor, grad: Tensor, _ kernel: (UpdateBuffers) -> Void) {
        let values = parameter.floats
        let gradient = grad.floats
        let n = values.count
        guard n > 0 else { return }
        let result = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { v in
                gradient.withUnsafeBufferPointer { g in
                    kernel(UpdateBuffers(count: n, param: v.baseAddress!, grad: g.baseAddress!, result: buffer.baseAddress!))
                }
            }
            initialized = n
        }
        parameter.copy_(Tensor(shape: parameter.shape, floats: result))
    }
}
