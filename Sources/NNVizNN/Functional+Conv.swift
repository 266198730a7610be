import NNVizCore

// MARK: - conv2d

/// 2-D convolution of NCHW `input` (or unbatched CHW) with `weight` (out × in/groups × kh × kw) and an
/// optional `bias`, like `torch.nn.functional.conv2d`.
///
/// Each image runs as im2col followed by one BLAS matrix product per group; the graph records PyTorch's
/// `ConvolutionBackward0` with its saved attributes (`stride`, `padding`, `dilation`, `groups`, …). An
/// unbatched input gives an unbatched result, as in PyTorch. A rank, channel, size or dtype that does not
/// fit stops with PyTorch's message; ``checkConv2d(_:_:_:stride:padding:dilation:groups:)`` throws it instead.
///
/// ```swift
/// let y = conv2d(x, conv.weight!, conv.bias, stride: 1, padding: 1)   // (N, out, H, W)
/// let depthwise = conv2d(x, Tensor.randn([8, 1, 3, 3]), groups: 8)   // x: (N, 8, H, W)
/// ```
public func conv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                   padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: Int = 1) -> Tensor {
    let options = ConvOptions(spatial: 2, transposed: false, stride: stride, padding: padding, dilation: dilation,
                              outputPadding: 0, groups: groups)
    return convolution(input, weight, bias, options)
}

/// Throws the error ``conv2d(_:_:_:stride:padding:dilation:groups:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkConv2d(Tensor.zeros([1, 3, 8, 8]), conv.weight!, conv.bias)
/// // Given groups=1, weight of size [2, 1, 3, 3], expected input[1, 3, 8, 8] to have 1 channels, but got 3 channels instead
/// ```
public func checkConv2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                        padding: IntOrPair = 0, dilation: IntOrPair = 1, groups: Int = 1) throws {
    try ConvOptions(spatial: 2, transposed: false, stride: stride, padding: padding, dilation: dilation,
                    outputPadding: 0, groups: groups).check(input, weight, bias)
}

// MARK: - conv1d

/// 1-D convolution of (N, C, L) `input` (or unbatched (C, L)) with `weight` (out × in/groups × k), like
/// `torch.nn.functional.conv1d`; records `ConvolutionBackward0` with one-element tuples as PyTorch does.
///
/// ```swift
/// let y = conv1d(Tensor.randn([2, 4, 10]), Tensor.randn([6, 2, 3]), stride: 2, groups: 2)   // (2, 6, 4)
/// ```
public func conv1d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   dilation: Int = 1, groups: Int = 1) -> Tensor {
    convolution(input, weight, bias, ConvOptions.oneDimensional(stride: stride, padding: padding, dilation: dilation,
                                                                outputPadding: 0, groups: groups, transposed: false))
}

/// Throws the error ``conv1d(_:_:_:stride:padding:dilation:groups:)`` would stop with, worded as PyTorch's.
///
/// ```swift
/// try checkConv1d(Tensor.zeros([2, 3, 5]), Tensor.zeros([8, 4, 3]))
/// // Given groups=1, weight of size [8, 4, 3], expected input[2, 3, 5] to have 4 channels, but got 3 channels instead
/// ```
public func checkConv1d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                        dilation: Int = 1, groups: Int = 1) throws {
    try ConvOptions.oneDimensional(stride: stride, padding: padding, dilation: dilation, outputPadding: 0, groups: groups,
                                   transposed: false).check(input, weight, bias)
}

// MARK: - conv_transpose2d

/// 2-D transposed convolution (the gradient of a convolution with respect to its input) of NCHW `input`
/// with `weight` (in × out/groups × kh × kw), like `torch.nn.functional.conv_transpose2d`. The output is
/// (H − 1)·stride − 2·padding + dilation·(kh − 1) + output_padding + 1 high (and as wide); the graph
/// records `ConvolutionBackward0` with `transposed=True`.
///
/// ```swift
/// let up = convTranspose2d(x, w, stride: 2, padding: 1, outputPadding: 1)   // (N, out, 2H, 2W) for kh = 3
/// ```
public func convTranspose2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                            padding: IntOrPair = 0, outputPadding: IntOrPair = 0, groups: Int = 1,
                            dilation: IntOrPair = 1) -> Tensor {
    convolution(input, weight, bias, ConvOptions(spatial: 2, transposed: true, stride: stride, padding: padding,
                                                 dilation: dilation, outputPadding: outputPadding, groups: groups))
}

/// Throws the error ``convTranspose2d(_:_:_:stride:padding:outputPadding:groups:dilation:)`` would stop with.
///
/// ```swift
/// try checkConvTranspose2d(Tensor.zeros([2, 3, 5, 5]), Tensor.zeros([4, 8, 3, 3]))
/// // Given transposed=1, weight of size [4, 8, 3, 3], expected input[2, 3, 5, 5] to have 4 channels, but got 3 channels instead
/// ```
public func checkConvTranspose2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: IntOrPair = 1,
                                 padding: IntOrPair = 0, outputPadding: IntOrPair = 0, groups: Int = 1,
                                 dilation: IntOrPair = 1) throws {
    try ConvOptions(spatial: 2, transposed: true, stride: stride, padding: padding, dilation: dilation,
                    outputPadding: outputPadding, groups: groups).check(input, weight, bias)
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

// MARK: - Options and shapes

/// A convolution's hyper-parameters. One-dimensional convolutions run as two-dimensional ones of height
/// 1 (kernel height 1, stride 1, no padding) and print their attributes as one-element tuples.
struct ConvOptions {
    let spatial: Int
    let transposed: Bool
    let stride, padding, dilation, outputPadding: IntOrPair
    let groups: Int

    static func oneDimensional(stride: Int, padding: Int, dilation: Int, outputPadding: Int, groups: Int,
                               transposed: Bool) -> ConvOptions {
        ConvOptions(spatial: 1, transposed: transposed, stride: IntOrPair((1, stride)), padding: IntOrPair((0, padding)),
                    dilation: IntOrPair((1, dilation)), outputPadding: IntOrPair((0, outputPadding)), groups: groups)
    }

    var name: String { transposed ? "conv_transpose\(spatial)d" : "conv\(spatial)d" }

    /// PyTorch's tuple text of one option: `(2, 2)`, or `(2,)` for one dimension.
    func tuple(_ value: IntOrPair) -> String { spatial == 1 ? "(\(value.width),)" : value.tupleText }

    /// The output shape of `input` convolved with a weight of `weight`'s shape, or PyTorch's error.
    func outputShape(input: [Int], weight: [Int]) throws -> [Int] {
        guard input.count == spatial + 1 || input.count == spatial + 2 else {
            throw TensorError("Expected \(spatial + 1)D (unbatched) or \(spatial + 2)D (batched) input to \(name), but got input of size: \(sizeText(input))")
        }
        let batched = input.count == spatial + 2 ? input : [1] + input
        if weight[0] % groups != 0 {
            throw TensorError("Given groups=\(groups), expected weight to be divisible by \(groups) at dimension 0, but got weight of size \(sizeText(weight)) instead")
        }
        let expected = transposed ? weight[0] : weight[1] * groups
        if batched[1] != expected {
            let given = transposed ? "transposed=1" : "groups=\(groups)"
            throw TensorError("Given \(given), weight of size \(sizeText(weight)), expected input\(sizeText(batched)) to have \(expected) channels, but got \(batched[1]) channels instead")
        }
        let kernel = spatial == 1 ? (1, weight[2]) : (weight[2], weight[3])
        let size = spatial == 1 ? (1, batched[2]) : (batched[2], batched[3])
        let outChannels = transposed ? weight[1] * groups : weight[0]
        let out: (Int, Int)
        if transposed {
            for (o, s, d) in [(outputPadding.height, stride.height, dilation.height), (outputPadding.width, stride.width, dilation.width)]
            where o >= s && o >= d {
                throw TensorError("output padding must be smaller than either stride or dilation, but got output_padding_height: \(outputPadding.height) output_padding_width: \(outputPadding.width) stride_height: \(stride.height) stride_width: \(stride.width) dilation_height: \(dilation.height) dilation_width: \(dilation.width)")
            }
            out = ((size.0 - 1) * stride.height - 2 * padding.height + dilation.height * (kernel.0 - 1) + outputPadding.height + 1,
                   (size.1 - 1) * stride.width - 2 * padding.width + dilation.width * (kernel.1 - 1) + outputPadding.width + 1)
            if out.0 < 1 || out.1 < 1 {
                throw TensorError("\(name): the output size (\(spatial == 1 ? "\(out.1)" : "\(out.0) x \(out.1)")) is not positive for input\(sizeText(batched))")
            }
        } else {
            let padded = (size.0 + 2 * padding.height, size.1 + 2 * padding.width)
            let span = (dilation.height * (kernel.0 - 1) + 1, dilation.width * (kernel.1 - 1) + 1)
            if padded.0 < span.0 || padded.1 < span.1 {
                let paddedText = spatial == 1 ? "\(padded.1)" : "\(padded.0) x \(padded.1)"
                let kernelText = spatial == 1 ? "\(span.1)" : "\(span.0) x \(span.1)"
                throw TensorError("Calculated padded input size per channel: (\(paddedText)). Kernel size: (\(kernelText)). Kernel size can't be greater than actual input size")
            }
            out = ((padded.0 - span.0) / stride.height + 1, (padded.1 - span.1) / stride.width + 1)
        }
        let spatialOut = spatial == 1 ? [out.1] : [out.0, out.1]
        return (input.count == spatial + 2 ? [batched[0]] : []) + [outChannels] + spatialOut
    }

    func check(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?) throws {
        _ = try outputShape(input: input.shape, weight: weight.shape)
        if let bias, input.dtype != bias.dtype {
            throw TensorError("Input type (\(cTypeName(input.dtype))) and bias type (\(cTypeName(bias.dtype))) should be the same")
        }
        if input.dtype != weight.dtype {
            throw TensorError("expected scalar type \(input.dtype.scalarTypeName) but found \(weight.dtype.scalarTypeName)")
        }
    }
}

/// Runs one convolution after checking it, unsqueezing an unbatched input and squeezing the result.
private func convolution(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?, _ options: ConvOptions) -> Tensor {
    do { try options.check(input, weight, bias) } catch { preconditionFailure("\(error)") }
    if input.ndim == options.spatial + 1 {
        return convolution(input.unsqueeze(0), weight, bias, options).squeeze(0)
    }
    let plan = ConvPlan(input: input.shape, weight: weight.shape, options: options)
    return input.dtype == .float64
        ? plan.run(Double.self, input, weight, bias)
        : plan.run(Float.self, input, weight, bias)
}

// MARK: - Kernel

/// One batched convolution, in the terms of im2col: an "image" side (C × H × W per sample: a
/// convolution's input, a transposed convolution's output) and a "columns" side of `positions`
/// receptive fields (a convolution's output positions, a transposed convolution's input positions).
private struct ConvPlan {
    let options: ConvOptions
    let batch, groups: Int
    let imageChannels, height, width: Int
    let fieldChannels, fieldHeight, fieldWidth: Int
    let kernelHeight, kernelWidth: Int
    let outShape: [Int]

    init(input: [Int], weight: [Int], options: ConvOptions) {
        self.options = options
        outShape = try! options.outputShape(input: input, weight: weight)
        let one = options.spatial == 1
        let inSize = one ? (1, input[2]) : (input[2], input[3])
        let outSize = one ? (1, outShape[2]) : (outShape[2], outShape[3])
        (kernelHeight, kernelWidth) = one ? (1, weight[2]) : (weight[2], weight[3])
        batch = input[0]
        groups = options.groups
        if options.transposed {
            (imageChannels, height, width) = (outShape[1], outSize.0, outSize.1)
            (fieldChannels, fieldHeight, fieldWidth) = (input[1], inSize.0, inSize.1)
        } else {
            (imageChannels, height, width) = (input[1], inSize.0, inSize.1)
            (fieldChannels, fieldHeight, fieldWidth) = (outShape[1], outSize.0, outSize.1)
        }
    }

    var positions: Int { fieldHeight * fieldWidth }
    var imageSize: Int { imageChannels * height * width }
    /// Rows of the column matrix: one per (image channel, ky, kx).
    var columnRows: Int { imageChannels * kernelHeight * kernelWidth }

    /// The output positions `o` in 0..<count whose source `o·stride + offset` lies in 0..<size.
    private func validRange(offset: Int, stride: Int, size: Int, count: Int) -> Range<Int> {
        let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = size - 1 - offset
        let upper = last < 0 ? 0 : min(count, last / stride + 1)
        return lower..<max(lower, upper)
    }

    /// Calls `body(row offset in the column matrix, image offset, valid ox range, image x of ox = 0)` for every
    /// (channel, ky, kx, oy) whose image row exists.
    private func forEachRow(_ body: (Int, Int, Range<Int>, Int) -> Void) {
        let stride = options.stride, padding = options.padding, dilation = options.dilation
        for c in 0..<imageChannels {
            for ky in 0..<kernelHeight {
                let rowsY = validRange(offset: ky * dilation.height - padding.height, stride: stride.height, size: height,
                                       count: fieldHeight)
                for kx in 0..<kernelWidth {
                    let row = ((c * kernelHeight + ky) * kernelWidth + kx) * positions
                    let offsetX = kx * dilation.width - padding.width
                    let columns = validRange(offset: offsetX, stride: stride.width, size: width, count: fieldWidth)
                    if columns.isEmpty { continue }
                    for oy in rowsY {
                        let y = oy * stride.height + ky * dilation.height - padding.height
                        body(row + oy * fieldWidth, (c * height + y) * width, columns, offsetX)
                    }
                }
            }
        }
    }

    /// Writes the column matrix (columnRows × positions) of one image; the caller zeroed `cols`.
    func im2col<T: LayerElement>(_ image: UnsafePointer<T>, _ cols: UnsafeMutablePointer<T>) {
        let sx = options.stride.width
        forEachRow { row, base, columns, offsetX in
            if sx == 1 {
                (cols + row + columns.lowerBound).update(from: image + base + columns.lowerBound + offsetX, count: columns.count)
            } else {
                for ox in columns { cols[row + ox] = image[base + ox * sx + offsetX] }
            }
        }
    }

    /// Adds every column-matrix entry back onto the image element it was read from (col2im).
    func col2im<T: LayerElement>(_ cols: UnsafePointer<T>, _ image: UnsafeMutablePointer<T>) {
        let sx = options.stride.width
        forEachRow { row, base, columns, offsetX in
            if sx == 1 {
                let target = image + base + offsetX, source = cols + row
                for ox in columns { target[ox] += source[ox] }
            } else {
                for ox in columns { image[base + ox * sx + offsetX] += cols[row + ox] }
            }
        }
    }

    /// Forward and `ConvolutionBackward0` in element type `T`.
    func run<T: LayerElement>(_: T.Type, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let w: [T] = T.elementValues(of: weight)
        let outChannels = outShape[1]
        let fieldSize = fieldChannels * positions
        // Per group: the weight block is (fieldChannels/groups) × (columnRows/groups) for both directions,
        // stored out × in/g × k for a convolution and in × out/g × k for a transposed one.
        let fieldPerGroup = fieldChannels / groups, rowsPerGroup = columnRows / groups
        let weightPerGroup = fieldPerGroup * rowsPerGroup
        var y = [T](repeating: 0, count: batch * (options.transposed ? imageSize : fieldSize))
        var cols = [T](repeating: 0, count: options.transposed ? columnRows * positions : batch * columnRows * positions)
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    cols.withUnsafeMutableBufferPointer { cols in
                        for n in 0..<batch {
                            if options.transposed {
                                let xn = x.baseAddress! + n * fieldSize
                                for g in 0..<groups {
                                    T.gemm(transA: true, transB: false, m: rowsPerGroup, n: positions, k: fieldPerGroup,
                                           a: w.baseAddress! + g * weightPerGroup, lda: rowsPerGroup,
                                           b: xn + g * fieldPerGroup * positions, ldb: positions, beta: 0,
                                           c: cols.baseAddress! + g * rowsPerGroup * positions, ldc: positions)
                                }
                                col2im(UnsafePointer(cols.baseAddress!), y.baseAddress! + n * imageSize)
                            } else {
                                let cn = cols.baseAddress! + n * columnRows * positions
                                im2col(x.baseAddress! + n * imageSize, cn)
                                for g in 0..<groups {
                                    T.gemm(transA: false, transB: false, m: fieldPerGroup, n: positions, k: rowsPerGroup,
                                           a: w.baseAddress! + g * weightPerGroup, lda: rowsPerGroup,
                                           b: cn + g * rowsPerGroup * positions, ldb: positions, beta: 0,
                                           c: y.baseAddress! + n * fieldSize + g * fieldPerGroup * positions, ldc: positions)
                                }
                            }
                        }
                    }
                }
            }
        }
        let planeSize = outShape.dropFirst(2).reduce(1, *)
        if let bias {
            let b: [T] = T.elementValues(of: bias)
            y.withUnsafeMutableBufferPointer { y in
                for n in 0..<batch {
                    for o in 0..<outChannels {
                        let start = (n * outChannels + o) * planeSize, value = b[o]
                        for i in start..<(start + planeSize) { y[i] += value }
                    }
                }
            }
        }
        let output = T.elementTensor(y, shape: outShape)
        let saved: [SavedValue] = [
            .attribute("bias_sym_sizes_opt", pythonTuple([bias?.count ?? 0])),
            .attribute("dilation", options.tuple(options.dilation)),
            .attribute("groups", "\(groups)"),
            .tensor("input", shape: input.shape),
            .attribute("output_padding", options.tuple(options.outputPadding)),
            .attribute("padding", options.tuple(options.padding)),
            .attribute("stride", options.tuple(options.stride)),
            .attribute("transposed", options.transposed ? "True" : "False"),
            .tensor("weight", weight),
        ]
        let needInput = input.requiresGrad, needWeight = weight.requiresGrad
        let inputShape = input.shape, weightShape = weight.shape, hasBias = bias != nil
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.function("ConvolutionBackward0", inputs: inputs, saved: saved, output: output) { grad in
            let g: [T] = T.elementValues(of: grad)
            var dx = [T](repeating: 0, count: needInput ? x.count : 0)
            var dw = [T](repeating: 0, count: needWeight ? w.count : 0)
            var scratch = [T](repeating: 0, count: options.transposed || needInput ? columnRows * positions : 0)
            g.withUnsafeBufferPointer { g in
                x.withUnsafeBufferPointer { x in
                    w.withUnsafeBufferPointer { w in
                        cols.withUnsafeBufferPointer { cols in
                            dx.withUnsafeMutableBufferPointer { dx in
                                dw.withUnsafeMutableBufferPointer { dw in
                                    scratch.withUnsafeMutableBufferPointer { scratch in
                                        for n in 0..<batch {
                                            if options.transposed {
                                                // The gradient's columns pair with the input as a convolution's.
                                                let gn = g.baseAddress! + n * imageSize
                                                (scratch.baseAddress!).update(repeating: 0, count: scratch.count)
                                                im2col(gn, scratch.baseAddress!)
                                                let xn = x.baseAddress! + n * fieldSize
                                                for grp in 0..<groups {
                                                    let dcols = UnsafePointer(scratch.baseAddress! + grp * rowsPerGroup * positions)
                                                    if needInput {
                                                        T.gemm(transA: false, transB: false, m: fieldPerGroup, n: positions, k: rowsPerGroup,
                                                               a: w.baseAddress! + grp * weightPerGroup, lda: rowsPerGroup,
                                                               b: dcols, ldb: positions, beta: 0,
                                                               c: dx.baseAddress! + n * fieldSize + grp * fieldPerGroup * positions, ldc: positions)
                                                    }
                                                    if needWeight {
                                                        T.gemm(transA: false, transB: true, m: fieldPerGroup, n: rowsPerGroup, k: positions,
                                                               a: xn + grp * fieldPerGroup * positions, lda: positions,
                                                               b: dcols, ldb: positions, beta: 1,
                                                               c: dw.baseAddress! + grp * weightPerGroup, ldc: rowsPerGroup)
                                                    }
                                                }
                                            } else {
                                                let gn = g.baseAddress! + n * fieldSize
                                                let cn = cols.baseAddress! + n * columnRows * positions
                                                for grp in 0..<groups {
                                                    let gg = gn + grp * fieldPerGroup * positions
                                                    if needWeight {
                                                        T.gemm(transA: false, transB: true, m: fieldPerGroup, n: rowsPerGroup, k: positions,
                                                               a: gg, lda: positions, b: cn + grp * rowsPerGroup * positions, ldb: positions,
                                                               beta: 1, c: dw.baseAddress! + grp * weightPerGroup, ldc: rowsPerGroup)
                                                    }
                                                    if needInput {
                                                        T.gemm(transA: true, transB: false, m: rowsPerGroup, n: positions, k: fieldPerGroup,
                                                               a: w.baseAddress! + grp * weightPerGroup, lda: rowsPerGroup,
                                                               b: gg, ldb: positions, beta: 0,
                                                               c: scratch.baseAddress! + grp * rowsPerGroup * positions, ldc: positions)
                                                    }
                                                }
                                                if needInput { col2im(UnsafePointer(scratch.baseAddress!), dx.baseAddress! + n * imageSize) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var grads: [Tensor?] = [needInput ? T.elementTensor(dx, shape: inputShape) : nil,
                                    needWeight ? T.elementTensor(dw, shape: weightShape) : nil]
            if hasBias {
                var sums = [Double](repeating: 0, count: outChannels)
                g.withUnsafeBufferPointer { g in
                    for n in 0..<batch {
                        for o in 0..<outChannels {
                            let start = (n * outChannels + o) * planeSize
                            var total: T = 0
                            for i in start..<(start + planeSize) { total += g[i] }
                            sums[o] += Double(total)
                        }
                    }
                }
                grads.append(T.elementTensor(sums.map { T($0) }, shape: [outChannels]))
            }
            return grads
        }
    }
}
