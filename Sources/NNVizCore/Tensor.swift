import Synchronization

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
    // Stored properties are laid out in declaration order; what only leaves, views and named tensors
    // need lives in `extras`, so a tensor takes 56 bytes (it is made and freed for every op).

    /// The size of each dimension; `[]` for a scalar.
    public internal(set) var shape: [Int]
    /// The elements, or, while `transposePending` is set, the elements of this 2-D tensor's transpose.
    private var elements: Storage
    /// The backward function that produced this tensor, or nil for a leaf.
    public internal(set) var gradFn: GradFn?
    /// Set on the result of `t()` until something reads ``storage``: matrix products read the
    /// untransposed elements directly (BLAS takes the transpose as a flag), so a weight's transpose is
    /// never copied. Atomic so that tensors shared between threads for reading stay safe.
    private let transposePending: Atomic<Bool>
    private var leafRequiresGrad = false
    private var storedOutputIndex: Int32 = 0
    /// State only some tensors have; nil for an ordinary op result.
    private var extras: Extras?

    /// What only leaves, views and named tensors carry.
    private final class Extras {
        var grad: Tensor?
        weak var gradAccumulator: GradFn?
        var name: String?
        var viewStrides: [Int]?
        var viewBase: Tensor?
    }

    /// The extras record, made on first write of a non-nil value.
    private var madeExtras: Extras {
        if let extras { return extras }
        let made = Extras()
        extras = made
        return made
    }

    /// Accumulated gradient (leaves that require grad only), written by ``backward(gradient:retainGraph:)``.
    public var grad: Tensor? {
        get { extras?.grad }
        set { if newValue != nil || extras != nil { madeExtras.grad = newValue } }
    }
    /// The `AccumulateGrad` node of this leaf, shared by every use of it in a graph (PyTorch keeps it weakly too).
    var gradAccumulator: GradFn? {
        get { extras?.gradAccumulator }
        set { if newValue != nil || extras != nil { madeExtras.gradAccumulator = newValue } }
    }
    /// Which output of `gradFn` this tensor is (non-zero only for multi-output ops such as `unbind`).
    var outputIndex: Int {
        get { Int(storedOutputIndex) }
        set { storedOutputIndex = Int32(newValue) }
    }
    /// An optional name shown by graph renderers for intermediate tensors.
    public var name: String? {
        get { extras?.name }
        set { if newValue != nil || extras != nil { madeExtras.name = newValue } }
    }
    /// Strides PyTorch would report for this tensor (views of a transpose are not contiguous there).
    /// nil means contiguous strides.
    var viewStrides: [Int]? {
        get { extras?.viewStrides }
        set { if newValue != nil || extras != nil { madeExtras.viewStrides = newValue } }
    }
    /// For a tensor made by a view function: the tensor it is a view of (PyTorch's `._base`).
    public internal(set) var viewBase: Tensor? {
        get { extras?.viewBase }
        set { if newValue != nil || extras != nil { madeExtras.viewBase = newValue } }
    }

    init(shape: [Int], storage: Storage, gradFn: GradFn? = nil) {
        self.shape = shape
        self.elements = storage
        self.transposePending = Atomic(false)
        self.gradFn = gradFn
    }

    /// A 2-D tensor of `shape` whose elements are the transpose of `untransposed`, a row-major
    /// `shape[1] × shape[0]` matrix; the transposed copy is made only if ``storage`` is read.
    init(shape: [Int], transposing untransposed: Storage) {
        self.shape = shape
        self.elements = untransposed
        self.transposePending = Atomic(true)
    }

    /// The elements, contiguous in row-major order (a pending transpose is copied out first, once).
    var storage: Storage {
        get {
            if transposePending.load(ordering: .acquiring) { materializeTranspose() }
            return elements
        }
        set {
            elements = newValue
            transposePending.store(false, ordering: .releasing)
        }
    }

    /// As a matrix operand of BLAS: row-major elements and whether they hold this tensor's transpose.
    var matrixOperand: (storage: Storage, transposed: Bool) {
        guard transposePending.load(ordering: .acquiring) else { return (elements, false) }
        return Tensor.transposeLock.withLock { _ in (elements, transposePending.load(ordering: .relaxed)) }
    }

    /// Serialises the one write a pending transpose gets, against readers of `elements` on other threads.
    private static let transposeLock = Mutex(())

    private func materializeTranspose() {
        Tensor.transposeLock.withLock { _ in
            guard transposePending.load(ordering: .relaxed) else { return }
            elements = elements.strided(shape: shape, strides: [1, shape[0]])
            transposePending.store(false, ordering: .releasing)
        }
    }

    /// The element type.
    public var dtype: DType {
        guard transposePending.load(ordering: .acquiring) else { return elements.dtype }
        return Tensor.transposeLock.withLock { _ in elements.dtype }
    }

    /// Number of dimensions.
    public var ndim: Int { shape.count }

    /// Number of elements.
    public var count: Int {
        guard transposePending.load(ordering: .acquiring) else { return elements.count }
        return Tensor.transposeLock.withLock { _ in elements.count }
    }

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
        let (elements, transposed) = matrixOperand
        return transposed ? Tensor(shape: shape, transposing: elements) : Tensor(shape: shape, storage: elements)
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
