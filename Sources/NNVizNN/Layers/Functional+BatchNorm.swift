import Foundation
import NNVizCore
import NNVizSupport

// MARK: - batch_norm

/// Batch normalisation over dimension 1 of an (N, C, …) input, like `torch.nn.functional.batch_norm`.
///
/// With `training` the batch's mean and biased variance normalise the input, and `runningMean` /
/// `runningVar` (when given) move toward the batch's mean and unbiased variance by `momentum`, in place;
/// otherwise the running statistics normalise. `weight` and `bias` scale and shift each channel. The
/// arithmetic follows PyTorch's CPU kernel (sums in double, the rest in the element type) and the graph
/// records `NativeBatchNormBackward0` with PyTorch's saved attributes.
///
/// ```swift
/// let y = batchNorm(x, runningMean: mean, runningVar: variance, weight: gamma, bias: beta, training: true)
/// ```
public func batchNorm(_ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                      bias: Tensor? = nil, training: Bool = false, momentum: Double = 0.1, eps: Double = 1e-5) -> Tensor {
    do {
        try checkBatchNorm(input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                           training: training)
    } catch {
        preconditionFailure("\(error)")
    }
    let plan = BatchNormPlan(shape: input.shape, training: training, momentum: momentum, eps: eps)
    return input.dtype == .float64
        ? plan.run(Double.self, input, runningMean, runningVar, weight, bias)
        : plan.run(Float.self, input, runningMean, runningVar, weight, bias)
}

/// Throws the error ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)`` would stop with.
///
/// ```swift
/// try checkBatchNorm(Tensor.zeros([1, 3]), runningMean: nil, runningVar: nil, training: true)
/// // Expected more than 1 value per channel when training, got input size torch.Size([1, 3])
/// ```
public func checkBatchNorm(_ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                           bias: Tensor? = nil, training: Bool = false) throws {
    let statistics = [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)]
    try checkBatchNormShape(input.shape, sizes: statistics.compactMap { name, tensor in tensor.map { (name, $0.count) } },
                            training: training)
    for (name, tensor) in statistics {
        if tensor == nil && !training && name.hasPrefix("running") {
            throw TensorError("\(name) must be defined in evaluation mode")
        }
    }
    guard input.dtype.isFloatingPoint else {
        throw TensorError("\"batch_norm\" not implemented for '\(input.dtype.scalarTypeName)'")
    }
    for case let tensor? in [runningMean, runningVar, weight, bias] where tensor.dtype != input.dtype {
        throw TensorError("mixed dtype (CPU): all inputs must share same datatype.")
    }
}

/// The shape checks of batch normalisation: rank, more than one value per channel in training, and
/// per-channel tensors (`sizes`: name and element count) matching the channel count.
func checkBatchNormShape(_ shape: [Int], sizes: [(name: String, count: Int)], training: Bool) throws {
    guard shape.count >= 2 else {
        throw TensorError("batch_norm expects an input of at least 2 dimensions (N, C, ...), got \(shape.count)D input")
    }
    let count = shape.reduce(1, *)
    if training && shape[1] > 0 && count / shape[1] == 1 {
        throw TensorError("Expected more than 1 value per channel when training, got input size torch.Size(\(sizeText(shape)))")
    }
    for (name, size) in sizes where size != shape[1] {
        throw TensorError("\(name) should contain \(shape[1]) elements not \(size)")
    }
}

// MARK: - Kernel

/// One batch normalisation: N × C × S elements (S: the product of the dimensions after C).
private struct BatchNormPlan {
    let batch, channels, spatial: Int
    let training: Bool
    let momentum, eps: Double

    init(shape: [Int], training: Bool, momentum: Double, eps: Double) {
        batch = shape[0]
        channels = shape[1]
        spatial = shape.dropFirst(2).reduce(1, *)
        self.training = training
        self.momentum = momentum
        self.eps = eps
    }

    /// Elements per channel.
    var count: Int { batch * spatial }

    /// Calls `body(channel)` for every channel, the channels split over ``getNumThreads()`` threads.
    func forEachChannel(_ body: (Int) -> Void) {
        Parallel.forEachPart(channels, cost: 4 * count) { _, range in
            for c in range { body(c) }
        }
    }

    /// Calls `body(flat indices)` for each sample's plane of channel `c`, in sample order.
    func forEachPlane(of c: Int, _ body: (Range<Int>) -> Void) {
        for n in 0..<batch {
            let start = (n * channels + c) * spatial
            body(start..<(start + spatial))
        }
    }

    /// The batch's mean and `Σ (x − mean)²` per channel, as PyTorch's `batch_norm_cpu_collect_stats`.
    func statistics<T: LayerElement>(_ x: [T]) -> (mean: [T], varianceSum: [T]) {
        var mean = [T](repeating: 0, count: channels), squares = [T](repeating: 0, count: channels)
        x.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { mean in
                squares.withUnsafeMutableBufferPointer { squares in
                    forEachChannel { c in
                        var sum = 0.0
                        forEachPlane(of: c) { plane in for i in plane { sum += Double(x[i]) } }
                        let m = T(sum / Double(count))
                        var total = 0.0
                        forEachPlane(of: c) { plane in
                            for i in plane {
                                let d = x[i] - m
                                total += Double(d * d)
                            }
                        }
                        mean[c] = m
                        squares[c] = T(total)
                    }
                }
            }
        }
        return (mean, squares)
    }

    func run<T: LayerElement>(_: T.Type, _ input: Tensor, _ runningMean: Tensor?, _ runningVar: Tensor?,
                             _ weight: Tensor?, _ bias: Tensor?) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let w: [T] = weight.map(T.elementValues) ?? [T](repeating: 1, count: channels)
        let b: [T] = bias.map(T.elementValues) ?? [T](repeating: 0, count: channels)
        let mean: [T], invstd: [T]
        if training {
            let stats = statistics(x)
            mean = stats.mean
            invstd = stats.varianceSum.map { T(1 / (Double($0 / T(count)) + eps).squareRoot()) }
            updateRunningStatistics(stats.mean, stats.varianceSum, runningMean, runningVar)
        } else {
            mean = T.elementValues(of: runningMean!)
            invstd = T.elementValues(of: runningVar!).map { 1 / ($0 + T(eps)).squareRoot() }
        }
        let alpha = (0..<channels).map { invstd[$0] * w[$0] }
        let beta = (0..<channels).map { b[$0] - mean[$0] * alpha[$0] }
        var y = [T](unsafeUninitializedCapacity: x.count) { $1 = x.count }
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                forEachChannel { c in
                    let a = alpha[c], shift = beta[c]
                    forEachPlane(of: c) { plane in for i in plane { y[i] = x[i] * a + shift } }
                }
            }
        }
        let output = T.elementTensor(y, shape: input.shape)

        let statisticsShape = training ? [channels] : [0]
        let saved: [SavedValue] = [
            .attribute("eps", pythonFloat(eps)),
            .tensor("input", shape: input.shape),
            .tensor("result1", shape: statisticsShape),
            .tensor("result2", shape: statisticsShape),
            runningMean.map { .tensor("running_mean", shape: $0.shape) } ?? .attribute("running_mean", "None"),
            runningVar.map { .tensor("running_var", shape: $0.shape) } ?? .attribute("running_var", "None"),
            .attribute("training", training ? "True" : "False"),
            weight.map { .tensor("weight", shape: $0.shape) } ?? .attribute("weight", "None"),
        ]
        let inputs = [input] + [weight, bias].compactMap { $0 }
        let hasWeight = weight != nil, hasBias = bias != nil
        let inputShape = input.shape, channels = self.channels
        return Tensor.function("NativeBatchNormBackward0", inputs: inputs, saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var sums = [Double](repeating: 0, count: channels), dots = [Double](repeating: 0, count: channels)
            var dx = [T](unsafeUninitializedCapacity: g.count) { $1 = g.count }
            g.withUnsafeBufferPointer { g in
                x.withUnsafeBufferPointer { x in
                    sums.withUnsafeMutableBufferPointer { sums in
                        dots.withUnsafeMutableBufferPointer { dots in
                            dx.withUnsafeMutableBufferPointer { dx in
                                forEachChannel { c in
                                    let m = mean[c], s = invstd[c], wc = w[c]
                                    var sum = 0.0, dot = 0.0
                                    forEachPlane(of: c) { plane in
                                        for i in plane {
                                            sum += Double(g[i])
                                            dot += Double((x[i] - m) * g[i])
                                        }
                                    }
                                    sums[c] = sum
                                    dots[c] = dot
                                    if training {
                                        let kc = T(dot) * s * s / T(count), gm = T(sum) / T(count)
                                        forEachPlane(of: c) { plane in
                                            for i in plane { dx[i] = (g[i] - gm - (x[i] - m) * kc) * s * wc }
                                        }
                                    } else {
                                        forEachPlane(of: c) { plane in for i in plane { dx[i] = g[i] * s * wc } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var grads: [Tensor?] = [T.elementTensor(dx, shape: inputShape)]
            if hasWeight { grads.append(T.elementTensor((0..<channels).map { T(dots[$0]) * invstd[$0] }, shape: [channels])) }
            if hasBias { grads.append(T.elementTensor(sums.map { T($0) }, shape: [channels])) }
            return grads
        }
    }

    /// Moves the running statistics toward the batch's, in PyTorch's mix of float and double arithmetic.
    func updateRunningStatistics<T: LayerElement>(_ mean: [T], _ varianceSum: [T], _ runningMean: Tensor?, _ runningVar: Tensor?) {
        let m = T(momentum)
        if let runningMean {
            let old: [T] = T.elementValues(of: runningMean)
            let new = (0..<channels).map { m * mean[$0] + (1 - m) * old[$0] }
            noGrad { runningMean.copy_(T.elementTensor(new, shape: runningMean.shape)) }
        }
        if let runningVar {
            let old: [T] = T.elementValues(of: runningVar)
            let new = (0..<channels).map { c -> T in
                let unbiased = Double(varianceSum[c] / T(count - 1))
                return T(Double(m) * unbiased + Double((1 - m) * old[c]))
            }
            noGrad { runningVar.copy_(T.elementTensor(new, shape: runningVar.shape)) }
        }
    }
}
