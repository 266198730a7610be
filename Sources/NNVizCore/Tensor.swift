/// An n-dimensional array with reverse-mode automatic differentiation, PyTorch-style.
///
/// A tensor is a reference type: a parameter keeps its identity (for graphs and optimizers) while its
/// values and `grad` change. Its elements are contiguous in row-major order; views (`view`, `t()`,
/// `transpose`, `permute`, indexing) return new tensors holding copies, so writing into a view never
/// changes its base — the autograd graph still records PyTorch's view functions (`TBackward0`,
/// `ViewBackward0`, …).
///
/// ```swift
/// let x = Tensor([[1.0, 2.0]])
/// let w = Tensor([[0.6, -0.2]], requiresGrad: true)
/// let b = Tensor([0.8], requiresGrad: true)
/// let y = addmm(b, x, w.t()).tanh()
/// print(y)              // tensor([[0.7616]], grad_fn=<TanhBackward0>)
/// ```
public final class Tensor {
    /// The size of each dimension; `[]` for a scalar.
    public internal(set) var shape: [Int]
    var storage: Storage
    /// The backward function that produced this tensor, or nil for a leaf.
    public internal(set) var gradFn: GradFn?
    /// Accumulated gradient (leaves that require grad only), written by ``backward(gradient:retainGraph:)``.
    public var grad: Tensor?
    private var leafRequiresGrad = false
    /// The `AccumulateGrad` node of this leaf, shared by every use of it in a graph (PyTorch keeps it weakly too).
    weak var gradAccumulator: GradFn?
    /// Which output of `gradFn` this tensor is (non-zero only for multi-output ops such as `unbind`).
    var outputIndex = 0
    /// An optional name shown by graph renderers for intermediate tensors.
    public var name: String?
    /// Strides PyTorch would report for this tensor (views of a transpose are not contiguous there).
    /// nil means contiguous strides.
    var viewStrides: [Int]?
    /// For a tensor made by a view function: the tensor it is a view of (PyTorch's `._base`).
    public internal(set) var viewBase: Tensor?

    init(shape: [Int], storage: Storage, gradFn: GradFn? = nil) {
        self.shape = shape
        self.storage = storage
        self.gradFn = gradFn
    }

    /// The element type.
    public var dtype: DType { storage.dtype }

    /// Number of dimensions.
    public var ndim: Int { shape.count }

    /// Number of elements.
    public var count: Int { storage.count }

    /// The size of dimension `dim` (negative counts from the end), like `x.size(dim)`.
    public func size(_ dim: Int) -> Int { shape[normalizedDim(dim)] }

    /// Whether gradients flow to this tensor: true for a leaf marked so, and for any result of an op on one.
    public var requiresGrad: Bool {
        get { gradFn != nil || leafRequiresGrad }
        set {
            precondition(gradFn == nil || newValue,
                         "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
            precondition(!newValue || dtype.isFloatingPoint,
                         "only Tensors of floating point dtype can require gradients")
            if gradFn == nil { leafRequiresGrad = newValue }
        }
    }

    /// True for tensors not produced by a differentiable op (parameters, inputs, detached results).
    public var isLeaf: Bool { gradFn == nil }

    /// PyTorch-equivalent strides, as `x.stride()` would print them.
    public var strides: [Int] { viewStrides ?? Tensor.contiguousStrides(shape) }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= shape[i]
        }
        return strides
    }

    /// A new leaf holding the same values, cut off from the graph (shares storage until either side writes).
    ///
    /// ```swift
    /// let frozen = hidden.detach()   // no grad_fn, requiresGrad false
    /// ```
    public func detach() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// Sets `requiresGrad` and returns self, like `x.requires_grad_()`.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    func normalizedDim(_ dim: Int, extra: Int = 0) -> Int {
        let n = shape.count + extra
        let d = dim < 0 ? dim + n : dim
        precondition(d >= 0 && d < Swift.max(n, 1),
                     "Dimension out of range (expected to be in range of [\(-Swift.max(n, 1)), \(Swift.max(n, 1) - 1)], but got \(dim))")
        return d
    }

    /// The accumulator node for a leaf that requires grad, created on first use.
    func accumulator() -> GradFn {
        if let acc = gradAccumulator { return acc }
        let acc = GradFn(accumulating: self)
        gradAccumulator = acc
        return acc
    }

    /// The edge a consumer of this tensor records: its grad_fn, its AccumulateGrad, or nothing.
    var gradEdge: GradFn? {
        if let fn = gradFn { return fn }
        return leafRequiresGrad ? accumulator() : nil
    }
}
