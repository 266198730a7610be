import NNVizCore

// MARK: - avg_pool2d

/// 2-D average pooling over NCHW (or CHW) input, like `torch.nn.functional.avg_pool2d` (no divisor
/// override).
///
/// Windows of `kernelSize` move by `stride` (the kernel size when nil) over the input zero-padded by
/// `padding`; each output is its window's mean, dividing by the whole window (padding included) when
/// `countIncludePad`, else by the elements inside the input, as PyTorch's CPU kernel divides (int64
/// input is divided with truncation, as PyTorch's). The graph records `AvgPool2DBackward0`.
///
/// ```swift
/// let y = avgPool2d(x, kernelSize: 3, stride: 2, padding: 1)   // x (N, C, 9, 9) → (N, C, 5, 5)
/// ```
public func avgPool2d(_ input: Tensor, kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                      ceilMode: Bool = false, countIncludePad: Bool = true) -> Tensor {
    let window = PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: 1,
                            ceilMode: ceilMode)
    do { try window.check(input, op: "avg_pool2d") } catch { preconditionFailure("\(error)") }
    let pool = AveragePool(window: window, countIncludePad: countIncludePad)
    switch input.dtype {
    case .float64: return pool.run(Double.self, input)
    case .int64: return pool.run(Double.self, input).to(.int64)
    default: return pool.run(Float.self, input)
    }
}

/// Throws the error ``avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:)`` would stop with.
///
/// ```swift
/// try checkAvgPool2d(Tensor.zeros([2, 4, 2, 2]), kernelSize: 3)
/// // Given input size: (4x2x2). Calculated output size: (4x0x0). Output size is too small
/// ```
public func checkAvgPool2d(_ input: Tensor, kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                           ceilMode: Bool = false) throws {
    try PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: 1, ceilMode: ceilMode)
        .check(input, op: "avg_pool2d")
}

// MARK: - adaptive_avg_pool2d

/// Average pooling to a fixed `outputSize`, like `torch.nn.functional.adaptive_avg_pool2d`: output row i
/// averages input rows ⌊i·H/oh⌋ ..< ⌈(i+1)·H/oh⌉ (likewise for columns), so windows may overlap when the
/// sizes do not divide. An output size of 1 × 1 is the mean over the last two dimensions, recorded as
/// PyTorch records it (`MeanBackward1` over dims (-1, -2), kept); other sizes record
/// `AdaptiveAvgPool2DBackward0`.
///
/// ```swift
/// let pooled = adaptiveAvgPool2d(x, outputSize: 1)        // (N, C, 1, 1)
/// let grid = adaptiveAvgPool2d(x, outputSize: [2, 3])     // (N, C, 2, 3)
/// ```
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: IntOrPair) -> Tensor {
    do { try checkAdaptiveAvgPool2d(input, outputSize: outputSize) } catch { preconditionFailure("\(error)") }
    if outputSize.height == 1 && outputSize.width == 1 { return spatialMean(input) }
    let pool = AdaptivePool(height: input.shape[input.ndim - 2], width: input.shape[input.ndim - 1],
                            outHeight: outputSize.height, outWidth: outputSize.width)
    return input.dtype == .float64 ? pool.run(Double.self, input) : pool.run(Float.self, input)
}

/// Throws the error ``adaptiveAvgPool2d(_:outputSize:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkAdaptiveAvgPool2d(Tensor.zeros([4, 5]), outputSize: 3)
/// // adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [4, 5]
/// ```
public func checkAdaptiveAvgPool2d(_ input: Tensor, outputSize: IntOrPair) throws {
    _ = try adaptiveAvgPool2dShape(input.shape, outputSize: outputSize)
    guard input.dtype.isFloatingPoint else {
        throw TensorError("\"adaptive_avg_pool2d\" not implemented for '\(input.dtype.scalarTypeName)'")
    }
}

/// The shape ``adaptiveAvgPool2d(_:outputSize:)`` gives `shape`, or PyTorch's error.
func adaptiveAvgPool2dShape(_ shape: [Int], outputSize: IntOrPair) throws -> [Int] {
    guard shape.count == 3 || shape.count == 4 else {
        throw TensorError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got \(sizeText(shape))")
    }
    for d in (shape.count - 3)..<shape.count where shape[d] == 0 {
        throw TensorError("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes \(sizeText(shape)) with dimension \(d) being empty")
    }
    guard outputSize.height >= 0 && outputSize.width >= 0 else {
        throw TensorError("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {\(outputSize.height), \(outputSize.width)}")
    }
    return Array(shape.dropLast(2)) + [outputSize.height, outputSize.width]
}

/// The mean over the last two dimensions, kept, recorded as PyTorch's `input.mean({-1, -2}, true)`:
/// `MeanBackward1` whose `dim` prints the negative dims as the unsigned 64-bit numbers PyTorch shows.
private func spatialMean(_ input: Tensor) -> Tensor {
    let output = noGrad { input.mean(dims: [-1, -2], keepdim: true) }
    let saved: [SavedValue] = [
        .attribute("dim", "(18446744073709551615, 18446744073709551614)"),
        .attribute("keepdim", "True"),
        .attribute("self_sym_numel", "\(input.count)"),
        .sizes("self_sym_sizes", input.shape),
    ]
    let inputShape = input.shape, planeSize = Double(input.shape.suffix(2).reduce(1, *))
    return Tensor.function("MeanBackward1", inputs: [input], saved: saved, output: output) { grad in
        [(grad / planeSize).expand(inputShape)]
    }
}

// MARK: - Kernels

/// Average pooling's forward and `AvgPool2DBackward0`, as PyTorch's `cpu_avg_pool` divides.
private struct AveragePool {
    let window: PoolWindow
    let countIncludePad: Bool

    /// For each output: the clamped window (y0, y1, x0, x1) and its divisor; empty windows divide by 0.
    func windows(height h: Int, width w: Int) -> [(Int, Int, Int, Int, Int)] {
        let (oh, ow) = window.outputShape(h, w)
        var result = [(Int, Int, Int, Int, Int)]()
        result.reserveCapacity(oh * ow)
        for oy in 0..<oh {
            for ox in 0..<ow {
                var y0 = oy * window.stride.height - window.padding.height
                var x0 = ox * window.stride.width - window.padding.width
                var y1 = min(y0 + window.kernel.height, h + window.padding.height)
                var x1 = min(x0 + window.kernel.width, w + window.padding.width)
                let poolSize = (y1 - y0) * (x1 - x0)
                (y0, x0, y1, x1) = (max(y0, 0), max(x0, 0), min(y1, h), min(x1, w))
                let divisor = y0 >= y1 || x0 >= x1 ? 0 : (countIncludePad ? poolSize : (y1 - y0) * (x1 - x0))
                result.append((y0, y1, x0, x1, divisor))
            }
        }
        return result
    }

    func run<T: LayerElement>(_: T.Type, _ input: Tensor) -> Tensor {
        let (h, w) = (input.shape[input.ndim - 2], input.shape[input.ndim - 1])
        let (oh, ow) = window.outputShape(h, w)
        let boxes = windows(height: h, width: w)
        let planes = input.count / (h * w)
        let x: [T] = input.dtype == .int64 ? input.scalars.map { T($0) } : T.elementValues(of: input)
        var values = [T](repeating: 0, count: planes * boxes.count)
        for plane in 0..<planes {
            let base = plane * h * w
            for (o, box) in boxes.enumerated() where box.4 > 0 {
                var sum: T = 0
                for y in box.0..<box.1 {
                    for xx in box.2..<box.3 { sum += x[base + y * w + xx] }
                }
                values[plane * boxes.count + o] = sum / T(box.4)
            }
        }
        let outShape = Array(input.shape.dropLast(2)) + [oh, ow]
        let output = T.elementTensor(values, shape: outShape)
        guard input.dtype.isFloatingPoint else { return output }
        let saved: [SavedValue] = [
            .attribute("ceil_mode", window.ceilMode ? "True" : "False"),
            .attribute("count_include_pad", countIncludePad ? "True" : "False"),
            .attribute("divisor_override", "None"),
            .attribute("kernel_size", window.kernel.tupleText),
            .attribute("padding", window.padding.tupleText),
            .tensor("self", shape: input.shape),
            .attribute("stride", window.stride.tupleText),
        ]
        let inputShape = input.shape
        return Tensor.function("AvgPool2DBackward0", inputs: [input], saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dx = [T](repeating: 0, count: planes * h * w)
            for plane in 0..<planes {
                let base = plane * h * w
                for (o, box) in boxes.enumerated() where box.4 > 0 {
                    let share = g[plane * boxes.count + o] / T(box.4)
                    for y in box.0..<box.1 {
                        for xx in box.2..<box.3 { dx[base + y * w + xx] += share }
                    }
                }
            }
            return [T.elementTensor(dx, shape: inputShape)]
        }
    }
}

/// Adaptive average pooling's forward and `AdaptiveAvgPool2DBackward0`.
private struct AdaptivePool {
    let height, width, outHeight, outWidth: Int

    /// PyTorch's `start_index` and `end_index`: ⌊i·size/out⌋ ..< ⌈(i+1)·size/out⌉.
    func span(_ i: Int, size: Int, out: Int) -> Range<Int> {
        (i * size / out)..<(((i + 1) * size + out - 1) / out)
    }

    func run<T: LayerElement>(_: T.Type, _ input: Tensor) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let planeSize = height * width, planes = input.count / planeSize
        let rows = (0..<outHeight).map { span($0, size: height, out: outHeight) }
        let columns = (0..<outWidth).map { span($0, size: width, out: outWidth) }
        var values = [T](repeating: 0, count: planes * outHeight * outWidth)
        var o = 0
        for plane in 0..<planes {
            let base = plane * planeSize
            for ys in rows {
                for xs in columns {
                    var sum: T = 0
                    for y in ys {
                        for xx in xs { sum += x[base + y * width + xx] }
                    }
                    values[o] = sum / T(ys.count * xs.count)
                    o += 1
                }
            }
        }
        let output = T.elementTensor(values, shape: Array(input.shape.dropLast(2)) + [outHeight, outWidth])
        let inputShape = input.shape
        return Tensor.function("AdaptiveAvgPool2DBackward0", inputs: [input], saved: [.tensor("self", shape: input.shape)],
                               output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dx = [T](repeating: 0, count: planes * planeSize)
            var o = 0
            for plane in 0..<planes {
                let base = plane * planeSize
                for ys in rows {
                    for xs in columns {
                        let share = g[o] / T(ys.count * xs.count)
                        for y in ys {
                            for xx in xs { dx[base + y * width + xx] += share }
                        }
                        o += 1
                    }
                }
            }
            return [T.elementTensor(dx, shape: inputShape)]
        }
    }
}
