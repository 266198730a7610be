import NNVizCore

// MARK: - conv2d

/// 2-D convolution of NCHW `input` (or unbatched CHW) with `weight` (out × in × kh × kw) and an optional
/// `bias`, like `torch.nn.functional.conv2d` with `groups=1`.
///
/// The product runs as im2col followed by one BLAS matrix product; the graph records PyTorch's
/// `ConvolutionBackward0` with its saved attributes (`stride`, `padding`, `dilation`, …). An unbatched
/// input is unsqueezed and the result squeezed, as PyTorch does. A rank, channel, size or dtype that does
/// not fit stops with PyTorch's message; ``checkConv2d(_:_:_:stride:padding:dilation:)`` throws it instead.
///
/// ```swift
/// let y = conv2d(x, conv.weight!, conv.bias, stride: 1, padding: 1)   // (N, out, H, W)
/// ```
public func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                   padding: IntOrPair = 0, dilation: IntOrPair = 1) -> Tensor {
    do { try checkConv2d(input, weight, bias, stride: stride, padding: padding, dilation: dilation) } catch {
        preconditionFailure("\(error)")
    }
    if input.ndim == 3 {
        return conv2d(input.unsqueeze(0), weight, bias, stride: stride, padding: padding, dilation: dilation).squeeze(0)
    }
    let geometry = ConvGeometry(input: input.shape, weight: weight.shape, stride: stride, padding: padding,
                                dilation: dilation)
    return input.dtype == .float64
        ? geometry.convolve(Double.self, input, weight, bias)
        : geometry.convolve(Float.self, input, weight, bias)
}

/// Throws the error ``conv2d(_:_:_:stride:padding:dilation:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkConv2d(Tensor.zeros([1, 3, 8, 8]), conv.weight!, conv.bias)
/// // Given groups=1, weight of size [2, 1, 3, 3], expected input[1, 3, 8, 8] to have 1 channels, but got 3 channels instead
/// ```
public func checkConv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                        padding: IntOrPair = 0, dilation: IntOrPair = 1) throws {
    _ = try Conv2d.outputShape(input: input.shape, inChannels: weight.shape[1], outChannels: weight.shape[0],
                               kernelSize: IntOrPair((weight.shape[2], weight.shape[3])), stride: stride,
                               padding: padding, dilation: dilation)
    if let bias, input.dtype != bias.dtype {
        throw TensorError("Input type (\(cTypeName(input.dtype))) and bias type (\(cTypeName(bias.dtype))) should be the same")
    }
    if input.dtype != weight.dtype {
        throw TensorError("expected scalar type \(input.dtype.scalarTypeName) but found \(weight.dtype.scalarTypeName)")
    }
}

/// PyTorch's size text in messages: `[2, 1, 3, 3]`.
func sizeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

/// The C type name PyTorch's convolution messages use for a dtype.
private func cTypeName(_ dtype: DType) -> String {
    switch dtype {
    case .float32: return "float"
    case .float64: return "double"
    case .int64: return "long int"
    case .bool: return "bool"
    }
}

// MARK: - Kernel

/// Sizes of one batched convolution: input N×C×H×W, weight O×C×kh×kw, output N×O×oh×ow.
private struct ConvGeometry {
    let batch, channels, height, width: Int
    let outChannels, kernelHeight, kernelWidth: Int
    let stride, padding, dilation: IntOrPair
    let outHeight, outWidth: Int

    init(input: [Int], weight: [Int], stride: IntOrPair, padding: IntOrPair, dilation: IntOrPair) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (outChannels, kernelHeight, kernelWidth) = (weight[0], weight[2], weight[3])
        (self.stride, self.padding, self.dilation) = (stride, padding, dilation)
        outHeight = (height + 2 * padding.height - dilation.height * (kernelHeight - 1) - 1) / stride.height + 1
        outWidth = (width + 2 * padding.width - dilation.width * (kernelWidth - 1) - 1) / stride.width + 1
    }

    /// Output positions per image.
    var positions: Int { outHeight * outWidth }
    /// Elements of one receptive field (a row of the column matrix).
    var patch: Int { channels * kernelHeight * kernelWidth }

    /// For every (output position, patch element): the flat input index it reads, or -1 in the padding.
    /// Rows are output positions of image 0; image n adds n·C·H·W.
    func patchIndices() -> [Int] {
        var indices = [Int](repeating: -1, count: positions * patch)
        var i = 0
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                for c in 0..<channels {
                    for ky in 0..<kernelHeight {
                        let y = oy * stride.height - padding.height + ky * dilation.height
                        for kx in 0..<kernelWidth {
                            let x = ox * stride.width - padding.width + kx * dilation.width
                            if y >= 0 && y < height && x >= 0 && x < width { indices[i] = (c * height + y) * width + x }
                            i += 1
                        }
                    }
                }
            }
        }
        return indices
    }

    /// The column matrix (N·oh·ow) × (C·kh·kw) of `x`.
    func columns<T: LayerElement>(_ x: [T], _ indices: [Int]) -> [T] {
        let image = channels * height * width
        var cols = [T](repeating: 0, count: batch * indices.count)
        cols.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { src in
                for n in 0..<batch {
                    let base = n * image, row = n * indices.count
                    for (j, index) in indices.enumerated() where index >= 0 { out[row + j] = src[base + index] }
                }
            }
        }
        return cols
    }

    /// Adds each column-matrix gradient back onto the input element it was read from (col2im).
    func scatterColumns<T: LayerElement>(_ cols: [T], _ indices: [Int]) -> [T] {
        let image = channels * height * width
        var dx = [T](repeating: 0, count: batch * image)
        dx.withUnsafeMutableBufferPointer { out in
            cols.withUnsafeBufferPointer { src in
                for n in 0..<batch {
                    let base = n * image, row = n * indices.count
                    for (j, index) in indices.enumerated() where index >= 0 { out[base + index] += src[row + j] }
                }
            }
        }
        return dx
    }

    /// Reorders (N·L) × O rows into N × O × L, or back with `inverse`.
    func regroup<T>(_ values: [T], inverse: Bool = false) -> [T] {
        var out = values
        let l = positions
        for n in 0..<batch {
            for p in 0..<l {
                for o in 0..<outChannels {
                    let rowMajor = (n * l + p) * outChannels + o, planar = (n * outChannels + o) * l + p
                    if inverse { out[rowMajor] = values[planar] } else { out[planar] = values[rowMajor] }
                }
            }
        }
        return out
    }

    /// Reorders N × O × L into O × (N·L): each output channel's gradient over all positions.
    func channelRows<T>(_ values: [T]) -> [T] {
        var out = [T]()
        out.reserveCapacity(values.count)
        let l = positions
        for o in 0..<outChannels {
            for n in 0..<batch { out.append(contentsOf: values[((n * outChannels + o) * l)..<((n * outChannels + o + 1) * l)]) }
        }
        return out
    }

    /// Forward and `ConvolutionBackward0` in element type `T`.
    func convolve<T: LayerElement>(_: T.Type, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        let indices = patchIndices()
        let cols = T.elementTensor(columns(T.elementValues(of: input), indices), shape: [batch * positions, patch])
        let kernel = weight.detach().view([outChannels, patch])
        let rows: Tensor = noGrad {
            let kernelT = kernel.t()
            if let bias { return addmm(bias.detach(), cols, kernelT) }
            return cols.mm(kernelT)
        }
        let outShape = [batch, outChannels, outHeight, outWidth]
        let output = T.elementTensor(regroup(T.elementValues(of: rows)), shape: outShape)
        let saved: [SavedValue] = [
            .attribute("bias_sym_sizes_opt", pythonTuple([bias?.count ?? 0])),
            .attribute("dilation", dilation.tupleText),
            .attribute("groups", "1"),
            .tensor("input", shape: input.shape),
            .attribute("output_padding", "(0, 0)"),
            .attribute("padding", padding.tupleText),
            .attribute("stride", stride.tupleText),
            .attribute("transposed", "False"),
            .tensor("weight", shape: weight.shape),
        ]
        let needInput = input.requiresGrad, needWeight = weight.requiresGrad
        let weightShape = weight.shape, inputShape = input.shape, hasBias = bias != nil
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.function("ConvolutionBackward0", inputs: inputs, saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            let gRows = T.elementTensor(regroup(g, inverse: true), shape: [batch * positions, outChannels])
            var grads: [Tensor?] = [nil, nil]
            if needInput {
                let dCols: [T] = T.elementValues(of: gRows.mm(kernel))
                grads[0] = T.elementTensor(scatterColumns(dCols, indices), shape: inputShape)
            }
            if needWeight {
                let gChannels = T.elementTensor(channelRows(g), shape: [outChannels, batch * positions])
                grads[1] = gChannels.mm(cols).view(weightShape)
            }
            if hasBias {
                grads.append(sumOverRows(gRows))
            }
            return grads
        }
    }
}
