import NNVizCore

// Piecewise-linear activations, as methods on Tensor (`x.leakyRelu()`), each one PyTorch node.
// `relu()` itself is in the core.

// MARK: - Functions

extension Tensor {
    /// `x` where positive, `negativeSlope · x` elsewhere, like `F.leaky_relu` (`LeakyReluBackward0`).
    ///
    /// ```swift
    /// Tensor([-2.0, 3.0]).leakyRelu(negativeSlope: 0.1)   // tensor([-0.2000,  3.0000])
    /// ```
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
        applying(LeakyReluKernel(slope: negativeSlope))
    }

    /// Clamps to `[minVal, maxVal]`, like `F.hardtanh` (`HardtanhBackward0`; the gradient is zero at and
    /// beyond both bounds).
    ///
    /// ```swift
    /// Tensor([-3.0, 0.2, 3.0]).hardtanh()   // tensor([-1.0000,  0.2000,  1.0000])
    /// ```
    public func hardtanh(minVal: Double = -1, maxVal: Double = 1) -> Tensor {
        precondition(maxVal > minVal, "max_val (\(pythonFloat(maxVal))) must be greater than min_val (\(pythonFloat(minVal)))")
        return applying(HardtanhKernel(minVal: minVal, maxVal: maxVal))
    }

    /// `min(max(x, 0), 6)`, like `F.relu6`: PyTorch records it as `hardtanh(x, 0, 6)` (`HardtanhBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 3.0, 8.0]).relu6()   // tensor([0., 3., 6.])
    /// ```
    public func relu6() -> Tensor { hardtanh(minVal: 0, maxVal: 6) }

    /// `value` where `x ≤ threshold`, `x` elsewhere, like `F.threshold` (`ThresholdBackward0`).
    ///
    /// ```swift
    /// Tensor([0.05, 0.5]).threshold(0.1, value: 20)   // tensor([20.0000,  0.5000])
    /// ```
    public func threshold(_ threshold: Double, value: Double) -> Tensor {
        applying(ThresholdKernel(threshold: threshold, value: value))
    }

    /// Zero inside `[-lambda, lambda]`, `x` outside, like `F.hardshrink` (`HardshrinkBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 0.3, 0.7]).hardshrink()   // tensor([-1.0000,  0.0000,  0.7000])
    /// ```
    public func hardshrink(lambda: Double = 0.5) -> Tensor {
        applying(ShrinkKernel(lambda: lambda, soft: false))
    }

    /// Moves every element `lambda` towards zero, zero inside `[-lambda, lambda]`, like `F.softshrink`
    /// (`SoftshrinkBackward0`).
    ///
    /// ```swift
    /// Tensor([-1.0, 0.3, 0.7]).softshrink()   // tensor([-0.5000,  0.0000,  0.2000])
    /// ```
    public func softshrink(lambda: Double = 0.5) -> Tensor {
        precondition(lambda >= 0, "lambda must be greater or equal to 0, but found to be \(pythonFloat(lambda)).")
        return applying(ShrinkKernel(lambda: lambda, soft: true))
    }

    /// `x` where positive, `weight · x` elsewhere, with a learnable slope per channel (dimension 1), like
    /// `F.prelu`. `weight` holds one slope or one per channel. Records `PreluKernelBackward0` fed by the
    /// `ViewBackward0` that reshapes `weight` to broadcast over the input, as PyTorch does.
    ///
    /// ```swift
    /// let a = Tensor([0.25], requiresGrad: true)
    /// Tensor([[-2.0, 3.0]]).prelu(a)   // tensor([[-0.5000,  3.0000]], grad_fn=<PreluKernelBackward0>)
    /// ```
    public func prelu(_ weight: Tensor) -> Tensor {
        do { try checkPrelu(weight) } catch { preconditionFailure("\(error)") }
        var viewed = weight
        if ndim != weight.ndim {
            var broadcastShape = [Int](repeating: 1, count: ndim)
            if ndim > 1 { broadcastShape[1] = weight.count }
            viewed = weight.view(broadcastShape)
        }
        let channels = viewed.count, inner = ndim > 2 ? shape[2...].reduce(1, *) : 1
        func run<T: KernelFloat>(_: T.Type) -> Tensor {
            let x: [T] = T.elementValues(of: self), w: [T] = T.elementValues(of: viewed)
            let slope = { (i: Int) in w[channels == 1 ? 0 : (i / inner) % channels] }
            let out = T.elementTensor(x.indices.map { x[$0] > 0 ? x[$0] : slope($0) * x[$0] }, shape: shape)
            let saved: [SavedValue] = [.tensor("self", shape: shape), .tensor("weight", shape: viewed.shape)]
            let weightShape = viewed.shape
            return Tensor.function("PreluKernelBackward0", inputs: [self, viewed], saved: saved, output: out) { grad in
                let g: [T] = T.elementValues(of: grad)
                let gx = x.indices.map { x[$0] > 0 ? g[$0] : slope($0) * g[$0] }
                var gw = [Double](repeating: 0, count: channels)
                for i in x.indices where !(x[i] > 0) { gw[channels == 1 ? 0 : (i / inner) % channels] += Double(x[i] * g[i]) }
                return [T.elementTensor(gx, shape: grad.shape), T.elementTensor(gw.map { T($0) }, shape: weightShape)]
            }
        }
        return dtype == .float64 ? run(Double.self) : run(Float.self)
    }

    /// Throws the error ``prelu(_:)`` would stop with: dtypes that differ, or a slope count that is
    /// neither 1 nor the input's channel count (dimension 1).
    public func checkPrelu(_ weight: Tensor) throws {
        guard dtype == weight.dtype else {
            throw TensorError("prelu: Type promoting not supported. Got \(dtype.scalarTypeName) and \(weight.dtype.scalarTypeName)")
        }
        try checkFloatingPoint("prelu_cpu")
        guard weight.ndim <= 1 else {
            throw TensorError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = \(weight.ndim)")
        }
        _ = try PReLU.outputShape(input: shape, numParameters: weight.count)
    }

    /// Randomized leaky ReLU, like `F.rrelu`. In training each non-positive element gets its own slope
    /// drawn uniformly from `[lower, upper]` (one 53-bit draw of `generator` per such element, in order,
    /// as PyTorch's CPU kernel draws); otherwise the slope is `(lower + upper) / 2`.
    /// Records `RreluWithNoiseBackward0` with the slopes saved as `noise`.
    ///
    /// ```swift
    /// Tensor([-1.0, 2.0]).rrelu(training: false)   // tensor([-0.2292,  2.0000])
    /// ```
    public func rrelu(lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, training: Bool = false,
                      generator: Generator = defaultGenerator) -> Tensor {
        precondition(lower <= upper, "Lower bound should be less than or equal to the upper bound")
        let mid = (lower + upper) / 2
        func run<T: KernelFloat>(_: T.Type) -> Tensor {
            let x: [T] = T.elementValues(of: self)
            var out = x
            var noise = [T](repeating: 1, count: x.count)
            if training {
                // PyTorch rounds the bounds to the element type, then draws in double.
                let lo = Double(T(lower)), hi = Double(T(upper))
                for i in x.indices where x[i] <= 0 {
                    let bits = UInt64(generator.random32()) << 32 | UInt64(generator.random32())
                    let r = T(Double(bits & (1 << 53 - 1)) * 0x1p-53 * (hi - lo) + lo)
                    out[i] = x[i] * r
                    noise[i] = r
                }
            } else {
                let slope = T(mid)
                for i in x.indices where !(x[i] > 0) { out[i] = x[i] * slope }
            }
            let saved: [SavedValue] = [.attribute("lower", pythonFloat(lower)), .tensor("noise", shape: shape),
                                       .tensor("self", shape: shape), .attribute("training", training ? "True" : "False"),
                                       .attribute("upper", pythonFloat(upper))]
            let useNoise = training && upper - lower > 1e-6
            return Tensor.function("RreluWithNoiseBackward0", inputs: [self], saved: saved,
                                   output: T.elementTensor(out, shape: shape)) { grad in
                let g: [T] = T.elementValues(of: grad)
                let slope = T(mid)
                let gx = useNoise ? zip(g, noise).map { $0 * $1 } : x.indices.map { x[$0] > 0 ? g[$0] : g[$0] * slope }
                return [T.elementTensor(gx, shape: grad.shape)]
            }
        }
        requireFloatingPoint(training ? "rrelu_with_noise_out_cpu" : "leaky_relu_cpu")
        return dtype == .float64 ? run(Double.self) : run(Float.self)
    }
}

// MARK: - Kernels

/// `leaky_relu` and its backward, as PyTorch's CPU kernel computes them.
struct LeakyReluKernel: PointwiseActivation {
    let slope: Double
    var nodeName: String { "LeakyReluBackward0" }
    var kernelName: String { "leaky_relu_cpu" }
    var attributes: [SavedValue] { [.attribute("negative_slope", pythonFloat(slope))] }
    func value<T: KernelFloat>(_ x: T) -> T { x > 0 ? x : x * T(slope) }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T { x > 0 ? g : g * T(slope) }
}

/// `hardtanh` (a clamp that keeps NaN) and its backward.
struct HardtanhKernel: PointwiseActivation {
    let minVal: Double, maxVal: Double
    var nodeName: String { "HardtanhBackward0" }
    var kernelName: String { "hardtanh_backward_cpu" }
    var attributes: [SavedValue] {
        [.attribute("max_val", pythonFloat(maxVal)), .attribute("min_val", pythonFloat(minVal))]
    }
    func value<T: KernelFloat>(_ x: T) -> T { x.isNaN ? x : Swift.min(Swift.max(x, T(minVal)), T(maxVal)) }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T { x <= T(minVal) || x >= T(maxVal) ? 0 : g }
    /// PyTorch clamps integers between the bounds truncated to integers.
    var integerValue: ((Int64) -> Int64)? {
        let lo = truncatedInt64(minVal), hi = truncatedInt64(maxVal)
        return { Swift.min(Swift.max($0, lo), hi) }
    }
}

/// `threshold` and its backward.
struct ThresholdKernel: PointwiseActivation {
    let threshold: Double, value: Double
    var nodeName: String { "ThresholdBackward0" }
    var kernelName: String { "threshold_cpu" }
    var attributes: [SavedValue] { [.attribute("threshold", pythonFloat(threshold))] }
    func value<T: KernelFloat>(_ x: T) -> T { x <= T(threshold) ? T(value) : x }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T { x <= T(threshold) ? 0 : g }
    /// PyTorch compares integers with the threshold and value truncated to integers.
    var integerValue: ((Int64) -> Int64)? {
        let t = truncatedInt64(threshold), v = truncatedInt64(value)
        return { $0 <= t ? v : $0 }
    }
}

/// `hardshrink` or `softshrink` and their common backward.
struct ShrinkKernel: PointwiseActivation {
    let lambda: Double, soft: Bool
    var nodeName: String { soft ? "SoftshrinkBackward0" : "HardshrinkBackward0" }
    var kernelName: String { soft ? "softshrink_check" : "hardshrink_cpu" }
    var attributes: [SavedValue] { [.attribute("lambd", pythonFloat(lambda))] }
    func value<T: KernelFloat>(_ x: T) -> T {
        let l = T(lambda)
        if soft { return x > l ? x - l : (x < -l ? x + l : x * 0) }
        return x >= -l && x <= l ? 0 : x
    }
    func gradient<T: KernelFloat>(_ g: T, _ x: T) -> T { x >= -T(lambda) && x <= T(lambda) ? 0 : g }
}

/// A bound converted to int64 as C++ converts a Scalar (toward zero), saturating at the int64 range.
private func truncatedInt64(_ value: Double) -> Int64 {
    if value.isNaN { return 0 }
    if value >= 0x1p63 { return .max }
    if value < -0x1p63 { return .min }
    return Int64(value)
}
