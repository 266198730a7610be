import NNVizCore
import NNVizSupport

// MARK: - layer_norm

/// Layer normalisation over the trailing `normalizedShape` dimensions, like
/// `torch.nn.functional.layer_norm(input, normalized_shape, weight, bias, eps)`.
///
/// Each row (the elements of the last `normalizedShape.count` dimensions) is shifted by its mean and
/// scaled by `1/√(biased variance + eps)`, then by `weight` and `bias` elementwise when given. Statistics
/// are accumulated in double. The graph records one `NativeLayerNormBackward0` with PyTorch's saved
/// attributes (the mean and reciprocal standard deviation as `result1`/`result2`, shaped like the input
/// with the normalised dimensions set to 1).
///
/// ```swift
/// let y = layerNorm(Tensor([[1.0, 2.0, 3.0]]), normalizedShape: [3])   // [[-1.2247, 0, 1.2247]]
/// ```
public func layerNorm(_ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Double = 1e-5) -> Tensor {
    do {
        try checkLayerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias)
    } catch {
        preconditionFailure("\(error)")
    }
    let width = normalizedShape.reduce(1, *)
    return input.dtype == .float64
        ? layerNormKernel(Double.self, input, normalizedShape, width: width, weight, bias, eps)
        : layerNormKernel(Float.self, input, normalizedShape, width: width, weight, bias, eps)
}

/// Throws the error ``layerNorm(_:normalizedShape:weight:bias:eps:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkLayerNorm(Tensor.zeros([2, 5]), normalizedShape: [4])
/// // Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]
/// ```
public func checkLayerNorm(_ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil) throws {
    _ = try LayerNorm.outputShape(input: input.shape, normalizedShape: normalizedShape)
    for case let tensor? in [weight, bias] where tensor.shape != normalizedShape {
        throw TensorError("Expected weight to be of same shape as normalized_shape, but got weight of shape \(sizeText(tensor.shape)) and normalized_shape = \(sizeText(normalizedShape))")
    }
    guard input.dtype.isFloatingPoint else {
        throw TensorError("\"LayerNormKernelImpl\" not implemented for '\(input.dtype.scalarTypeName)'")
    }
    for case let tensor? in [weight, bias] where tensor.dtype != input.dtype {
        throw TensorError("expected scalar type \(input.dtype.scalarTypeName) but found \(tensor.dtype.scalarTypeName)")
    }
}

// MARK: - Kernel

private func layerNormKernel<T: LayerElement>(_: T.Type, _ input: Tensor, _ normalizedShape: [Int], width: Int,
                                              _ weight: Tensor?, _ bias: Tensor?, _ eps: Double) -> Tensor {
    let x: [T] = T.elementValues(of: input)
    let rows = width == 0 ? 0 : x.count / width
    let w: [T]? = weight.map(T.elementValues), b: [T]? = bias.map(T.elementValues)
    var mean = [T](repeating: 0, count: rows), rstd = [T](repeating: 0, count: rows)
    var y = [T](unsafeUninitializedCapacity: x.count) { $1 = x.count }
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            mean.withUnsafeMutableBufferPointer { mean in
                rstd.withUnsafeMutableBufferPointer { rstd in
                    // Rows are independent: split over threads, each row computed as on one.
                    Parallel.forEachPart(rows, cost: 4 * width) { _, range in
                        for r in range {
                            let base = r * width
                            var sum = 0.0
                            for i in base..<(base + width) { sum += Double(x[i]) }
                            let m = sum / Double(width)
                            var squares = 0.0
                            for i in base..<(base + width) {
                                let d = Double(x[i]) - m
                                squares += d * d
                            }
                            let s = 1 / (squares / Double(width) + eps).squareRoot()
                            mean[r] = T(m)
                            rstd[r] = T(s)
                            let tm = T(m), ts = T(s)
                            for j in 0..<width {
                                var v = (x[base + j] - tm) * ts
                                if let w { v *= w[j] }
                                if let b { v += b[j] }
                                y[base + j] = v
                            }
                        }
                    }
                }
            }
        }
    }
    let statisticsShape = Array(input.shape.dropLast(normalizedShape.count)) + normalizedShape.map { _ in 1 }
    let saved: [SavedValue] = [
        bias.map { .tensor("bias", $0) } ?? .attribute("bias", "None"),
        .tensor("input", shape: input.shape),
        .attribute("normalized_shape", pythonTuple(normalizedShape)),
        .tensor("result1", shape: statisticsShape),
        .tensor("result2", shape: statisticsShape),
        weight.map { .tensor("weight", $0) } ?? .attribute("weight", "None"),
    ]
    let inputs = [input] + [weight, bias].compactMap { $0 }
    let inputShape = input.shape, hasBias = bias != nil
    let output = T.elementTensor(y, shape: inputShape)
    return Tensor.function("NativeLayerNormBackward0", inputs: inputs, saved: saved, output: output) { grad in
        let g: [T] = T.elementValues(of: grad)
        var dx = [T](unsafeUninitializedCapacity: g.count) { $1 = g.count }
        // Rows split over threads; each part sums its rows' weight and bias gradients (dw then db, `width`
        // each) into a slice of its own, and the slices are added in part order.
        let cost = 8 * width, parts = Parallel.partCount(rows, cost: cost)
        var partials = [Double](repeating: 0, count: parts * 2 * width)
        g.withUnsafeBufferPointer { g in
            x.withUnsafeBufferPointer { x in
                dx.withUnsafeMutableBufferPointer { dx in
                    partials.withUnsafeMutableBufferPointer { partials in
                        Parallel.forEachPart(rows, cost: cost) { part, range in
                            let dw = partials.baseAddress! + part * 2 * width, db = dw + width
                            for r in range {
                                let base = r * width, m = mean[r], s = rstd[r]
                                // dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) with ĝ = g · w and x̂ the normalised input.
                                var sumG = 0.0, sumGX = 0.0
                                for j in 0..<width {
                                    let xhat = (x[base + j] - m) * s
                                    let gj = g[base + j]
                                    let gw = w.map { gj * $0[j] } ?? gj
                                    sumG += Double(gw)
                                    sumGX += Double(gw * xhat)
                                    dw[j] += Double(gj * xhat)
                                    db[j] += Double(gj)
                                }
                                let meanG = T(sumG / Double(width)), meanGX = T(sumGX / Double(width))
                                for j in 0..<width {
                                    let xhat = (x[base + j] - m) * s
                                    let gw = w.map { g[base + j] * $0[j] } ?? g[base + j]
                                    dx[base + j] = s * (gw - meanG - xhat * meanGX)
                                }
                            }
                        }
                    }
                }
            }
        }
        var dw = [Double](partials.prefix(width)), db = [Double](partials.dropFirst(width).prefix(width))
        for part in 1..<max(parts, 1) {
            for j in 0..<width {
                dw[j] += partials[part * 2 * width + j]
                db[j] += partials[part * 2 * width + width + j]
            }
        }
        var grads: [Tensor?] = [T.elementTensor(dx, shape: inputShape)]
        if w != nil { grads.append(T.elementTensor(dw.map { T($0) }, shape: normalizedShape)) }
        if hasBias { grads.append(T.elementTensor(db.map { T($0) }, shape: normalizedShape)) }
        return grads
    }
}
