import NNVizCore

/// Passes its input through unchanged, like `nn.Identity()` (no graph node).
///
/// ```swift
/// let shortcut = Identity()
/// ```
public final class Identity: Module {
    public override init() { super.init() }
    public override func forward(_ input: Tensor) -> Tensor { input }
}

/// `x.reshape(shape)` as a module (one size may be -1), recording `ViewBackward0` on a contiguous input.
///
/// ```swift
/// let tokens = Reshape([2, -1, 16])(Tensor.randn([2, 4, 4, 16]))     // (2, 16, 16)
/// ```
public final class Reshape: Module {
    public let shape: [Int]

    public init(_ shape: [Int]) {
        self.shape = shape
        super.init()
    }

    public override func forward(_ input: Tensor) -> Tensor {
        do { try check(input) } catch { preconditionFailure("\(error)") }
        return input.reshape(shape)
    }

    public override func check(_ input: Tensor) throws { _ = try Reshape.outputShape(input: input.shape, shape: shape) }

    /// The new shape with its -1 resolved, or PyTorch's error when it cannot hold the input's elements.
    ///
    /// ```swift
    /// try Reshape.outputShape(input: [2, 4, 4, 16], shape: [2, -1, 16])    // [2, 16, 16]
    /// ```
    public static func outputShape(input: [Int], shape: [Int]) throws -> [Int] {
        let count = input.reduce(1, *)
        let text = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        if let bad = shape.first(where: { $0 < -1 }) { throw TensorError("invalid shape dimension \(bad)") }
        guard shape.filter({ $0 == -1 }).count <= 1 else { throw TensorError("only one dimension can be inferred") }
        var known = 1
        for size in shape where size != -1 {
            let (product, overflow) = known.multipliedReportingOverflow(by: size)
            guard !overflow else { throw TensorError("shape '\(text)' is invalid for input of size \(count)") }
            known = product
        }
        var result = shape
        if let i = shape.firstIndex(of: -1) {
            guard known != 0 && count % known == 0 else { throw TensorError("shape '\(text)' is invalid for input of size \(count)") }
            result[i] = count / known
        } else if known != count {
            throw TensorError("shape '\(text)' is invalid for input of size \(count)")
        }
        return result
    }

    public override var extraDescription: String { "shape=(" + shape.map(String.init).joined(separator: ", ") + ")" }
}

/// `x.permute(dims)` as a module (`PermuteBackward0`).
///
/// ```swift
/// let nchw = Permute([0, 3, 1, 2])(Tensor.randn([2, 8, 8, 3]))     // (2, 3, 8, 8)
/// ```
public final class Permute: Module {
    public let dims: [Int]

    public init(_ dims: [Int]) {
        self.dims = dims
        super.init()
    }

    public override func forward(_ input: Tensor) -> Tensor {
        do { try check(input) } catch { preconditionFailure("\(error)") }
        return input.permute(dims)
    }

    public override func check(_ input: Tensor) throws { _ = try Permute.outputShape(input: input.shape, dims: dims) }

    /// The permuted shape, or PyTorch's error for a wrong number of dims, one out of range or repeated.
    ///
    /// ```swift
    /// try Permute.outputShape(input: [2, 8, 8, 3], dims: [0, 3, 1, 2])    // [2, 3, 8, 8]
    /// ```
    public static func outputShape(input: [Int], dims: [Int]) throws -> [Int] {
        guard dims.count == input.count else {
            throw TensorError("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(input.count) is not equal to len(dims) = \(dims.count)")
        }
        let resolved = try dims.map { try resolveDim($0, rank: input.count) }
        guard Set(resolved).count == resolved.count else { throw TensorError("permute(): duplicate dims are not allowed.") }
        return resolved.map { input[$0] }
    }

    public override var extraDescription: String { "dims=(" + dims.map(String.init).joined(separator: ", ") + ")" }
}

/// `x.transpose(dim0, dim1)` as a module (`TransposeBackward0`).
///
/// ```swift
/// let y = Transpose(1, 2)(Tensor.randn([2, 5, 3]))     // (2, 3, 5)
/// ```
public final class Transpose: Module {
    public let dim0: Int
    public let dim1: Int

    public init(_ dim0: Int, _ dim1: Int) {
        self.dim0 = dim0
        self.dim1 = dim1
        super.init()
    }

    public override func forward(_ input: Tensor) -> Tensor {
        do { try check(input) } catch { preconditionFailure("\(error)") }
        return input.transpose(dim0, dim1)
    }

    public override func check(_ input: Tensor) throws {
        _ = try Transpose.outputShape(input: input.shape, dim0: dim0, dim1: dim1)
    }

    /// The shape with `dim0` and `dim1` swapped, or PyTorch's error for a dimension out of range.
    public static func outputShape(input: [Int], dim0: Int, dim1: Int) throws -> [Int] {
        let a = try resolveDim(dim0, rank: input.count), b = try resolveDim(dim1, rank: input.count)
        var shape = input
        shape.swapAt(a, b)
        return shape
    }

    public override var extraDescription: String { "dim0=\(dim0), dim1=\(dim1)" }
}

/// `dim` counted from the start, or PyTorch's error when it is out of range for `rank` dimensions.
func resolveDim(_ dim: Int, rank: Int) throws -> Int {
    let n = max(rank, 1)
    guard dim >= -n && dim < n else {
        throw TensorError("Dimension out of range (expected to be in range of [\(-n), \(n - 1)], but got \(dim))")
    }
    return dim < 0 ? dim + n : dim
}
