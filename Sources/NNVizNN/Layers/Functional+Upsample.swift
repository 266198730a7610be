import NNVizCore

// MARK: - upsample nearest

/// Nearest-neighbour upsampling of NCHW `input` by `scaleFactor`, like
/// `torch.nn.functional.interpolate(input, scale_factor=s, mode='nearest')`: the output is ⌊H·s⌋ × ⌊W·s⌋
/// and output row i copies input row min(⌊i · float(1/s)⌋, H − 1) (columns likewise), the index PyTorch's
/// CPU kernel computes. The graph records `UpsampleNearest2DBackward0`, which sums each output's gradient
/// back onto the element it copied.
///
/// ```swift
/// let y = upsampleNearest2d(Tensor.randn([1, 3, 8, 8]), scaleFactor: 2)   // (1, 3, 16, 16)
/// ```
public func upsampleNearest2d(_ input: Tensor, scaleFactor: Double) -> Tensor {
    do { try checkUpsampleNearest2d(input, scaleFactor: scaleFactor) } catch { preconditionFailure("\(error)") }
    let outShape = try! upsampleNearest2dShape(input.shape, scaleFactor: scaleFactor)
    let (h, w, oh, ow) = (input.shape[2], input.shape[3], outShape[2], outShape[3])
    let rows = nearestSources(count: oh, inputSize: h, scaleFactor: scaleFactor)
    let columns = nearestSources(count: ow, inputSize: w, scaleFactor: scaleFactor)
    func run<T: LayerElement>(_: T.Type) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let planes = input.count / (h * w)
        var values = [T]()
        values.reserveCapacity(planes * oh * ow)
        for plane in 0..<planes {
            for y in rows {
                let base = (plane * h + y) * w
                for xx in columns { values.append(x[base + xx]) }
            }
        }
        let output = T.elementTensor(values, shape: outShape)
        let saved: [SavedValue] = [
            .sizes("output_size", [oh, ow]),
            .attribute("scales_h", pythonFloat(scaleFactor)),
            .attribute("scales_w", pythonFloat(scaleFactor)),
            .sizes("self_sym_sizes", input.shape),
        ]
        let inputShape = input.shape
        return Tensor.function("UpsampleNearest2DBackward0", inputs: [input], saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dx = [T](repeating: 0, count: planes * h * w)
            var o = 0
            for plane in 0..<planes {
                for y in rows {
                    let base = (plane * h + y) * w
                    for xx in columns {
                        dx[base + xx] += g[o]
                        o += 1
                    }
                }
            }
            return [T.elementTensor(dx, shape: inputShape)]
        }
    }
    return input.dtype == .float64 ? run(Double.self) : run(Float.self)
}

/// Throws the error ``upsampleNearest2d(_:scaleFactor:)`` would stop with.
///
/// ```swift
/// try checkUpsampleNearest2d(Tensor.zeros([4, 5]), scaleFactor: 2)
/// // Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | …
/// ```
public func checkUpsampleNearest2d(_ input: Tensor, scaleFactor: Double) throws {
    _ = try upsampleNearest2dShape(input.shape, scaleFactor: scaleFactor)
    guard input.dtype.isFloatingPoint else {
        throw TensorError("\"upsample_nearest2d_channels_last\" not implemented for '\(input.dtype.scalarTypeName)'")
    }
}

/// The shape ``upsampleNearest2d(_:scaleFactor:)`` gives `shape`, or the error for it.
func upsampleNearest2dShape(_ shape: [Int], scaleFactor: Double) throws -> [Int] {
    guard (3...5).contains(shape.count) else {
        throw TensorError("Input Error: Only 3D, 4D and 5D input Tensors supported (got \(shape.count)D) for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got nearest)")
    }
    guard shape.count == 4 else {
        throw TensorError("upsample: nnviz upsamples 4D (N, C, H, W) input, got \(shape.count)D input of size \(sizeText(shape))")
    }
    guard scaleFactor > 0 else {
        throw TensorError("upsample: scale_factor must be positive, got \(pythonFloat(scaleFactor))")
    }
    let oh = Int((Double(shape[2]) * scaleFactor).rounded(.down)), ow = Int((Double(shape[3]) * scaleFactor).rounded(.down))
    guard oh > 0 && ow > 0 else {
        throw TensorError("Input and output sizes should be greater than 0, but got input (H: \(shape[2]), W: \(shape[3])) output (H: \(oh), W: \(ow))")
    }
    return [shape[0], shape[1], oh, ow]
}

/// PyTorch's `nearest_idx` for every output index: the same index when the size is kept, half of it when
/// doubled, else ⌊i · float(1/s)⌋ clamped to the input.
private func nearestSources(count: Int, inputSize: Int, scaleFactor: Double) -> [Int] {
    if count == inputSize { return Array(0..<count) }
    if count == 2 * inputSize { return (0..<count).map { $0 >> 1 } }
    let scale = Float(1 / scaleFactor)
    return (0..<count).map { min(Int((Float($0) * scale).rounded(.down)), inputSize - 1) }
}
