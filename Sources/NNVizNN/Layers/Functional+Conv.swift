import NNVizCore
import NNVizSupport

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
func convolution(_ input: Tensor, _ weight: Tensor, _ bias: Tensor?, _ options: ConvOptions) -> Tensor {
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
    /// The elements of one sample's columns side.
    var fieldSize: Int { fieldChannels * positions }
    // Per group, the weight block is fieldPerGroup × rowsPerGroup for both directions, stored
    // out × in/g × k for a convolution and in × out/g × k for a transposed one.
    var fieldPerGroup: Int { fieldChannels / groups }
    var rowsPerGroup: Int { columnRows / groups }
    var weightPerGroup: Int { fieldPerGroup * rowsPerGroup }
    /// The work of one sample's product (its multiply-adds), what the batch is split by.
    var sampleCost: Int { Parallel.multiplyAdds(fieldChannels * rowsPerGroup * positions) }

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

    /// Writes the whole column matrix (columnRows × positions) of one image: each receptive field's
    /// values, zeros where it reaches into the padding.
    func im2col<T: LayerElement>(_ image: UnsafePointer<T>, _ cols: UnsafeMutablePointer<T>) {
        let stride = options.stride, padding = options.padding, dilation = options.dilation
        for c in 0..<imageChannels {
            for ky in 0..<kernelHeight {
                let offsetY = ky * dilation.height - padding.height
                let rowsY = validRange(offset: offsetY, stride: stride.height, size: height, count: fieldHeight)
                for kx in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + ky) * kernelWidth + kx) * positions
                    let offsetX = kx * dilation.width - padding.width
                    let columns = validRange(offset: offsetX, stride: stride.width, size: width, count: fieldWidth)
                    if stride == IntOrPair(1) && fieldWidth == width {
                        shiftedPlane(image + c * height * width, offset: offsetY * width + offsetX, rows: rowsY,
                                     columns: columns, into: row)
                        continue
                    }
                    // Rows are short (a feature map's width), so plain loops beat memcpy/memset calls.
                    for oy in 0..<fieldHeight {
                        let out = row + oy * fieldWidth
                        guard rowsY.contains(oy), !columns.isEmpty else {
                            for ox in 0..<fieldWidth { out[ox] = 0 }
                            continue
                        }
                        let source = image + (c * height + oy * stride.height + offsetY) * width + offsetX
                        for ox in 0..<columns.lowerBound { out[ox] = 0 }
                        if stride.width == 1 {
                            for ox in columns { out[ox] = source[ox] }
                        } else {
                            for ox in columns { out[ox] = source[ox * stride.width] }
                        }
                        for ox in columns.upperBound..<fieldWidth { out[ox] = 0 }
                    }
                }
            }
        }
    }

    /// One row of the column matrix of a stride-1 convolution whose output rows are as wide as the image's
    /// (a "same" convolution): the image plane shifted by `offset` elements, so the valid block is one
    /// contiguous copy, and the positions whose field falls outside the image (`rows` × `columns` is the
    /// valid part) are zeroed afterwards.
    private func shiftedPlane<T: LayerElement>(_ plane: UnsafePointer<T>, offset: Int, rows: Range<Int>, columns: Range<Int>,
                                               into out: UnsafeMutablePointer<T>) {
        guard !rows.isEmpty, !columns.isEmpty else {
            out.update(repeating: 0, count: positions)
            return
        }
        let first = rows.lowerBound * width + columns.lowerBound, end = (rows.upperBound - 1) * width + columns.upperBound
        out.update(repeating: 0, count: first)
        (out + first).update(from: plane + first + offset, count: end - first)
        (out + end).update(repeating: 0, count: positions - end)
        if columns.count < width {
            for oy in rows {
                let line = out + oy * width
                for ox in 0..<columns.lowerBound { line[ox] = 0 }
                for ox in columns.upperBound..<width { line[ox] = 0 }
            }
        }
    }

    /// One sample of a convolution (not transposed): `out = W · im2col(image)` per group, through `cols`
    /// (columnRows × positions), which keeps the sample's columns.
    func convolve<T: LayerElement>(_ image: UnsafePointer<T>, _ w: UnsafePointer<T>, cols: UnsafeMutablePointer<T>,
                                   into out: UnsafeMutablePointer<T>) {
        im2col(image, cols)
        for g in 0..<groups {
            T.gemm(transA: false, transB: false, m: fieldPerGroup, n: positions, k: rowsPerGroup,
                   a: w + g * weightPerGroup, lda: rowsPerGroup, b: cols + g * rowsPerGroup * positions, ldb: positions,
                   beta: 0, c: out + g * fieldPerGroup * positions, ldc: positions)
        }
    }

    /// The input gradient of a stride-1 convolution is itself a convolution: of the output gradient with
    /// the weight flipped in both spatial directions and its channel roles swapped (``flippedWeight(_:)``),
    /// padded by dilation·(k − 1) − padding. Its plan, or nil for a stride above 1, a padding beyond the
    /// kernel's reach or a transposed convolution (those scatter their columns back with col2im).
    func inputGradientPlan() -> ConvPlan? {
        let padding = options.padding, dilation = options.dilation
        let reach = (dilation.height * (kernelHeight - 1) - padding.height, dilation.width * (kernelWidth - 1) - padding.width)
        guard !options.transposed, options.stride == IntOrPair(1), reach.0 >= 0, reach.1 >= 0 else { return nil }
        let gradientOptions = ConvOptions(spatial: options.spatial, transposed: false, stride: 1, padding: IntOrPair(reach),
                                          dilation: dilation, outputPadding: 0, groups: groups)
        let one = options.spatial == 1
        let gradient = one ? [batch, fieldChannels, fieldWidth] : [batch, fieldChannels, fieldHeight, fieldWidth]
        let kernel = one ? [kernelWidth] : [kernelHeight, kernelWidth]
        return ConvPlan(input: gradient, weight: [imageChannels, fieldChannels / groups] + kernel, options: gradientOptions)
    }

    /// The weight of ``inputGradientPlan()``: `W'[g·inPer + i][o][ky][kx] = W[g·outPer + o][i][kh−1−ky][kw−1−kx]`.
    func flippedWeight<T: LayerElement>(_ w: [T]) -> [T] {
        let inPer = imageChannels / groups, outPer = fieldPerGroup, kernel = kernelHeight * kernelWidth
        var flipped = [T](repeating: 0, count: w.count)
        for g in 0..<groups {
            for o in 0..<outPer {
                for i in 0..<inPer {
                    let source = ((g * outPer + o) * inPer + i) * kernel, target = ((g * inPer + i) * outPer + o) * kernel
                    for k in 0..<kernel { flipped[target + k] = w[source + kernel - 1 - k] }
                }
            }
        }
        return flipped
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

    /// One sample's share of `ConvolutionBackward0`: its input gradient into `dx` (when given) and its weight
    /// gradient added onto `dw` (when given). `cols` holds a convolution's forward columns; `scratch`
    /// (``backwardScratchCount(_:)`` elements) is this thread's own; `gradient` is ``inputGradientPlan()``
    /// with its flipped weight, when there is one.
    private func backward<T: LayerElement>(sample n: Int, g: UnsafePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                           cols: UnsafePointer<T>?, dx: UnsafeMutablePointer<T>?,
                                           dw: UnsafeMutablePointer<T>?, scratch: UnsafeMutableBufferPointer<T>,
                                           gradient: (plan: ConvPlan, weight: UnsafePointer<T>)?) {
        if options.transposed {
            // The gradient's columns pair with the input as a convolution's.
            im2col(g + n * imageSize, scratch.baseAddress!)
            let xn = x + n * fieldSize
            for grp in 0..<groups {
                let dcols = UnsafePointer(scratch.baseAddress! + grp * rowsPerGroup * positions)
                if let dx {
                    T.gemm(transA: false, transB: false, m: fieldPerGroup, n: positions, k: rowsPerGroup,
                           a: w + grp * weightPerGroup, lda: rowsPerGroup, b: dcols, ldb: positions, beta: 0,
                           c: dx + n * fieldSize + grp * fieldPerGroup * positions, ldc: positions)
                }
                if let dw {
                    T.gemm(transA: false, transB: true, m: fieldPerGroup, n: rowsPerGroup, k: positions,
                           a: xn + grp * fieldPerGroup * positions, lda: positions, b: dcols, ldb: positions, beta: 1,
                           c: dw + grp * weightPerGroup, ldc: rowsPerGroup)
                }
            }
        } else {
            let gn = g + n * fieldSize, cn = cols! + n * columnRows * positions
            for grp in 0..<groups {
                let gg = gn + grp * fieldPerGroup * positions
                if let dw {
                    T.gemm(transA: false, transB: true, m: fieldPerGroup, n: rowsPerGroup, k: positions,
                           a: gg, lda: positions, b: cn + grp * rowsPerGroup * positions, ldb: positions, beta: 1,
                           c: dw + grp * weightPerGroup, ldc: rowsPerGroup)
                }
                if dx != nil, gradient == nil {
                    T.gemm(transA: true, transB: false, m: rowsPerGroup, n: positions, k: fieldPerGroup,
                           a: w + grp * weightPerGroup, lda: rowsPerGroup, b: gg, ldb: positions, beta: 0,
                           c: scratch.baseAddress! + grp * rowsPerGroup * positions, ldc: positions)
                }
            }
            if let dx {
                if let gradient {
                    gradient.plan.convolve(gn, gradient.weight, cols: scratch.baseAddress!, into: dx + n * imageSize)
                } else {
                    col2im(UnsafePointer(scratch.baseAddress!), dx + n * imageSize)
                }
            }
        }
    }

    /// The scratch one thread's share of the backward pass needs: the columns of the output gradient (a
    /// transposed convolution's, or ``inputGradientPlan()``'s) or of the input gradient before col2im.
    private func backwardScratchCount(needInput: Bool, gradient: ConvPlan?) -> Int {
        if let gradient { return gradient.columnRows * gradient.positions }
        return options.transposed || needInput ? columnRows * positions : 0
    }

    /// Forward and `ConvolutionBackward0` in element type `T`.
    func run<T: LayerElement>(_: T.Type, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        let x: [T] = T.elementValues(of: input)
        let w: [T] = T.elementValues(of: weight)
        let outChannels = outShape[1]
        // A transposed convolution's col2im adds into its output, so that starts at zero; a convolution's
        // products write every output element. The columns are kept for the backward pass.
        var y = options.transposed ? [T](repeating: 0, count: batch * imageSize)
                                   : [T](unsafeUninitializedCapacity: batch * fieldSize) { $1 = batch * fieldSize }
        let columnsCount = options.transposed ? 0 : batch * columnRows * positions
        var cols = [T](unsafeUninitializedCapacity: columnsCount) { $1 = columnsCount }
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    cols.withUnsafeMutableBufferPointer { cols in
                        Parallel.forEachPart(batch, cost: sampleCost) { _, samples in
                            var scratch = [T](repeating: 0, count: options.transposed ? columnRows * positions : 0)
                            for n in samples {
                                if options.transposed {
                                    let xn = x.baseAddress! + n * fieldSize
                                    scratch.withUnsafeMutableBufferPointer { scratch in
                                        for g in 0..<groups {
                                            T.gemm(transA: true, transB: false, m: rowsPerGroup, n: positions, k: fieldPerGroup,
                                                   a: w.baseAddress! + g * weightPerGroup, lda: rowsPerGroup,
                                                   b: xn + g * fieldPerGroup * positions, ldb: positions, beta: 0,
                                                   c: scratch.baseAddress! + g * rowsPerGroup * positions, ldc: positions)
                                        }
                                        col2im(UnsafePointer(scratch.baseAddress!), y.baseAddress! + n * imageSize)
                                    }
                                } else {
                                    convolve(x.baseAddress! + n * imageSize, w.baseAddress!,
                                             cols: cols.baseAddress! + n * columnRows * positions,
                                             into: y.baseAddress! + n * fieldSize)
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
            // Each part of the batch adds its samples' weight gradients into a slice of its own; the slices
            // are summed in part order, so the result is the same every run.
            let parts = Parallel.partCount(batch, cost: sampleCost)
            let gradientPlan = needInput ? inputGradientPlan() : nil
            let flipped = gradientPlan == nil ? [] : flippedWeight(w)
            let scratchCount = backwardScratchCount(needInput: needInput, gradient: gradientPlan)
            // col2im adds into the input gradient; every other path writes all of it.
            var dx = needInput && !options.transposed && gradientPlan == nil
                ? [T](repeating: 0, count: x.count)
                : [T](unsafeUninitializedCapacity: needInput ? x.count : 0) { $1 = needInput ? x.count : 0 }
            var dwParts = [T](repeating: 0, count: needWeight ? parts * w.count : 0)
            g.withUnsafeBufferPointer { g in
                x.withUnsafeBufferPointer { x in
                    w.withUnsafeBufferPointer { w in
                        cols.withUnsafeBufferPointer { cols in
                            dx.withUnsafeMutableBufferPointer { dx in
                                dwParts.withUnsafeMutableBufferPointer { dwParts in
                                    Parallel.forEachPart(batch, cost: sampleCost) { part, samples in
                                        // (An empty array's buffer may still have an address: the flags decide.)
                                        let dw = needWeight ? dwParts.baseAddress! + part * w.count : nil
                                        let dxs = needInput ? dx.baseAddress : nil
                                        var scratch = [T](unsafeUninitializedCapacity: scratchCount) { $1 = scratchCount }
                                        scratch.withUnsafeMutableBufferPointer { scratch in
                                            flipped.withUnsafeBufferPointer { flipped in
                                                let gradient = gradientPlan.map { (plan: $0, weight: flipped.baseAddress!) }
                                                for n in samples {
                                                    backward(sample: n, g: g.baseAddress!, x: x.baseAddress!, w: w.baseAddress!,
                                                             cols: cols.baseAddress, dx: dxs, dw: dw, scratch: scratch,
                                                             gradient: gradient)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var dw = [T](dwParts.prefix(needWeight ? w.count : 0))
            for part in 1..<max(parts, 1) where needWeight {
                let base = part * w.count
                for i in 0..<w.count { dw[i] += dwParts[base + i] }
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
