import NNVizCore

// MARK: - max_pool2d

/// 2-D max pooling over NCHW (or CHW) input, like `torch.nn.functional.max_pool2d`.
///
/// Windows of `kernelSize` (spaced by `dilation`) move by `stride` (the kernel size when nil) over the
/// input padded with −∞; each output is the window's largest element, the first one on ties and NaN
/// when the window holds one, as PyTorch's CPU kernel picks (int64 input is pooled through doubles, exact
/// up to 2⁵³). The graph records
/// `MaxPool2DWithIndicesBackward0`, which sends each output's gradient to the element it came from.
///
/// ```swift
/// let y = maxPool2d(x, kernelSize: 2)      // (N, C, H/2, W/2)
/// ```
public func maxPool2d(_ input: Tensor, kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                      dilation: IntOrPair = 1, ceilMode: Bool = false) -> Tensor {
    let window = PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation,
                            ceilMode: ceilMode)
    do { try window.check(input) } catch { preconditionFailure("\(error)") }
    switch input.dtype {
    case .float64: return window.pool(Double.self, input)
    case .int64: return window.pool(Double.self, input).to(.int64)
    default: return window.pool(Float.self, input)
    }
}

/// Throws the error ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` would stop with.
///
/// ```swift
/// try checkMaxPool2d(Tensor.zeros([1, 1, 1, 1]), kernelSize: 2)
/// // Given input size: (1x1x1). Calculated output size: (1x0x0). Output size is too small
/// ```
public func checkMaxPool2d(_ input: Tensor, kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0,
                           dilation: IntOrPair = 1, ceilMode: Bool = false) throws {
    try PoolWindow(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation,
                   ceilMode: ceilMode).check(input)
}

// MARK: - Kernel

/// The pooling window and the output sizes it gives, computed as PyTorch's `pooling_output_shape`.
struct PoolWindow {
    let kernel, stride, padding, dilation: IntOrPair
    let ceilMode: Bool

    func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        let span = size + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
        var out = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1
        if ceilMode && (out - 1) * stride >= size + padding { out -= 1 }
        return out
    }

    func outputShape(_ height: Int, _ width: Int) -> (Int, Int) {
        (outputSize(height, kernel: kernel.height, stride: stride.height, padding: padding.height, dilation: dilation.height),
         outputSize(width, kernel: kernel.width, stride: stride.width, padding: padding.width, dilation: dilation.width))
    }

    func check(_ input: Tensor, op: String = "max_pool2d") throws {
        _ = try outputShape(input: input.shape)
        guard input.dtype != .bool else {
            throw TensorError("\"\(op)\" not implemented for '\(input.dtype.scalarTypeName)'")
        }
    }

    /// The pooled shape of `input`, or PyTorch's error for the wrong rank, too much padding or a window
    /// larger than the input.
    func outputShape(input: [Int]) throws -> [Int] {
        guard (input.count == 3 || input.count == 4) && !input.contains(0) else {
            throw TensorError("non-empty 3D or 4D (batch mode) tensor expected for input")
        }
        for (k, p, d) in [(kernel.height, padding.height, dilation.height), (kernel.width, padding.width, dilation.width)]
        where p > ((k - 1) * d + 1) / 2 {
            throw TensorError("pad should be at most half of effective kernel size, but got pad=\(p), kernel_size=\(k) and dilation=\(d)")
        }
        let (c, h, w) = (input[input.count - 3], input[input.count - 2], input[input.count - 1])
        let (oh, ow) = outputShape(h, w)
        if oh < 1 || ow < 1 {
            throw TensorError("Given input size: (\(c)x\(h)x\(w)). Calculated output size: (\(c)x\(oh)x\(ow)). Output size is too small")
        }
        return Array(input.dropLast(2)) + [oh, ow]
    }

    /// Forward and `MaxPool2DWithIndicesBackward0` in element type `T`.
    func pool<T: LayerElement>(_: T.Type, _ input: Tensor) -> Tensor {
        let (h, w) = (input.shape[input.ndim - 2], input.shape[input.ndim - 1])
        let (oh, ow) = outputShape(h, w)
        let planes = input.count / (h * w)
        let x: [T] = T.elementValues(of: input)
        var values = [T](repeating: 0, count: planes * oh * ow)
        var argmax = [Int](repeating: 0, count: values.count)
        var o = 0
        for plane in 0..<planes {
            let base = plane * h * w
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var y0 = oy * stride.height - padding.height, x0 = ox * stride.width - padding.width
                    let y1 = min(y0 + (kernel.height - 1) * dilation.height + 1, h)
                    let x1 = min(x0 + (kernel.width - 1) * dilation.width + 1, w)
                    while y0 < 0 { y0 += dilation.height }
                    while x0 < 0 { x0 += dilation.width }
                    var best = y0 * w + x0
                    var maximum = -T.infinity
                    for y in Swift.stride(from: y0, to: y1, by: dilation.height) {
                        for xx in Swift.stride(from: x0, to: x1, by: dilation.width) {
                            let v = x[base + y * w + xx]
                            if v > maximum || v.isNaN {
                                maximum = v
                                best = y * w + xx
                            }
                        }
                    }
                    values[o] = maximum
                    argmax[o] = best
                    o += 1
                }
            }
        }
        let outShape = Array(input.shape.dropLast(2)) + [oh, ow]
        let output = T.elementTensor(values, shape: outShape)
        let saved: [SavedValue] = [
            .attribute("ceil_mode", ceilMode ? "True" : "False"),
            .attribute("dilation", dilation.tupleText),
            .attribute("kernel_size", kernel.tupleText),
            .attribute("padding", padding.tupleText),
            .tensor("result1", shape: outShape, dtype: .int64),
            .tensor("self", shape: input.shape),
            .attribute("stride", stride.tupleText),
        ]
        let inputShape = input.shape, perPlane = oh * ow, planeSize = h * w
        return Tensor.function("MaxPool2DWithIndicesBackward0", inputs: [input], saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dx = [T](repeating: 0, count: planes * planeSize)
            for i in 0..<g.count { dx[(i / perPlane) * planeSize + argmax[i]] += g[i] }
            return [T.elementTensor(dx, shape: inputShape)]
        }
    }
}
