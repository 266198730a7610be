import NNVizCore

// MARK: - group_norm

/// Group normalisation of an (N, C, …) input, like `torch.nn.functional.group_norm(input, num_groups,
/// weight, bias, eps)`: the C channels fall into `numGroups` groups of consecutive channels, each
/// (sample, group) is normalised by its own mean and biased variance, then `weight` and `bias` scale and
/// shift each channel. The graph records `NativeGroupNormBackward0` with PyTorch's saved attributes (the
/// per-group means and reciprocal standard deviations as `result1` and `result2`).
///
/// ```swift
/// let y = groupNorm(Tensor.randn([2, 4, 8, 8]), numGroups: 2)   // each half of the channels: mean 0, variance 1
/// ```
public func groupNorm(_ input: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Double = 1e-5) -> Tensor {
    do { try checkGroupNorm(input, numGroups: numGroups, weight: weight, bias: bias) } catch {
        preconditionFailure("\(error)")
    }
    let plan = GroupNormPlan(shape: input.shape, groups: numGroups, eps: eps)
    return input.dtype == .float64
        ? plan.run(Double.self, input, weight, bias)
        : plan.run(Float.self, input, weight, bias)
}

/// Throws the error ``groupNorm(_:numGroups:weight:bias:eps:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkGroupNorm(Tensor.zeros([2, 6, 3, 3]), numGroups: 4)
/// // Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 3, 3] and num_groups=4
/// ```
public func checkGroupNorm(_ input: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil) throws {
    _ = try groupNormShape(input.shape, numGroups: numGroups, channels: weight?.count)
    if let bias, bias.count != input.shape[1] {
        throw TensorError("Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape \(sizeText(bias.shape)) and input of shape \(sizeText(input.shape))")
    }
    guard input.dtype.isFloatingPoint else { throw TensorError("mixed dtype (CPU): all inputs must share same datatype.") }
    for case let tensor? in [weight, bias] where tensor.dtype != input.dtype {
        throw TensorError("mixed dtype (CPU): all inputs must share same datatype.")
    }
}

/// `shape` itself, or PyTorch's error for fewer than 2 dimensions, a channel count not divisible by the
/// groups or (with an affine weight of `channels` elements) not equal to it.
func groupNormShape(_ shape: [Int], numGroups: Int, channels: Int?) throws -> [Int] {
    guard shape.count >= 2 else {
        throw TensorError("Expected at least 2 dimensions for input tensor but received \(shape.count)")
    }
    guard shape[1] % numGroups == 0 else {
        throw TensorError("Expected number of channels in input to be divisible by num_groups, but got input of shape \(sizeText(shape)) and num_groups=\(numGroups)")
    }
    if let channels, channels != shape[1] {
        throw TensorError("Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [\(channels)] and input of shape \(sizeText(shape))")
    }
    return shape
}

// MARK: - Kernel

/// One group normalisation: N samples × C channels × S elements (the product of the dimensions after C).
private struct GroupNormPlan {
    let batch, channels, spatial, groups: Int
    let eps: Double

    init(shape: [Int], groups: Int, eps: Double) {
        batch = shape[0]
        channels = shape[1]
        spatial = shape.dropFirst(2).reduce(1, *)
        self.groups = groups
        self.eps = eps
    }

    var channelsPerGroup: Int { channels / groups }
    /// Elements per (sample, group).
    var groupSize: Int { channelsPerGroup * spatial }

    func run<T: LayerElement>(_: T.Type, _ input: Tensor, _ weight: Tensor?, _ bias: Tensor?) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let gamma: [T] = weight.map(T.elementValues) ?? [T](repeating: 1, count: channels)
        let beta: [T] = bias.map(T.elementValues) ?? [T](repeating: 0, count: channels)
        var mean = [T](repeating: 0, count: batch * groups), rstd = mean
        for ng in 0..<(batch * groups) {
            let start = ng * groupSize
            var sum = 0.0, squares = 0.0
            for i in start..<(start + groupSize) { sum += Double(x[i]) }
            let m = sum / Double(groupSize)
            for i in start..<(start + groupSize) {
                let d = Double(x[i]) - m
                squares += d * d
            }
            mean[ng] = T(m)
            rstd[ng] = T(1 / (max(squares / Double(groupSize), 0) + eps).squareRoot())
        }
        var y = [T](repeating: 0, count: x.count)
        for n in 0..<batch {
            for c in 0..<channels {
                let ng = n * groups + c / channelsPerGroup
                let scale = rstd[ng] * gamma[c], shift = beta[c] - scale * mean[ng]
                let start = (n * channels + c) * spatial
                for i in start..<(start + spatial) { y[i] = x[i] * scale + shift }
            }
        }
        let output = T.elementTensor(y, shape: input.shape)
        let saved: [SavedValue] = [
            .attribute("C", "\(channels)"),
            .attribute("HxW", "\(spatial)"),
            .attribute("N", "\(batch)"),
            .attribute("group", "\(groups)"),
            .tensor("input", shape: input.shape),
            .tensor("result1", shape: [batch, groups]),
            .tensor("result2", shape: [batch, groups]),
            weight.map { .tensor("weight", $0) } ?? .attribute("weight", "None"),
        ]
        let inputs = [input] + [weight, bias].compactMap { $0 }
        let hasWeight = weight != nil, hasBias = bias != nil, inputShape = input.shape
        return Tensor.function("NativeGroupNormBackward0", inputs: inputs, saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            // Per (sample, channel): Σ g·x and Σ g.
            var ds = [Double](repeating: 0, count: batch * channels), db = ds
            for nc in 0..<(batch * channels) {
                let start = nc * spatial
                var s = 0.0, b = 0.0
                for i in start..<(start + spatial) {
                    s += Double(g[i]) * Double(x[i])
                    b += Double(g[i])
                }
                ds[nc] = s
                db[nc] = b
            }
            var dx = [T](repeating: 0, count: g.count)
            let inverseCount = 1 / Double(groupSize)
            for n in 0..<batch {
                for group in 0..<groups {
                    let ng = n * groups + group
                    var dsGamma = 0.0, dbGamma = 0.0
                    for c in (group * channelsPerGroup)..<((group + 1) * channelsPerGroup) {
                        dsGamma += ds[n * channels + c] * Double(gamma[c])
                        dbGamma += db[n * channels + c] * Double(gamma[c])
                    }
                    let m = Double(mean[ng]), r = Double(rstd[ng])
                    let c2 = (dbGamma * m - dsGamma) * r * r * r * inverseCount
                    let c3 = -c2 * m - dbGamma * r * inverseCount
                    for c in (group * channelsPerGroup)..<((group + 1) * channelsPerGroup) {
                        let c1 = r * Double(gamma[c])
                        let start = (n * channels + c) * spatial
                        for i in start..<(start + spatial) { dx[i] = T(c1 * Double(g[i]) + c2 * Double(x[i]) + c3) }
                    }
                }
            }
            var grads: [Tensor?] = [T.elementTensor(dx, shape: inputShape)]
            if hasWeight {
                var dGamma = [Double](repeating: 0, count: channels)
                for n in 0..<batch {
                    for c in 0..<channels {
                        let ng = n * groups + c / channelsPerGroup
                        dGamma[c] += (ds[n * channels + c] - db[n * channels + c] * Double(mean[ng])) * Double(rstd[ng])
                    }
                }
                grads.append(T.elementTensor(dGamma.map { T($0) }, shape: [channels]))
            }
            if hasBias {
                var dBeta = [Double](repeating: 0, count: channels)
                for n in 0..<batch {
                    for c in 0..<channels { dBeta[c] += db[n * channels + c] }
                }
                grads.append(T.elementTensor(dBeta.map { T($0) }, shape: [channels]))
            }
            return grads
        }
    }
}
